"""`pmbot`: ask, topics, validate, eval (and the Slack commands, imported lazily).

The ask path imports neither Slack libraries nor anything else it does not use,
so a cold `pmbot ask` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import io as io_module
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.knowledge_sections import missing_settings
from bot.answers.location import KnowledgeSource, locate_knowledge
from bot.answers.yamlfile import KnowledgeError, Problem
from bot.config import ConfigError, Settings, environment

if TYPE_CHECKING:
    from bot.answers.engine import Result
    from bot.answers.live import LiveEngine
    from bot.store.database import Store

EXIT_BAD_INPUT = 2
KNOWLEDGE_HELP = (
    "knowledge directory (default: $PMBOT_KNOWLEDGE_DIR, else ./knowledge when it "
    "holds *.yaml, else the knowledge shipped with pmbot)"
)


class Io:
    """The streams and environment a command runs with (injectable for tests)."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.env = os.environ if env is None else env
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)


def default_contract() -> Path | None:
    """shared/topics.yaml beside the checkout, where the project keeps its contract."""
    candidate = Path(__file__).resolve().parent.parent.parent / "shared" / "topics.yaml"
    return candidate if candidate.is_file() else None


def knowledge_source(args: argparse.Namespace, io: Io) -> KnowledgeSource:
    """--knowledge, PMBOT_KNOWLEDGE_DIR, ./knowledge, then the shipped one (location.py)."""
    return locate_knowledge(getattr(args, "knowledge", None), io.env, Path.cwd())


def load(args: argparse.Namespace, io: Io) -> KnowledgeBase:
    return load_knowledge(knowledge_source(args, io).path)


def live_engine(path: Path) -> LiveEngine:
    """An engine that follows the knowledge directory (hot reload: serve, shell)."""
    from bot.answers.engine import Engine
    from bot.answers.live import LiveEngine

    return LiveEngine(Engine(load_knowledge(path)), lambda: load_knowledge(path), watch=path)


def cmd_ask(args: argparse.Namespace, io: Io) -> int:
    from bot.answers.engine import Engine

    engine = Engine(load(args, io))
    questions: Iterable[str]
    if args.question:
        questions = [" ".join(args.question)]
    elif args.json:
        if isinstance(io.stdin, io_module.TextIOWrapper):
            # Bytes that are not UTF-8 become U+FFFD: the line is still answered.
            io.stdin.reconfigure(errors="replace")
        questions = (line.rstrip("\n") for line in io.stdin)  # answered as they arrive
    else:
        questions = [""]
    for question in questions:
        result = engine.answer(question)
        if args.json:
            io.out(json.dumps(result.to_json(), ensure_ascii=False))
            io.stdout.flush()
        else:
            for line in plain_answer(result, engine.kb):
                io.out(line)
    return 0


def plain_answer(result: Result, kb: KnowledgeBase) -> list[str]:
    """An answer for the terminal: title and confidence, the text, the choices."""
    titles = "; ".join(kb.topics[t].title for t in result.alternatives if t in kb.topics)
    if result.status == "answer":
        lines = [f"{result.title} ({result.confidence:.0%})", result.text]
        return lines + ([f"Did you mean: {titles}?"] if titles else [])
    if result.status == "clarify":
        return [result.text.replace("*", "")]
    if result.status == "decline" and titles:
        return [result.text, f"What I can tell you: {titles}"]
    return [result.text]


def cmd_topics(args: argparse.Namespace, io: Io) -> int:
    source = knowledge_source(args, io)
    kb = load_knowledge(source.path)
    io.err(source.describe())  # standard output stays the listing
    if args.json:
        listing = [
            {"id": t.id, "title": t.title, "questions": list(t.questions), "answer": t.answer}
            for t in kb.answerable
        ]
        io.out(json.dumps(listing, ensure_ascii=False, indent=2))
        return 0
    width = max((len(t.id) for t in kb.answerable), default=0)
    for topic in kb.answerable:
        io.out(f"{topic.id:<{width}}  {topic.title}")
    return 0


