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

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.config import Settings
from bot.store.database import Store
from bot.workspaces.installations import CachedInstallations
from bot.workspaces.tables import OAUTH_STATES

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # an install page left open longer starts again
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


def installation_store(settings: Settings, main: Store) -> CachedInstallations:
    return CachedInstallations(settings.client_id or "", main)


def oauth_settings(
    settings: Settings, installations: CachedInstallations, main: Store
) -> OAuthSettings:
    states = SQLAlchemyOAuthStateStore(
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
    )
