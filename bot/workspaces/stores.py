"""Where each workspace's data lives: a database of its own beside pmbot's.

A workspace's holders, votes, tips and every other row live apart from every other
workspace's: a SQLite file of their own (`pmbot.sqlite3` keeps workspace T123's in
`pmbot.workspaces/T123.sqlite3`), or a PostgreSQL schema of their own in the same
database (`pmbot_t123`, or `<schema>_t123` when DATABASE_URL sets a search_path),
reached through pmbot's own engine and pool (its statements' tables put in that
schema). Every query runs unchanged inside it, so no query can forget to say whose
rows it means, and an uninstall drops the file or schema whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import ConfigError
from bot.store.database import Store
from bot.store.engine import engine_url, in_schema

# A workspace (T…) or an Enterprise Grid org (E…), as Slack writes their ids; nothing
# else names a file or a schema, so a forged id cannot reach outside.
KEY = re.compile(r"[TE][A-Z0-9]{2,31}")  # whole ids only: KEY.fullmatch
SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*([A-Za-z0-9_]+)")


class UnknownWorkspace(ValueError):
    """An id that is not a Slack team or enterprise id."""


def checked(key: str) -> str:
    if not KEY.fullmatch(key):
        raise UnknownWorkspace(f"not a Slack workspace or org id: {key[:40]!r}")
    return key


def workspace_url(url: str, key: str) -> str:
    """Where workspace `key`'s SQLite file is, beside pmbot's at `url` (PostgreSQL
    keeps it in a schema of pmbot's database: `workspace_schema`)."""
    checked(key)
    name = make_url(engine_url(url)).database or ""
    if not name or name.startswith(":memory:"):
        return "sqlite://"  # in memory, as pmbot's own: a test's, gone with it
    if name.startswith("file:"):
        raise ConfigError(
            "DATABASE_URL: serving every workspace needs a SQLite path "
            "(sqlite:///path/pmbot.sqlite3), not a file: URI, or PostgreSQL"
        )
    path = Path(name)
    return f"sqlite:///{path.parent / (path.stem + '.workspaces') / (key + '.sqlite3')}"


def workspace_schema(url: str, key: str) -> str:
    """Workspace `key`'s PostgreSQL schema: `pmbot_t123`, or `<schema>_t123` when
    DATABASE_URL sets a search_path."""
    options = make_url(engine_url(url)).query.get("options") or ""
    found = SEARCH_PATH.search(options if isinstance(options, str) else " ".join(options))
    return f"{found.group(1) if found else 'pmbot'}_{checked(key).lower()}"


def _sqlite(url: str) -> bool:
    return make_url(engine_url(url)).get_backend_name() == "sqlite"


def check_url(url: str) -> None:
    """At start-up: DATABASE_URL can hold a database per workspace (else ConfigError)."""
    if _sqlite(url):
        workspace_url(url, "T00000000")


def open_workspace_store(main: Store, url: str, key: str) -> Store:
    """Workspace `key`'s store, created (and migrated) on first use: its own SQLite
    file, or its schema on pmbot's PostgreSQL engine (one pool for every workspace)."""
    if _sqlite(url):
        return Store(workspace_url(url, key), clock=main.clock)
    schema = workspace_schema(url, key)
    with main.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return Store(url, clock=main.clock, engine=in_schema(main.engine, schema))


def drop_workspace_data(main: Store, url: str, key: str) -> None:
    """Delete every row workspace `key` had: its file, or its schema (an uninstall)."""
    if _sqlite(url):
        name = make_url(workspace_url(url, key)).database
        if name:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(name + suffix).unlink(missing_ok=True)
        return
    with main.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{workspace_schema(url, key)}" CASCADE'))