def cmd_validate(args: argparse.Namespace, io: Io) -> int:
    source = knowledge_source(args, io)
    path = Path(args.path) if args.path else source.path
    contract_arg = args.contract or io.env.get("PMBOT_CONTRACT")
    # The project's own contract binds the shipped knowledge only; a team's own
    # directory is checked against one when asked (--contract).
    shipped = source.shipped and not args.path
    contract = Path(contract_arg) if contract_arg else default_contract() if shipped else None
    kb = load_knowledge(path, contract=contract)
    unset = missing_settings(kb.settings)
    if unset:
        raise KnowledgeError([Problem(str(path), 1, message) for message in unset])
    from bot.answers.lint import knowledge_warnings

    taught = taught_phrasings(io) if args.taught else {}
    warnings = knowledge_warnings(kb, parse_today(args.today), taught)
    for warning in warnings:
        io.err(str(warning))
    if warnings and args.strict:
        io.err(f"validate: {len(warnings)} warnings, which --strict makes errors")
        return EXIT_BAD_INPUT
    checked = f", contract {contract}" if contract else ""
    topics, declines = len(kb.answerable), len(kb.topics) - len(kb.answerable)
    warned = f", {len(warnings)} warnings" if warnings else ""
    io.out(
        f"ok: {topics} topics, {declines} declines, {len(kb.tips)} tips "
        f"in {len(kb.files)} files{checked}{warned}"
    )
    return 0


def taught_phrasings(io: Io) -> dict[str, list[str]]:
    """What curators taught, from the database `pmbot serve` uses (validate --taught)."""
    from bot.store.taught import TaughtStore

    store = open_store(io, writes=False)
    try:
        return TaughtStore(store).taught_phrasings()
    finally:
        store.close()


def cmd_eval(args: argparse.Namespace, io: Io) -> int:
    from bot.answers.engine import Engine
    from bot.answers.evaluate import evaluate, load_cases

    report = evaluate(Engine(load(args, io)), load_cases(Path(args.file)))
    for line in report.lines():
        io.out(line)
    failed = []
    if args.min_accuracy is not None and report.accuracy < args.min_accuracy:
        failed.append(f"accuracy {report.accuracy:.1%} is below {args.min_accuracy:.1%}")
    if args.min_abstention is not None and report.abstention < args.min_abstention:
        failed.append(f"abstention {report.abstention:.1%} is below {args.min_abstention:.1%}")
    for message in failed:
        io.err(f"eval failed: {message}")
    return 1 if failed else 0


def settings_from(io: Io) -> Settings:
    from bot.config import load_settings

    return load_settings(io.env)


def open_store(io: Io, writes: bool = True) -> Store:
    from bot.serving import open_store as open_checked

    return open_checked(settings_from(io), writes=writes)


def cmd_shell(args: argparse.Namespace, io: Io) -> int:
    from bot.serving import start_live, where_stored
    from bot.slack.curators import Curators
    from bot.slack.services import Deps
    from bot.slack.shell import USER, Shell

    source = knowledge_source(args, io)
    settings = settings_from(io)
    live = live_engine(source.path)
    curators = Curators((*settings.curators, USER))  # you curate your own shell
    store = open_store(io)
    shell = Shell(Deps.with_store(live, store, curators=curators), io.stdout)
    start_live(live)
    notes = [source.describe(), f"database: {where_stored(settings.database_url)}"]
    try:
        shell.run(io.stdin, prompt=io.stdin.isatty(), notes=notes)
    except KeyboardInterrupt:
        io.out()
    finally:
        live.stop()
        shell.close()
        store.close()
    return 0


def parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(
            f"--now must be ISO-8601 with a time zone, e.g. 2027-03-29T07:05:00Z, not {text!r}"
        )
    return moment


