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
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.answers.knowledge import KnowledgeBase, default_knowledge_dir, load_knowledge
from bot.answers.knowledge_sections import missing_settings
from bot.answers.yamlfile import KnowledgeError, Problem
from bot.config import ConfigError, Settings, environment

if TYPE_CHECKING:
    from bot.answers.engine import Result
    from bot.answers.live import LiveEngine
    from bot.store.database import Store

EXIT_BAD_INPUT = 2


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


def knowledge_dir(args: argparse.Namespace, io: Io) -> Path:
    chosen = args.knowledge or io.env.get("PMBOT_KNOWLEDGE_DIR")
    return Path(chosen) if chosen else default_knowledge_dir()


def load(args: argparse.Namespace, io: Io) -> KnowledgeBase:
    return load_knowledge(knowledge_dir(args, io))


def live_engine(args: argparse.Namespace, io: Io) -> LiveEngine:
    """An engine that follows the knowledge directory (hot reload: serve, shell)."""
    from bot.answers.engine import Engine
    from bot.answers.live import LiveEngine

    path = knowledge_dir(args, io)
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
    kb = load(args, io)
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
    path = Path(args.path) if args.path else knowledge_dir(args, io)
    contract_arg = args.contract or io.env.get("PMBOT_CONTRACT")
    contract = Path(contract_arg) if contract_arg else default_contract()
    if contract is None:
        io.err("note: no topic contract found (pass --contract); contract not checked")
    kb = load_knowledge(path, contract=contract)
    unset = missing_settings(kb.settings)
    if unset:
        raise KnowledgeError([Problem(str(path), 1, message) for message in unset])
    from bot.answers.lint import knowledge_warnings

    warnings = knowledge_warnings(kb, parse_today(args.today))
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
    from bot.serving import start_live
    from bot.slack.curators import Curators
    from bot.slack.services import Deps
    from bot.slack.shell import USER, Shell

    live = live_engine(args, io)
    curators = Curators((*settings_from(io).curators, USER))  # you curate your own shell
    store = open_store(io)
    shell = Shell(Deps.with_store(live, store, curators=curators), io.stdout)
    start_live(live)
    try:
        shell.run(io.stdin, prompt=io.stdin.isatty())
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
    from bot.report import report_lines, stale_lines

    kb = load(args, io)
    store = open_store(io, writes=False)
    try:
        for line in [*report_lines(store, args.limit), "", *stale_lines(kb, parse_today(None))]:
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
    settings.require_for_serving(socket_mode)
    configure_logging(settings.log_level)
    return serve(settings, live_engine(args, io), socket_mode)


def add_taught_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    taught = commands.add_parser("taught", help="phrasings curators taught in Slack")
    taught_commands = taught.add_subparsers(dest="taught_command", metavar="command", required=True)
    taught_commands.add_parser("export", help="print them as a knowledge file (YAML)")
    taught_commands.add_parser("clear", help="forget them (export and commit them first)")
    taught.set_defaults(handler=cmd_taught)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmbot", description="Product manager or project manager: who does what?"
    )
    parser.add_argument("--knowledge", help="knowledge directory (default: knowledge/)")
    commands = parser.add_subparsers(dest="command", metavar="command")

    ask = commands.add_parser("ask", help="answer one question (or stdin lines with --json)")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(handler=cmd_ask)

    topics = commands.add_parser("topics", help="list the knowledge base")
    topics.add_argument("--json", action="store_true")
    topics.set_defaults(handler=cmd_topics)

    validate = commands.add_parser("validate", help="check knowledge files")
    validate.add_argument("path", nargs="?", help="a knowledge directory or file")
    validate.add_argument("--contract", help="topic contract (default: ../shared/topics.yaml)")
    validate.add_argument("--strict", action="store_true", help="warnings are errors (exit 2)")
    validate.add_argument("--today", help="judge freshness as of this date (YYYY-MM-DD)")
    validate.set_defaults(handler=cmd_validate)

    run_eval = commands.add_parser("eval", help="run an evaluation set")
    run_eval.add_argument("file")
    run_eval.add_argument("--min-accuracy", type=float, help="fail below this (0-1)")
    run_eval.add_argument("--min-abstention", type=float, help="fail below this (0-1)")
    run_eval.set_defaults(handler=cmd_eval)

    shell = commands.add_parser("shell", help="chat with the bot locally, no Slack needed")
    shell.set_defaults(handler=cmd_shell)

    serve = commands.add_parser(
        "serve", help="run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP"
    )
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", dest="mode", action="store_const", const="http")
    mode.add_argument("--socket-mode", dest="mode", action="store_const", const="socket")
    serve.set_defaults(handler=cmd_serve, mode=None)

    _add_operations(commands)
    return parser


def _add_operations(commands: Any) -> None:
    """The commands an operator runs next to the bot: tips from cron, curators'
    taught phrasings, the report."""
    tips = commands.add_parser("tips", help="daily tips (for cron / Heroku Scheduler)")
    tips_commands = tips.add_subparsers(dest="tips_command", metavar="command", required=True)
    run_due = tips_commands.add_parser("run-due", help="post every tip that is due now, once")
    run_due.add_argument("--now", help="act as if it were this time (ISO-8601 with zone)")
    run_due.set_defaults(handler=cmd_tips_run_due)

    add_taught_parser(commands)
    report = commands.add_parser("report", help="asked topics, unanswered, votes, tips")
    report.add_argument("--limit", type=int, default=10)
    report.set_defaults(handler=cmd_report)


def main(argv: Sequence[str] | None = None, io: Io | None = None) -> int:
    io = io or Io(env=environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            # Plain `pmbot`: with no Slack tokens the useful thing is the local shell.
            if settings_from(io).has_slack_tokens:
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
