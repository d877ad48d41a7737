"""Installing pmbot into a workspace: Bolt's OAuth flow, with slack_sdk's SQLAlchemy
installation and state stores on pmbot's own database (bot/workspaces/tables.py).

- Bot tokens only (`installation_store_bot_only`): pmbot asks for no user scopes, so
  a lookup never returns a user's row instead of the bot's (python-slack-sdk #1441).
- Token rotation: Bolt refreshes a token that expires within two hours on each
  incoming request; the tip poster refreshes its own (bot/workspaces/posting.py).
- Every install starts at /slack/install, which issues the `state` the redirect must
  bring back: an install begun anywhere else (the App Directory, an admin page) is
  refused. Set the app's Direct Install URL to /slack/install (docs/workspaces.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import select

from bot.config import Settings
from bot.store.database import Store
from bot.workspaces.installations import REFRESH_MINUTES, CachedInstallations
from bot.workspaces.tables import OAUTH_STATES

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # an install page left open longer starts again
MAX_STATES = 1_000  # installs in progress at once, at most
# What pmbot asks for, as manifest.yml lists and explains them (a test keeps the two equal).
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "commands",
    "im:history",
    "users:read",
    "channels:read",
    "groups:read",
    "assistant:write",
    "usergroups:read",
    "channels:history",
    "groups:history",
    "im:read",
    "im:write",
    "mpim:read",
    "mpim:write",
    "mpim:history",
)


class BoundedStates(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, which deletes a state only when it is used: every
    visit to the install page, a stranger's too, would add a row for good. Issuing one
    first deletes the expired, and past MAX_STATES pending the oldest (an install
    page left open that long starts again)."""

    pending = MAX_STATES

    def issue(self, *args: Any, **kwargs: Any) -> str:
        c = self.oauth_states.c
        now = normalize_datetime_for_db(datetime.now(UTC))  # as slack_sdk writes them
        with self.engine.begin() as conn:
            conn.execute(self.oauth_states.delete().where(c.expire_at <= now))
            kept = select(c.id).order_by(c.id.desc()).limit(self.pending - 1).subquery()
            conn.execute(self.oauth_states.delete().where(c.id.not_in(select(kept.c.id))))
        return str(super().issue(*args, **kwargs))


def installation_store(settings: Settings, main: Store) -> CachedInstallations:
    return CachedInstallations(settings.client_id or "", main)


def oauth_settings(
    settings: Settings, installations: CachedInstallations, main: Store
) -> OAuthSettings:
    states = BoundedStates(
        expiration_seconds=STATE_SECONDS, engine=main.engine, table_name=OAUTH_STATES
    )
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        token_rotation_expiration_minutes=REFRESH_MINUTES,  # as the tip poster's
    )
