"""The schema's history as named steps, applied in order on start.

A fresh database gets every table as the code defines it now (`metadata.create_all`)
and records the latest version. A database created by an older version gets the
steps after the one it records, each in the same transaction as its new version
number, so a crash mid-upgrade leaves the old version recorded. To change the
schema: change the table, then register the next step, one that brings an existing
database to it, beside the table (a feature registers its own: bot/team/tables.py).
Whatever opens a store first imports every feature's tables (bot/compose.py).
After the steps, whatever version was recorded, the database is checked against the
tables the code defines and anything missing is added (bot/store/reconcile.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    Table,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine

import bot.store.tables
from bot.store.engine import metadata, schema_of
from bot.store.reconcile import reconcile

log = logging.getLogger("pmbot.store")

schema_version = Table("pmbot_schema_version", metadata, Column("version", Integer, nullable=False))


@dataclass(frozen=True)
class Migration:
    name: str
    upgrade: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def creates(*tables: Table) -> Callable[[Connection], None]:
    """A step that adds new tables (a feature's own, say) to an existing database."""

    def create(conn: Connection) -> None:
        metadata.create_all(conn, tables=list(tables), checkfirst=True)

    return create


# Step N (1-based) brings a database at version N-1 to version N. A hole (None) is a
# step whose feature was not imported: migrate() refuses to run past it.
MIGRATIONS: list[Migration | None] = []
_registered: dict[int, Migration] = {}


def register(number: int, step: Migration) -> None:
    """Make `step` the schema's step `number`: a number is given once, for good."""
    if _registered.setdefault(number, step) is not step:
        raise ValueError(f"schema step {number} is registered twice")
    MIGRATIONS[:] = [_registered.get(n) for n in range(1, max(_registered) + 1)]


register(
    1,
    Migration(
        "initial: events, questions, feedback, unanswered, tip subscriptions and posts", _initial
    ),
)
register(
    2,
    Migration(
        "answers given, so an edited mention updates its answer",
        creates(bot.store.tables.answers_given),
    ),
)


def _one_vote_per_answer(conn: Connection) -> None:
    """The votes table gains the answer voted on (`answer_ref`) and its unique index:
    added, as the table defines them, by the check every upgrade ends with."""
    reconcile(conn)


register(5, Migration("one vote per user and answer", _one_vote_per_answer))


def recorded_version(conn: Connection) -> int | None:
    version = conn.execute(select(func.max(schema_version.c.version))).scalar()
    return None if version is None else int(version)


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema; return the version now recorded."""
    missing = [n for n, step in enumerate(MIGRATIONS, start=1) if step is None]
    if missing:
        raise RuntimeError(f"schema step {missing[0]} is not registered: import bot.compose first")
    latest = len(MIGRATIONS)
    metadata.create_all(engine, tables=[schema_version], checkfirst=True)
    with engine.begin() as conn:
        version = recorded_version(conn)
        if version is None:  # no version: every table as the code defines it
            older = set(inspect(conn).get_table_names(schema_of(conn))) - {schema_version.name}
            metadata.create_all(conn, checkfirst=True)
            conn.execute(insert(schema_version).values(version=latest))
            if not older:  # a new database: nothing to check
                return latest
            version = latest  # tables from before versions: checked below
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            assert step is not None  # checked above
            step.upgrade(conn)
            conn.execute(update(schema_version).values(version=number))
        # Whatever the version says, the tables are then what the code defines.
        added = reconcile(conn)
        if added:
            log.warning("schema: added what the database lacked: %s", ", ".join(added))
        return max(version, latest)


def check_writable(engine: Engine) -> None:
    """Raise unless the database takes a write (a no-op update of the version row)."""
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=schema_version.c.version))
