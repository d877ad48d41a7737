"""The SQLAlchemy engine behind the store, tuned so a database in trouble fails a
call quickly instead of holding it (see "When things break" in the README)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, MetaData, create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

SQLITE_BUSY_SECONDS = 2.0  # every write transaction here takes milliseconds

# Every pmbot table, whichever module defines it (all prefixed `pmbot_`).
metadata = MetaData()


def engine_url(url: str) -> str:
    """Heroku-style and plain PostgreSQL URLs use psycopg 3, which we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = engine_url(url)
    # hide_parameters: an error's text is logged, never the values (a refreshed token).
    if not url.startswith("sqlite"):
        # A database that stops answering must fail a call in seconds, not hang it.
        return create_engine(
            url,
            hide_parameters=True,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 3},
        )
    path = url.split(":///", 1)[1] if ":///" in url else ""
    in_memory = not path or path.startswith(":memory:") or "mode=memory" in path
    if not in_memory and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # A file database opens a connection per use (cheap for SQLite): a file that
    # becomes unwritable, is moved or is replaced is noticed at once, and comes
    # back by itself, instead of living on in pooled connections.
    pooling = {} if in_memory else {"poolclass": NullPool}
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
        hide_parameters=True,
        **pooling,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        # Two processes wait for each other, not fail; but not past Slack's 3 s, so a
        # vote on a locked database is declined politely rather than left unacked.
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        # WAL's recommended setting: commits survive a crash of the process (what the
        # tip claims rely on) without an fsync per commit; only power loss can undo one.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def in_schema(engine: Engine, schema: str) -> Engine:
    """`engine`, every table of its statements in `schema` (PostgreSQL): many
    workspaces' schemas share one engine and its pool (bot/workspaces/stores.py)."""
    return engine.execution_options(schema_translate_map={None: schema})


def schema_of(bind: Engine | Connection) -> str | None:
    """The schema `in_schema` put the tables in; None: the connection's own."""
    found = bind.get_execution_options().get("schema_translate_map") or {}
    return found.get(None)


def qualified(name: str, schema: str | None) -> str:
    """A table's name for hand-written SQL, in its schema."""
    return f'"{schema}".{name}' if schema else name


def count_by(
    connect: Callable[[], AbstractContextManager[Connection]],
    column: ColumnElement[Any],
    which: ColumnElement[bool],
) -> dict[str, int]:
    """How many of the rows `which` selects hold each value of `column` (votes by
    up/down, questions by status, tip posts by state)."""
    query = select(column, func.count()).where(which).group_by(column)
    with connect() as conn:
        return {str(value): int(n) for value, n in conn.execute(query).all()}