def parse_today(text: str | None) -> date:
    try:
        return datetime.now(UTC).date() if text is None else date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--today must be a date, YYYY-MM-DD, not {text!r}") from None


def cmd_tips_run_due(args: argparse.Namespace, io: Io) -> int:
    from bot.config import configure_logging
    from bot.slack.app import web_client
    from bot.slack.services import tip_poster
    from bot.tips.store import TipStore

    settings = settings_from(io)
    now = parse_now(args.now)
    if not settings.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (a bot token, xoxb-…; see .env.example)")
    configure_logging(settings.log_level)
    kb = load(args, io)
    store = open_store(io)
    try:
        poster = tip_poster(TipStore(store), web_client(settings), kb)
        report = poster.run_due(now)
    finally:
        store.close()
    io.out(f"tips at {now.isoformat()}: {report.summary()}")
    return 0


def cmd_report(args: argparse.Namespace, io: Io) -> int:
    from bot.report import parse_since, report_lines, stale_lines
    from bot.serving import missing_sqlite_file, where_stored

    since = parse_since(args.since, datetime.now(UTC))
    settings = settings_from(io)
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None:  # reading must not create an empty database and report it
        raise ConfigError(
            f"DATABASE_URL: {where_stored(settings.database_url)} does not exist, so there is "
            "nothing to report; set DATABASE_URL to the database `pmbot serve` uses"
        )
    kb = load(args, io)
    store = open_store(io, writes=False)
    try:
        where = where_stored(settings.database_url)
        lines = report_lines(store, args.limit, since, database=where)
        for line in [*lines, "", *stale_lines(kb, parse_today(None))]:
            io.out(line)
    finally:
        store.close()
    return 0


def cmd_taught(args: argparse.Namespace, io: Io) -> int:
    from bot.taught import clear, export

    store = open_store(io, writes=args.taught_command == "clear")
    try:
        if args.taught_command == "export":
            return export(store, io.stdout, io.stderr)
        return clear(store, io.stdout)
    finally:
        store.close()


def cmd_serve(args: argparse.Namespace, io: Io) -> int:
    from bot.config import configure_logging
    from bot.serving import serve

    settings = settings_from(io)
    socket_mode = settings.socket_mode if args.mode is None else args.mode == "socket"
    settings.require_for_serving(None if args.mode is None else socket_mode)
    source = knowledge_source(args, io)
    live = live_engine(source.path)  # a broken knowledge file stops here, before Slack
    if args.check:
        from bot.serving import check

        for line in check(settings, source.describe()):
            io.out(line)
        return 0
    configure_logging(settings.log_level)
    return serve(settings, live, socket_mode, where=source.describe())


def tokens_set_note(settings: Settings) -> str:
    """Why plain `pmbot` printed usage rather than opening the shell."""
    names = " and ".join(
        name
        for name, value in (
            ("SLACK_BOT_TOKEN", settings.bot_token),
            ("SLACK_APP_TOKEN", settings.app_token),
        )
        if value
    )
    verb = "are" if " and " in names else "is"
    return (
        f"pmbot: {names} {verb} set (environment or .env), so plain `pmbot` does not open "
        "the local shell. Run `pmbot shell` for the shell, `pmbot serve` to connect to "
        "Slack.\n"
    )


