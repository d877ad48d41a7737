"""The workspaces' tables in pmbot's database: installations and OAuth states
(slack_sdk's own tables, which its SQLAlchemy stores read and write), and the
workspace a single-workspace database serves. Named `pmbot_…` like every table here.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Column, ColumnElement, Connection, Float, String, Table

from bot.store.engine import metadata
from bot.store.migrations import Migration, creates, register

INSTALLATIONS = "pmbot_slack_installations"
BOTS = "pmbot_slack_bots"
OAUTH_STATES = "pmbot_oauth_states"


@cache
def installation_tables() -> tuple[Table, Table, Table]:
    """(installations, bots, OAuth states), put in pmbot's metadata when first asked
    for: slack_sdk's SQLAlchemy stores bring SQLAlchemy's ORM (7 MB), which a server
    for one workspace does without. Serving every workspace asks before its store
    opens (bot/serving.py `open_store`), so its schema check covers them."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    return (
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES),
    )


def _installations(conn: Connection) -> None:
    creates(*installation_tables())(conn)


def owned_by(table: Table, key: str) -> ColumnElement[bool]:
    """The rows of workspace (T…) or org (E…) `key`: an org's install has no team id."""
    c = table.c
    if key.startswith("E"):
        return (c.enterprise_id == key) & (c.team_id.is_(None))
    return c.team_id == key


register(
    8,
    Migration("installations and OAuth state: pmbot installed into any workspace", _installations),
)

# Which workspace a database serving one workspace (SLACK_BOT_TOKEN) belongs to, as
# Slack's auth.test said at start-up: when it later serves every workspace, its rows
# move to that workspace's own database (bot/workspaces/legacy.py).
workspace_of_record = Table(
    "pmbot_workspace_of_record",
    metadata,
    Column("key", String(32), primary_key=True),  # the team id, or the org's enterprise id
    Column("recorded_at", Float, nullable=False),
    # When its rows moved to the workspace's own database: rows written here later (a
    # `pmbot shell` on this DATABASE_URL, say) are not the workspace's and stay.
    Column("moved_at", Float),
)
register(
    9, Migration("the workspace a single-workspace database serves", creates(workspace_of_record))
)
