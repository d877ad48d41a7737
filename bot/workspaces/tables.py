"""Installations and OAuth state, in pmbot's database: slack_sdk's own tables (its
SQLAlchemy stores read and write them), named `pmbot_…` like every table here."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

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