def _add_slack_commands(
    add: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The commands that talk to Slack or the store: shell, serve, tips, report."""
    shell = add("shell", help="chat with the bot locally, no Slack needed")
    shell.set_defaults(handler=cmd_shell)

    serve = add(
        "serve", help="run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP"
    )
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", dest="mode", action="store_const", const="http")
    mode.add_argument("--socket-mode", dest="mode", action="store_const", const="socket")
    serve.add_argument(
        "--check",
        action="store_true",
        help="verify knowledge, the database and the Slack token, then exit (0: ready)",
    )
    serve.set_defaults(handler=cmd_serve, mode=None)

    tips = add("tips", help="daily tips (for cron / Heroku Scheduler)")
    tips_commands = tips.add_subparsers(dest="tips_command", metavar="command", required=True)
    run_due = tips_commands.add_parser(
        "run-due", parents=[common], help="post every tip that is due now, once"
    )
    run_due.add_argument("--now", help="act as if it were this time (ISO-8601 with zone)")
    run_due.set_defaults(handler=cmd_tips_run_due)

    report = add("report", help="questions, answer rates, unanswered, votes, tips")
    report.add_argument("--limit", type=int, default=10, help="rows per table (default 10)")
    report.add_argument("--since", help="only this period: 7d, 24h, 2w, or a date (2027-03-01)")
    report.set_defaults(handler=cmd_report)

    add_taught_parser(add)


def add_taught_parser(add: Callable[..., argparse.ArgumentParser]) -> None:
    taught = add("taught", help="phrasings curators taught in Slack")
    taught_commands = taught.add_subparsers(dest="taught_command", metavar="command", required=True)
    taught_commands.add_parser("export", help="print them as a knowledge file (YAML)")
    taught_commands.add_parser("clear", help="forget them (export and commit them first)")
    taught.set_defaults(handler=cmd_taught)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmbot", description="Product manager or project manager: who does what?"
    )
    parser.add_argument("--knowledge", help=KNOWLEDGE_HELP)
    # Every subcommand takes it too (`pmbot validate --knowledge k1`); SUPPRESS keeps
    # a value given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--knowledge", default=argparse.SUPPRESS, help=KNOWLEDGE_HELP)
    commands = parser.add_subparsers(dest="command", metavar="command")
    add = lambda name, **kw: commands.add_parser(name, parents=[common], **kw)  # noqa: E731

    ask = add("ask", help="answer one question (or stdin lines with --json)")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(handler=cmd_ask)

    topics = add("topics", help="list the knowledge base")
    topics.add_argument("--json", action="store_true")
    topics.set_defaults(handler=cmd_topics)

    validate = add("validate", help="check knowledge files")
    validate.add_argument("path", nargs="?", help="a knowledge directory or file")
    validate.add_argument("--contract", help="topic contract (default: ../shared/topics.yaml)")
    validate.add_argument("--strict", action="store_true", help="warnings are errors (exit 2)")
    validate.add_argument("--today", help="judge freshness as of this date (YYYY-MM-DD)")
    validate.add_argument(
        "--taught", action="store_true", help="also check what curators taught (DATABASE_URL)"
    )
    validate.set_defaults(handler=cmd_validate)

    run_eval = add("eval", help="run an evaluation set")
    run_eval.add_argument("file")
    run_eval.add_argument("--min-accuracy", type=float, help="fail below this (0-1)")
    run_eval.add_argument("--min-abstention", type=float, help="fail below this (0-1)")
    run_eval.set_defaults(handler=cmd_eval)

    _add_slack_commands(add, common)
    return parser


def main(argv: Sequence[str] | None = None, io: Io | None = None) -> int:
    io = io or Io(env=environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            # Plain `pmbot`: with no Slack tokens the useful thing is the local shell.
            settings = settings_from(io)
            if settings.has_slack_tokens:
                io.out(tokens_set_note(settings))
                parser.print_help(io.stdout)
                return 0
            handler = cmd_shell
        return int(handler(args, io))
    except ConfigError as exc:
        if str(io.env.get("LOG_LEVEL", "")).upper() == "DEBUG":
            traceback.print_exception(exc, file=io.stderr)
        io.err(f"pmbot: {exc}")
        return EXIT_BAD_INPUT
    except KnowledgeError as exc:
        for problem in exc.problems:
            io.err(str(problem))
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        io.err(f"pmbot: {exc.filename}: file not found")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader stopped reading (`| head -1`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet too.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
