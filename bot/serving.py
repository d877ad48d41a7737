"""`pmbot serve`: start-up checks that fail in one line, and a graceful stop.

Every misconfiguration found at start-up becomes a ConfigError naming the
variable to fix (the CLI prints it and exits 2; with LOG_LEVEL=DEBUG it also
prints the traceback). Once serving, SIGTERM stops new work, lets replies and a
tip post in flight finish within SHUTDOWN_SECONDS, and returns (exit 0).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.slack.resilience import first_line

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.answers.engine import Engine
    from bot.answers.live import LiveEngine
    from bot.slack.services import Deps
    from bot.store.database import Store

log = logging.getLogger("pmbot.serve")
SLACK_DEFAULT_API = "https://slack.com/api/"
DATABASE_HINT = "expected sqlite:///path/to/file.sqlite3 or postgresql://user:pass@host:5432/db"


def where_stored(url: str) -> str:
    """The database a URL names, without its password (start-up lines, report)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # unparsable: say nothing more than the scheme
        return url.split(":", 1)[0]
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database or '(in memory)'}"
    return f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def missing_sqlite_file(url: str) -> Path | None:
    """The file a sqlite:/// URL names when it does not exist yet, else None."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # open_store reports an unreadable URL
        return None
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not name or name.startswith((":memory:", "file:")):
        return None
    return None if Path(name).exists() else Path(name)


def database_problem(url: str, error: BaseException) -> str:
    """One line for a store that cannot be opened, naming DATABASE_URL."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if isinstance(error, NoSuchModuleError):
        return f"DATABASE_URL names a database driver pmbot does not have ({DATABASE_HINT})"
    if isinstance(error, ArgumentError | ValueError):
        return f"DATABASE_URL could not be read as a database URL ({DATABASE_HINT})"
    where = where_stored(url)
    detail = first_line(error)
    orig = getattr(error, "orig", error)
    if isinstance(orig, sqlite3.Error) or isinstance(error, OSError):
        lowered = detail.lower()
        if "readonly" in lowered or "read-only" in lowered:
            return f"DATABASE_URL: {where} is read-only; make it writable or choose another path"
        if "not a database" in lowered or "malformed" in lowered:
            return f"DATABASE_URL: {where} is not a SQLite database (corrupt, or another file)"
        if "unable to open" in lowered or isinstance(error, OSError):
            return (
                f"DATABASE_URL: cannot open {where} ({detail}); "
                "is the path a directory, or its folder missing or read-only?"
            )
    return f"DATABASE_URL: cannot use {where}: {detail}"


def open_store(settings: Settings, writes: bool = True) -> Store:
    """The store, migrated and (with `writes`) known to take writes, or a
    ConfigError naming DATABASE_URL: the one place every command opens it."""
    import bot.schema  # noqa: F401  every table, before the store migrates
    from bot.store.database import Store

    if settings.distributed:  # and the installations' (slack_sdk's: loaded when needed)
        from bot.workspaces.tables import installation_tables

        installation_tables()

    store = None
    try:
        store = Store(settings.database_url)
        if writes:
            store.check_writable()
    except Exception as error:  # every driver's failure becomes one line
        if store is not None:
            store.close()
        raise ConfigError(database_problem(settings.database_url, error)) from error
    return store


def slack_problem(settings: Settings, error: BaseException) -> str:
    from slack_sdk.errors import SlackApiError

    api = settings.api_url or SLACK_DEFAULT_API
    text = str(error)
    if isinstance(error, SlackApiError) or "auth.test result" in text:
        code = first_line(error)
        if "invalid_auth" in text or "not_authed" in text or "token_revoked" in text:
            code = next(c for c in ("invalid_auth", "not_authed", "token_revoked") if c in text)
        return (
            f"SLACK_BOT_TOKEN was rejected by Slack ({code}); copy the Bot User OAuth Token "
            "(xoxb-…) again from OAuth & Permissions"
        )
    detail = getattr(error, "reason", None) or first_line(error)  # URLError: the OS's words
    return (
        f"cannot reach Slack's Web API at {api} to check SLACK_BOT_TOKEN "
        f"({detail}); check the network or SLACK_API_URL"
    )


def build_checked_app(settings: Settings, deps: Deps) -> App:
    """build_app, whose auth.test call is where a bad token or no Slack shows up."""
    from bot.slack.app import build_app

    # slack_sdk logs an ERROR line per failed attempt; the one line below says it all.
    sdk_log = logging.getLogger("slack_sdk")
    level = sdk_log.level
    if settings.log_level != "DEBUG":
        sdk_log.setLevel(logging.CRITICAL)
    try:
        return build_app(settings, deps)
    except Exception as error:  # BoltError, SlackApiError, URLError, timeouts
        raise ConfigError(slack_problem(settings, error)) from error
    finally:
        sdk_log.setLevel(level)


def check_experts(settings: Settings, client: WebClient) -> str | None:
    """PMBOT_EXPERTS_CHANNEL, if set, is a channel pmbot is in (its "Ask a person"
    posts would fail otherwise); the line to print, or a ConfigError naming it."""
    from slack_sdk.errors import SlackApiError

    channel = settings.experts_channel
    if channel is None:
        return None
    where = f"PMBOT_EXPERTS_CHANNEL: pmbot is not in {channel}; invite it there (/invite @pmbot)"
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "error"
        if code in ("channel_not_found", "not_in_channel"):
            raise ConfigError(where) from error
        raise ConfigError(f"PMBOT_EXPERTS_CHANNEL: Slack would not say ({code})") from error
    if not info.get("is_member"):
        raise ConfigError(where)
    return f"ok: pmbot is in the experts channel {channel} (PMBOT_EXPERTS_CHANNEL)"


