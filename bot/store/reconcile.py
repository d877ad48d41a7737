"""Schemas that cannot skip: after the named steps, every table, column and index the
code defines is checked against the database, and whatever is missing is added.

A step number alone can lie: two builds once recorded version 2 for different
changes, and a database made before the steps existed has old tables a version
stamp does not fix (`pmbot_subscriptions` without `active_since`). So the schema the
code defines is the truth, and `pmbot serve --check` reports any drift left.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Connection, Float, Integer, inspect, text
from sqlalchemy.engine import Engine

from bot.store.engine import metadata


def _default(column: Column[object]) -> str:
    """The value existing rows get for a NOT NULL column added later."""
    if isinstance(column.type, Boolean):
        return "FALSE"
    if isinstance(column.type, Integer | Float):
        return "0"
    return "''"


def reconcile(conn: Connection) -> list[str]:
    """Add the tables, columns and indexes the code defines and the database lacks;
    return what was added ("column pmbot_subscriptions.active_since")."""
    found = inspect(conn)
    tables = set(found.get_table_names())
    added: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in tables:
            table.create(conn)
            added.append(f"table {table.name}")
            continue
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            default = "" if column.nullable else f" DEFAULT {_default(column)} NOT NULL"
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{default}"))
            added.append(f"column {table.name}.{column.name}")
        indexes = {i["name"] for i in found.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(conn)
                added.append(f"index {index.name}")
    return added


def drift(engine: Engine) -> list[str]:
    """What the database lacks of the schema the code defines (empty: none)."""
    found = inspect(engine)
    tables = set(found.get_table_names())
    missing: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in tables:
            missing.append(f"table {table.name}")
            continue
        have = {c["name"] for c in found.get_columns(table.name)}
        missing += [f"column {table.name}.{c.name}" for c in table.columns if c.name not in have]
        indexes = {i["name"] for i in found.get_indexes(table.name)}
        missing += [f"index {i.name}" for i in table.indexes if i.name not in indexes]
    return missing
