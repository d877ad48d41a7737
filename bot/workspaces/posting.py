"""Background work for every installation: each workspace's due tips, posted with its
own bot token, refreshed first when it is about to expire. A workspace whose token
was revoked (or whose refresh is refused) is skipped with one log line, and the
others go on: never a crash loop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.slack.resilience import first_line
from bot.workspaces.installs import client_for, fresh_bot, installed
from bot.workspaces.tenants import Workspaces

log = logging.getLogger("pmbot.workspaces")
GONE = ("invalid_auth", "token_revoked", "account_inactive", "invalid_refresh_token")


class EveryWorkspace:
    """What the tip scheduler runs each minute when pmbot serves every workspace."""

    def __init__(
        self,
        workspaces: Workspaces,
        installations: SQLAlchemyInstallationStore,
        rotator: TokenRotator,
        client: WebClient,
    ) -> None:
        self.workspaces, self.installations = workspaces, installations
        self.rotator, self.client = rotator, client
        self._skipped: set[str] = set()  # said once; said again if it comes back and goes

    def run_due(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> None:
        main, client_id = self.workspaces.main, self.installations.client_id
        for where in installed(main, client_id):
            if stopping():
                return
            try:
                bot = fresh_bot(self.installations, self.rotator, where)
                workspace = self.workspaces.open(where.key) if bot is not None else None
                if bot is None or workspace is None:
                    continue
                summary = workspace.deps.run_due(client_for(self.client, bot.bot_token), now)
            except (SlackApiError, SlackTokenRotationError) as error:
                self._skip(where.key, error)
                continue
            self._skipped.discard(where.key)
            if summary and "posted 0" not in summary:
                log.info("workspace %s: tips: %s", where.key, summary)

    def _skip(self, key: str, error: Exception) -> None:
        if key in self._skipped:
            return
        self._skipped.add(key)
        response = getattr(getattr(error, "api_error", error), "response", None)
        code = response.get("error") if response is not None else None
        if code in GONE:
            log.warning("workspace %s: skipped until it is installed again: token revoked", key)
        else:  # Slack down, say: said once, and again only after a run that worked
            log.warning("workspace %s: skipped for now: %s", key, first_line(error))