def start_live(live: LiveEngine) -> None:
    """Taught phrasings read once now, then the knowledge watched (hot reload) and
    the store polled for other processes' teaching, on a thread of their own."""
    try:
        live.refresh_taught(force=True)
    except Exception as error:  # a store that fails now: the poller keeps trying
        log.warning("taught phrasings not read at start: %s", first_line(error))
    live.start()


def store_problem(store: Store) -> str | None:
    """/readyz: None when the store answers a trivial query, else why not (the
    Slack token was checked at start-up, which stops on a rejected one)."""
    try:
        store.ping()
    except Exception as error:  # any driver's failure: not ready
        return f"database unavailable ({type(error).__name__})"
    return None


def check(settings: Settings, where: str) -> list[str]:
    """`pmbot serve --check`: what serving needs, verified without serving: the
    store opens, migrates and takes a write; Slack accepts the bot token
    (auth.test). Lines to print, or a ConfigError naming the setting (exit 2).
    For a platform's readiness or release step; /healthz stays a cheap liveness probe."""
    from bot.slack.app import web_client
    from bot.store.reconcile import drift

    store = open_store(settings)
    try:
        version = store.migrate()
        lacking = drift(store.engine)
        installs: list[str] = []
        if settings.distributed:  # the app's credentials and the installs, not a token
            from bot.distributed import check_lines

            installs = check_lines(settings, store)
    finally:
        store.close()
    if lacking:  # migrate() adds what is missing: what is left, it could not
        raise ConfigError(
            f"DATABASE_URL: the schema differs from the code's ({', '.join(lacking[:5])}); "
            "check the database user may alter tables"
        )
    database = (
        f"ok: database: {where_stored(settings.database_url)} "
        f"(schema version {version}, matches the code, writable)"
    )
    if settings.distributed:
        return [f"ok: {where}", database, *installs]
    sdk_log = logging.getLogger("slack_sdk")
    level = sdk_log.level
    sdk_log.setLevel(logging.CRITICAL)  # the one line below says it all
    client = web_client(settings)
    try:
        auth = client.auth_test()
    except Exception as error:  # SlackApiError, URLError, timeouts
        raise ConfigError(slack_problem(settings, error)) from error
    finally:
        sdk_log.setLevel(level)
    api = settings.api_url or SLACK_DEFAULT_API
    experts = check_experts(settings, client)
    return [
        f"ok: {where}",
        database,
        f"ok: Slack accepted SLACK_BOT_TOKEN at {api} (team {auth.get('team')}, "
        f"bot user {auth.get('user')})",
        *([experts] if experts else []),
    ]


def serve(
    settings: Settings, engine: Engine | LiveEngine, socket_mode: bool, where: str = ""
) -> int:
    """`where`: which knowledge is in use, said once start-up has succeeded."""
    from bot.answers.live import LiveEngine
    from bot.compose import for_serving
    from bot.curation.curators import Curators
    from bot.slack.server import SHUTDOWN_SECONDS, serve_http, serve_socket_mode
    from bot.tips.feature import tip_poster
    from bot.tips.scheduler import TipScheduler
    from bot.tips.store import TipStore
    from bot.workspaces.legacy import record_from_slack

    store = open_store(settings)
    live = engine if isinstance(engine, LiveEngine) else LiveEngine(engine)
    if settings.distributed:
        return _serve_workspaces(settings, live, store, where)
    curators = Curators(settings.curators)
    deps = for_serving(live, store, curators=curators, experts=settings.experts_channel)
    try:
        app = build_checked_app(settings, deps)
        check_experts(settings, app.client)
    except ConfigError:
        store.close()
        raise
    record_from_slack(app.client, store)  # for a later switch to every workspace
    start_live(live)
    if where:
        log.info("%s", where)
    log.info("database: %s", where_stored(settings.database_url))
    # One scheduler per process; with several processes the database claim keeps
    # each channel's tip to one a day.
    poster = tip_poster(TipStore(store), app.client, lambda: live.current.kb)
    scheduler = TipScheduler(poster).start()
    try:
        if socket_mode:
            serve_socket_mode(app, settings)
        else:
            serve_http(app, settings, ready=lambda: store_problem(store))
    finally:
        deadline = time.monotonic() + SHUTDOWN_SECONDS
        log.info("stopping: finishing replies and tips in flight")
        scheduler.request_stop()  # no new tip run starts while the replies finish
        deps.close(SHUTDOWN_SECONDS)
        live.stop()
        if not scheduler.stop(max(0.1, deadline - time.monotonic())):
            log.warning("a tip post was still in flight; its claim is taken over later")
        store.close()
        log.info("stopped")
    return 0


def _serve_workspaces(settings: Settings, live: LiveEngine, store: Store, where: str) -> int:
    from bot.distributed import serve_workspaces

    if where:
        log.info("%s", where)
    log.info("database: %s", where_stored(settings.database_url))
    try:
        return serve_workspaces(settings, live, store, ready=lambda: store_problem(store))
    finally:
        store.close()
