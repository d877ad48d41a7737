"""The schema's history as named steps, applied in order on start.

A fresh database gets every table as the code defines it now (`metadata.create_all`)
and records the latest version. A database created by an older version gets the
steps after the one it records, each in the same transaction as its new version
number, so a crash mid-upgrade leaves the old version recorded. To change the
schema: change the table, then append a step that brings an existing database to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Integer, Table, func, insert, select, update
from sqlalchemy.engine import Engine

import bot.store.holders
import bot.store.tables
import bot.tips.tables  # the tip tables
from bot.store.engine import metadata
from bot.store.taught import CURATOR_TABLES

schema_version = Table("pmbot_schema_version", metadata, Column("version", Integer, nullable=False))


@dataclass(frozen=True)
class Migration:
    name: str
    upgrade: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def _answers_given(conn: Connection) -> None:
    metadata.create_all(conn, tables=[bot.store.tables.answers_given], checkfirst=True)


def _curator_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=CURATOR_TABLES, checkfirst=True)


def _role_holders(conn: Connection) -> None:
    metadata.create_all(conn, tables=[bot.store.holders.role_holders], checkfirst=True)


# Step N (1-based) brings a database at version N-1 to version N.
MIGRATIONS: list[Migration] = [
    Migration(
        "initial: events, questions, feedback, unanswered, tip subscriptions and posts", _initial
    ),
    Migration("answers given, so an edited mention updates its answer", _answers_given),
    Migration("curators: taught phrasings and dismissed questions", _curator_tables),
    Migration("role holders per channel (/pm team)", _role_holders),
]


def recorded_version(conn: Connection) -> int | None:
    version = conn.execute(select(func.max(schema_version.c.version))).scalar()
    return None if version is None else int(version)


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema; return the version now recorded."""
    latest = len(MIGRATIONS)
    metadata.create_all(engine, tables=[schema_version], checkfirst=True)
    with engine.begin() as conn:
        version = recorded_version(conn)
        if version is None:
            metadata.create_all(conn, checkfirst=True)
            conn.execute(insert(schema_version).values(version=latest))
            return latest
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step.upgrade(conn)
            conn.execute(update(schema_version).values(version=number))
        return max(version, latest)


def check_writable(engine: Engine) -> None:
    """Raise unless the database takes a write (a no-op update of the version row)."""
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=schema_version.c.version))
