"""The installation store: slack_sdk's SQLAlchemy one on pmbot's database, with each
workspace's bot kept in memory for a few seconds, so a request does not read the
database before its answer (Bolt looks the bot up on every request).

A bot whose token is due for rotation is never answered from memory: whether to
refresh it, and with which refresh token (each works once), is always decided on
what the database says, so two processes cannot refresh the same token twice. A
change made here (an install, a refresh, an uninstall) empties the memory at once;
one made by another process is seen within CACHE_SECONDS.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.store.database import Store
from bot.workspaces.tables import BOTS, INSTALLATIONS, installation_tables, owned_by

CACHE_SECONDS = 10.0
MAX_TOKENS = 10_000  # answers kept per bot token (each rotation adds one)
REFRESH_MINUTES = 120  # a token expiring within this is refreshed first (Bolt's default)
ROTATION_SECONDS = (REFRESH_MINUTES + 5) * 60  # kept in memory only if it expires later
BotKey = tuple[str | None, str | None, bool]


class CachedInstallations(SQLAlchemyInstallationStore):
    def __init__(
        self, client_id: str, main: Store, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(
            client_id=client_id,
            engine=main.engine,
            bots_table_name=BOTS,
            installations_table_name=INSTALLATIONS,
        )
        self.clock = clock
        self._bots: dict[BotKey, tuple[float, Bot | None]] = {}
        self._lock = threading.Lock()

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        org = bool(is_enterprise_install)
        key: BotKey = (enterprise_id, None if org else team_id, org)
        now = self.clock()
        with self._lock:
            kept = self._bots.get(key)
        if kept is not None and now - kept[0] < CACHE_SECONDS:
            return kept[1]
        bot = super().find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org
        )
        expires = bot.bot_token_expires_at if bot is not None else None
        if expires is None or expires > time.time() + ROTATION_SECONDS:
            with self._lock:
                self._bots[key] = (now, bot)
        return bot

    def forget_cached(self) -> None:
        with self._lock:
            self._bots.clear()

    def save(self, installation: Installation) -> None:
        super().save(installation)
        self.forget_cached()

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(bot)
        self.forget_cached()

    def delete_bot(self, **where: Any) -> None:
        super().delete_bot(**where)
        self.forget_cached()

    def delete_installation(self, **where: Any) -> None:
        super().delete_installation(**where)
        self.forget_cached()

    def delete_workspace(self, key: str) -> None:
        """Every installation row of workspace (or org) `key`, with its tokens (an
        uninstall). slack_sdk's delete_all would miss a workspace of an org that was
        installed on its own: its rows carry the enterprise id as well."""
        installations, bots, _ = installation_tables()
        with self.engine.begin() as conn:
            for table in (bots, installations):
                conn.execute(
                    table.delete().where(table.c.client_id == self.client_id, owned_by(table, key))
                )
        self.forget_cached()


class StoredAuthorize(InstallationStoreAuthorize):
    """Bolt's lookup of a request's installation, which then asks Slack's auth.test who
    the token's bot is, before the ack, on every request. The bot's row already says:
    the answer is built from it, once per token, and never waits on Slack. Bolt's own
    path runs for the rest (token rotation included), with pmbot's client."""

    installation_store: CachedInstallations

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **actor: str | None,  # Bolt's actor_* ids (Slack Connect): passed on
    ) -> AuthorizeResult | None:
        bot = self.installation_store.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=context.is_enterprise_install,
        )
        token = bot.bot_token if bot is not None else None
        if len(self.authorize_result_cache) > MAX_TOKENS:  # rotated ones pile up: start over
            self.authorize_result_cache.clear()
        if bot is not None and token and token not in self.authorize_result_cache:
            self.authorize_result_cache[token] = AuthorizeResult(
                enterprise_id=bot.enterprise_id,
                team_id=bot.team_id,
                team=bot.team_name,
                bot_id=bot.bot_id,
                bot_user_id=bot.bot_user_id,
                bot_token=token,
                bot_scopes=bot.bot_scopes,
            )
        return super().__call__(
            context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, **actor
        )


def stored_authorize(
    installations: CachedInstallations, oauth: OAuthSettings, client: WebClient
) -> StoredAuthorize:
    return StoredAuthorize(
        installation_store=installations,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        token_rotation_expiration_minutes=REFRESH_MINUTES,
        bot_only=True,
        cache_enabled=True,  # what __call__ fills, per token
        client=client,
        logger=logging.getLogger("slack_bolt"),
    )
