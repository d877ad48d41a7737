"""The `pmbot` commands that talk to Slack or the store: shell, serve, tips run-due,
report, taught. Their Slack and database imports stay inside them, so `pmbot ask`
never loads those libraries."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from bot.cli_io import (
    Io,
    knowledge_source,
    live_engine,
    load,
    open_store,
    parse_now,
    parse_today,
    settings_from,
)
from bot.config import ConfigError, Settings


def cmd_shell(args: argparse.Namespace, io: Io) -> int:
    from bot.compose import with_store
    from bot.curation.curators import Curators
    from bot.local.shell import USER, Shell, machine_zone
    from bot.local.terminal import history_file, typed_lines
    from bot.serving import start_live, where_stored

    source = knowledge_source(args, io)
    settings = settings_from(io)
    live = live_engine(source.path, io.env)
    curators = Curators((*settings.curators, USER))  # you curate your own shell
    store = open_store(io)
    zone = machine_zone(io.env)
    at_a_terminal = io.stdin is sys.stdin and io.stdin.isatty()
    width = shutil.get_terminal_size().columns if at_a_terminal and io.stdout.isatty() else None
    deps = with_store(live, store, curators=curators)
    shell = Shell(deps, io.stdout, zone=zone, width=width)
    start_live(live)
    notes = [source.describe(), f"database: {where_stored(settings.database_url)}"]
    notes.append(f"your time zone: {zone} (this machine's; `/pm tips on` uses it)")
    # At a terminal, lines come through readline: editing, and history between sessions.
    lines = typed_lines("you> ", history_file(io.env)) if at_a_terminal else io.stdin
    try:
        shell.run(lines, notes=notes)
    except KeyboardInterrupt:
        io.out()
    finally:
        live.stop()
        shell.close()
        store.close()
    return 0


def cmd_tips_run_due(args: argparse.Namespace, io: Io) -> int:
    from bot.config import configure_logging
    from bot.slack.app import web_client
    from bot.tips.feature import tip_poster
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
    from bot.answers.engine import Engine
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
        words = Engine(kb).normaliser
        lines = report_lines(store, args.limit, since, database=where, normaliser=words)
        for line in [*lines, "", *stale_lines(kb, parse_today(None))]:
            io.out(line)
    finally:
        store.close()
    return 0


def cmd_taught(args: argparse.Namespace, io: Io) -> int:
    from bot.curation.export import clear, export

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
    live = live_engine(source.path, io.env)  # a broken knowledge file stops here, before Slack
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
    purge = add("purge", help="forget what pmbot logged before a date (questions, votes…)")
    purge.add_argument("--before", required=True, help="a date (2027-03-01, UTC) or ISO time")
    purge.set_defaults(handler=cmd_purge)


PURGED = {
    "pmbot_questions": "questions counted",
    "pmbot_unanswered": "unanswered questions",
    "pmbot_feedback": "votes",
    "pmbot_answers_given": "answers remembered for edits",
    "pmbot_events_seen": "event ids",
    "pmbot_handoffs": "hand-offs",
}


def cmd_purge(args: argparse.Namespace, io: Io) -> int:
    """`pmbot purge --before DATE`: delete what was logged before DATE (docs/deploy.md)."""
    from bot.handoff.store import HandoffStore
    from bot.workspaces.installs import installed_stores

    before, settings = parse_before(args.before), settings_from(io)
    store = open_store(io)
    stores = [store]
    removed: Counter[str] = Counter()
    try:
        if settings.distributed:  # and every workspace's own database
            stores += installed_stores(store, settings.database_url, settings.client_id or "")
        for each in stores:
            removed.update(each.purge(before.timestamp()))
            removed["pmbot_handoffs"] += HandoffStore(each).purge(before.timestamp())
    finally:
        for each in stores:
            each.close()
    counts = ", ".join(f"{removed.get(table, 0)} {what}" for table, what in PURGED.items())
    where = (
        f" in {len(stores) - 1} workspaces and pmbot's own database" if settings.distributed else ""
    )
    io.out(f"forgot what was logged before {before:%Y-%m-%d %H:%M} UTC{where}: {counts}")
    return 0


def parse_before(text: str) -> datetime:
    from bot.report import parse_moment

    must = "--before must be a date like 2027-03-01 (UTC) or an ISO time"
    return parse_moment(text, must).astimezone(UTC)


def add_taught_parser(add: Callable[..., argparse.ArgumentParser]) -> None:
    taught = add("taught", help="phrasings curators taught in Slack")
    taught_commands = taught.add_subparsers(dest="taught_command", metavar="command", required=True)
    taught_commands.add_parser("export", help="print them as a knowledge file (YAML)")
    taught_commands.add_parser("clear", help="forget them (export and commit them first)")
    taught.set_defaults(handler=cmd_taught)
