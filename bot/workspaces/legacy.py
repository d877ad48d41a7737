"""A database that served one workspace (SLACK_BOT_TOKEN) goes on serving it when
pmbot serves every workspace: at start-up its rows move, table by table, to that
workspace's own database, and are then deleted from pmbot's. Nothing is lost: the
copy commits first, and a start-up cut short in between copies again from scratch
(the workspace's database is emptied first; nothing was served from it meanwhile).

Which workspace it served is recorded by single-workspace `pmbot serve`, from
Slack's auth.test (`record_workspace`).
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlalchemy import Connection, Table, delete, func, insert, select, text

from bot.config import ConfigError
from bot.slack.resilience import first_line
from bot.store.database import Store
from bot.store.engine import metadata
from bot.store.migrations import schema_version
from bot.workspaces.stores import KEY, open_workspace_store
from bot.workspaces.tables import bots, installations, oauth_states, workspace_of_record

log = logging.getLogger("pmbot.workspaces")
NOT_DATA = {schema_version, installations, bots, oauth_states, workspace_of_record}


def data_tables() -> list[Table]:
    """The tables holding a workspace's rows, parents before children."""
    return [t for t in metadata.sorted_tables if t not in NOT_DATA]


def record_workspace(store: Store, team_id: str | None, enterprise_id: str | None) -> None:
    """Single-workspace serving: remember which workspace this database serves."""
    key = team_id or enterprise_id
    if not key or not KEY.match(key):
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
    conn.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT MAX(id) FROM {table.name}))"
        )
    )


def _rows(store: Store) -> dict[Table, int]:
    with store.connect() as conn:
        counts = {
            t: conn.execute(select(func.count()).select_from(t)).scalar() for t in data_tables()
        }
    return {t: int(n or 0) for t, n in counts.items() if n}


def move_single_workspace_data(main: Store, url: str) -> str | None:
    """Move the rows of a database that served one workspace to that workspace's own;
    the key they moved under, or None when there was nothing to move."""
    found = _rows(main)
    if not found:
        return None
    with main.connect() as conn:
        key = conn.execute(select(workspace_of_record.c.key)).scalar()
    if not key:
        raise ConfigError(
            "DATABASE_URL holds the data of one workspace served with SLACK_BOT_TOKEN, but "
            "not which: run `pmbot serve` once more with SLACK_BOT_TOKEN (it records the "
            "workspace), then serve with SLACK_CLIENT_ID"
        )
    target = open_workspace_store(main, url, str(key))
    try:
        with main.connect() as source, target.begin() as conn:
            for table in reversed(data_tables()):
                conn.execute(delete(table))
            for table in data_tables():
                rows = [dict(r._mapping) for r in source.execute(select(table))]
                if rows:
                    conn.execute(insert(table), rows)
                    _continue_ids(conn, table)
    finally:
        target.close()
    with main.begin() as conn:
        for table in reversed(data_tables()):
            conn.execute(delete(table))
    moved = ", ".join(f"{n} {t.name}" for t, n in found.items())
    log.info("moved the single-workspace data to workspace %s: %s", key, moved)
    return str(key)
