"""Installations and OAuth state, in pmbot's database: slack_sdk's own tables (its
SQLAlchemy stores read and write them), named `pmbot_…` like every table here."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, Float, String, Table

from bot.store.engine import metadata
from bot.store.migrations import Migration, creates, register

INSTALLATIONS = "pmbot_slack_installations"
BOTS = "pmbot_slack_bots"
OAUTH_STATES = "pmbot_oauth_states"

installations = SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS)
bots = SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES)

register(
    8,
    Migration(
        "installations and OAuth state: pmbot installed into any workspace",
        creates(installations, bots, oauth_states),
    ),
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
