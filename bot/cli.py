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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.knowledge_sections import missing_settings
from bot.answers.problems import KnowledgeError, Problem
from bot.cli_io import (
    EXIT_BAD_INPUT,
    KNOWLEDGE_HELP,
    Io,
    default_contract,
    knowledge_source,
    load,
    open_store,
    parse_today,
    settings_from,
)
from bot.cli_slack import _add_slack_commands, cmd_shell, tokens_set_note
from bot.config import ConfigError, environment

if TYPE_CHECKING:
    from bot.answers.lint import LintWarning
    from bot.answers.result import Result


def cmd_ask(args: argparse.Namespace, io: Io) -> int:
    from bot.answers.cache import cached_engine

    engine = cached_engine(knowledge_source(args, io).path, io.env)
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
    # One file is checked with the knowledge in use around it (its settings, the
    # topics it refers to), standing in for that knowledge's file of the same name.
    edited = path if path.is_file() and source.path.is_dir() else None
    contract_arg = args.contract or io.env.get("PMBOT_CONTRACT")
    # The project's own contract binds the shipped knowledge only; a team's own
    # directory is checked against one when asked (--contract).
    shipped = source.shipped and not args.path
    contract = Path(contract_arg) if contract_arg else default_contract() if shipped else None
    if edited is not None:
        kb = load_knowledge(source.path, contract=contract, edited=edited)
    else:
        kb = load_knowledge(path, contract=contract)
    unset = missing_settings(kb.settings)
    if unset:
        raise KnowledgeError([Problem(str(path), 1, message) for message in unset])
    from bot.answers.lint import knowledge_warnings

    taught = taught_phrasings(io) if args.taught else {}
    warnings = knowledge_warnings(kb, parse_today(args.today), taught)
    if not (source.shipped and not args.path):  # a team's knowledge: what it moves
        warnings += moved_on_shipped_sets(kb)
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


def moved_on_shipped_sets(kb: KnowledgeBase) -> list[LintWarning]:
    """The shipped evaluation sets' answers this knowledge moves."""
    from bot.answers.knowledge import default_knowledge_dir
    from bot.answers.moved import moved_answers

    contract = default_contract()
    sets = sorted(contract.parent.glob("eval/*.yaml")) if contract else []
    if not sets:
        return []
    shipped = load_knowledge(default_knowledge_dir())
    # Only knowledge built on the shipped one (a team's additions or edits) is compared:
    # a knowledge base of its own answers other questions altogether.
    if not set(shipped.topics) <= set(kb.topics):
        return []
    return moved_answers(kb, shipped, sets)


def taught_phrasings(io: Io) -> dict[str, list[str]]:
    """What curators taught, from the database `pmbot serve` uses (validate --taught)."""
    from bot.curation.store import TaughtStore

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


class VersionAction(argparse.Action):
    """`pmbot --version`; the installed version is looked up only when asked, so a
    plain `pmbot ask` does not pay for importlib.metadata."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("pmbot")
        except PackageNotFoundError:  # run from a checkout that was never installed
            found = "unknown (not installed)"
        print(f"pmbot {found}")  # on standard output, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmbot", description="Product manager or project manager: who does what?"
    )
    parser.add_argument("--knowledge", help=KNOWLEDGE_HELP)
    parser.add_argument("--version", action=VersionAction, help="print pmbot's version")
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
            import traceback  # only here: it costs a cold `pmbot ask` a few ms

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
