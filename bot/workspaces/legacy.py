"""A database that served one workspace (SLACK_BOT_TOKEN) goes on serving it when
pmbot serves every workspace: at start-up its rows move, table by table, to that
workspace's own database, and are then deleted from pmbot's. Nothing is lost: the
copy commits first, and a start-up cut short in between finds the copy whole and
finishes. A workspace's database that holds other rows is never overwritten.

Which workspace it served is recorded by single-workspace `pmbot serve`, from
Slack's auth.test (`record_workspace`); the move marks it done, so rows written to
pmbot's database later are left where they are.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlalchemy import Connection, Table, delete, func, insert, select, text, update

from bot.config import ConfigError
from bot.slack.resilience import first_line
from bot.store.database import Store
from bot.store.engine import metadata, qualified, schema_of
from bot.store.migrations import schema_version
from bot.workspaces.stores import KEY, open_workspace_store
from bot.workspaces.tables import BOTS, INSTALLATIONS, OAUTH_STATES, workspace_of_record

log = logging.getLogger("pmbot.workspaces")
NOT_DATA = {schema_version.name, INSTALLATIONS, BOTS, OAUTH_STATES, workspace_of_record.name}


def data_tables() -> list[Table]:
    """The tables holding a workspace's rows, parents before children."""
    return [t for t in metadata.sorted_tables if t.name not in NOT_DATA]


def record_workspace(store: Store, team_id: str | None, enterprise_id: str | None) -> None:
    """Single-workspace serving: remember which workspace this database serves."""
    key = team_id or enterprise_id
    if not key or not KEY.fullmatch(key):
        return
    with store.begin() as conn:
        conn.execute(delete(workspace_of_record))
        conn.execute(insert(workspace_of_record).values(key=key, recorded_at=store.clock()))


def record_from_slack(client: WebClient, store: Store) -> None:
    """`record_workspace` with what auth.test says; a failure only costs a warning."""
    try:
        auth = client.auth_test()
        record_workspace(store, auth.get("team_id"), auth.get("enterprise_id"))
    except Exception as error:  # Slack or the store briefly away: recorded next start
        log.warning("workspace not recorded: %s", first_line(error))


def _continue_ids(conn: Connection, table: Table) -> None:
    """PostgreSQL hands out ids from a sequence, which copied rows did not use: the
    next id comes after the largest copied (SQLite takes the largest by itself)."""
    if conn.dialect.name != "postgresql" or "id" not in table.c:
        return
    name = qualified(table.name, schema_of(conn))
    conn.execute(
        text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))")
    )


def _rows(store: Store) -> dict[Table, int]:
    with store.connect() as conn:
        counts = {
            t: conn.execute(select(func.count()).select_from(t)).scalar() for t in data_tables()
        }
    return {t: int(n or 0) for t, n in counts.items() if n}


def move_single_workspace_data(main: Store, url: str) -> str | None:
    """Move the rows of a database that served one workspace to that workspace's own;
    the key they moved under, or None when there was nothing to move (none, or moved
    before). A workspace whose own database already holds other rows is not touched."""
    found = _rows(main)
    with main.connect() as conn:
        record = conn.execute(select(workspace_of_record)).first()
    if not found or (record is not None and record.moved_at is not None):
        return None
    if record is None or not KEY.fullmatch(str(record.key)):
        raise ConfigError(
            "DATABASE_URL holds the data of one workspace served with SLACK_BOT_TOKEN, but "
            "not which: run `pmbot serve` once more with SLACK_BOT_TOKEN (it records the "
            "workspace), then serve with SLACK_CLIENT_ID"
        )
    key = str(record.key)
    target = open_workspace_store(main, url, key)
    try:
        _copy(main, target, found, key)
    finally:
        target.close()
    with main.begin() as conn:  # the rows and the mark that they moved, together
        for table in reversed(data_tables()):
            conn.execute(delete(table))
        conn.execute(update(workspace_of_record).values(moved_at=main.clock()))
    moved = ", ".join(f"{n} {t.name}" for t, n in found.items())
    log.info("moved the single-workspace data to workspace %s: %s", key, moved)
    return key


def _copy(main: Store, target: Store, found: dict[Table, int], key: str) -> None:
    """Copy every row, unless a start cut short already did (the same counts)."""
    there = _rows(target)
    if there == found:
        return
    if there:
        raise ConfigError(
            f"DATABASE_URL: workspace {key} already has data of its own, and pmbot's "
            "database still holds what it had when serving one workspace; nothing was "
            'moved (docs/workspaces.md, "From one workspace to every workspace")'
        )
    with main.connect() as source, target.begin() as conn:
        for table in data_tables():
            rows = [dict(r._mapping) for r in source.execute(select(table))]
            if rows:
                conn.execute(insert(table), rows)
                _continue_ids(conn, table)
