"""Schemas that cannot skip: after the named steps, every table, column and index the
code defines is checked against the database, and whatever is missing is added.

A step number alone can lie: two builds once recorded version 2 for different
changes, and a database made before the steps existed has old tables a version
stamp does not fix (`pmbot_subscriptions` without `active_since`). So the schema the
code defines is the truth, and `pmbot serve --check` reports any drift left.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Connection, Float, Index, Integer, Table, inspect, text
from sqlalchemy.engine import Engine, Inspector

from bot.store.engine import metadata, qualified, schema_of


def _default(column: Column[object]) -> str:
    """The value existing rows get for a NOT NULL column added later."""
    if isinstance(column.type, Boolean):
        return "FALSE"
    if isinstance(column.type, Integer | Float):
        return "0"
    return "''"


SchemaItem = Table | Column[Any] | Index


def _lacking(found: Inspector, schema: str | None) -> list[SchemaItem]:
    """The tables, columns and indexes the code defines and the database lacks (a
    missing table's columns and indexes come with it), in `schema`."""
    tables = set(found.get_table_names(schema))
    ours = [t.name for t in metadata.sorted_tables if t.name in tables]
    # Two queries for every table at once, not two per table: a store opens in
    # milliseconds on PostgreSQL too (each workspace's database is opened this way).
    columns = found.get_multi_columns(schema, filter_names=ours) if ours else {}
    indexes = found.get_multi_indexes(schema, filter_names=ours) if ours else {}
    lacking: list[SchemaItem] = []
    for table in metadata.sorted_tables:
        if table.name not in tables:
            lacking.append(table)
            continue
        have = {c["name"] for c in columns.get((schema, table.name), [])}
        lacking += [c for c in table.columns if c.name not in have]
        named = {i["name"] for i in indexes.get((schema, table.name), [])}
        lacking += [i for i in table.indexes if i.name not in named]
    return lacking


def _named(item: SchemaItem) -> str:
    if isinstance(item, Column):
        return f"column {item.table.name}.{item.name}"
    return f"{'table' if isinstance(item, Table) else 'index'} {item.name}"


def reconcile(conn: Connection) -> list[str]:
    """Add the tables, columns and indexes the code defines and the database lacks;
    return what was added ("column pmbot_subscriptions.active_since")."""
    schema = schema_of(conn)
    lacking = _lacking(inspect(conn), schema)
    for item in lacking:
        if isinstance(item, Column):
            kind = item.type.compile(dialect=conn.dialect)
            default = "" if item.nullable else f" DEFAULT {_default(item)} NOT NULL"
            conn.execute(
                text(
                    f"ALTER TABLE {qualified(item.table.name, schema)} "
                    f"ADD COLUMN {item.name} {kind}{default}"
                )
            )
        else:
            item.create(conn)
    return [_named(item) for item in lacking]


def drift(engine: Engine) -> list[str]:
    """What the database lacks of the schema the code defines (empty: none)."""
    return [_named(item) for item in _lacking(inspect(engine), schema_of(engine))]
