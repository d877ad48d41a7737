"""Background work for every installation: each workspace's due tips, posted with its
own bot token, refreshed first when it is about to expire. A workspace whose token
Slack refuses (revoked, its refresh refused, the workspace gone) is skipped with one
log line, and the others go on: never a crash loop. It is tried again once it is
installed again (a new token)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.token_rotation import TokenRotator
from slack_sdk.web import SlackResponse

from bot.slack.resilience import first_line
from bot.workspaces.installations import CachedInstallations
from bot.workspaces.installs import Installed, find_bot, fresh_bot, installed
from bot.workspaces.tenants import Workspaces

log = logging.getLogger("pmbot.workspaces")
GONE = ("invalid_auth", "token_revoked", "account_inactive", "invalid_refresh_token")


class WatchedClient(WebClient):
    """A workspace's client that remembers Slack refusing its token (the tip poster
    catches each channel's failure, so the refusal is read here)."""

    refused: str | None = None

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            code = error.response.get("error") if error.response is not None else None
            if code in GONE:
                self.refused = str(code)
            raise


class EveryWorkspace:
    """What the tip scheduler runs each minute when pmbot serves every workspace."""

    def __init__(
        self,
        workspaces: Workspaces,
        installations: CachedInstallations,
        rotator: TokenRotator,
        client: WebClient,
    ) -> None:
        self.workspaces, self.installations = workspaces, installations
        self.rotator, self.client = rotator, client
        self._refused: dict[str, str] = {}  # key -> the token Slack refused
        self._troubled: set[str] = set()  # failed otherwise, said once until it works

    def run_due(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> None:
        main, client_id = self.workspaces.main, self.installations.client_id
        for where in installed(main, client_id):
            if stopping():
                return
            try:
                self._run_one(where, now)
            except Exception as error:  # Slack or a store away: the others go on
                self._refuse(where.key, None, first_line(error), for_good=False)

    def _run_one(self, where: Installed, now: datetime) -> None:
        bot = find_bot(self.installations, where)
        if bot is None or not bot.bot_token or self._refused.get(where.key) == bot.bot_token:
            return  # not installed, or refused with this token: until installed again
        try:
            bot = fresh_bot(self.installations, self.rotator, bot, where.key)
        except SlackTokenRotationError as error:  # the refresh token was refused
            response = getattr(error.api_error, "response", None)
            why = str(response.get("error")) if response else first_line(error)
            self._refuse(where.key, bot.bot_token, why)
            return
        workspace = self.workspaces.open(where.key)
        if workspace is None:
            return  # its store is down: said when it failed to open
        client = self.watched(str(bot.bot_token))
        summary = workspace.deps.run_due(client, now)
        self._troubled.discard(where.key)
        if client.refused is not None:
            self._refuse(where.key, str(bot.bot_token), client.refused)
        elif summary and "posted 0" not in summary:
            log.info("workspace %s: tips: %s", where.key, summary)

    def watched(self, token: str) -> WatchedClient:
        """A client like the app's (its API URL, timeout and retries) with `token`."""
        base = self.client
        return WatchedClient(
            token=token,
            base_url=base.base_url,
            timeout=base.timeout,
            retry_handlers=base.retry_handlers,
        )

    def _refuse(self, key: str, token: str | None, why: str, for_good: bool = True) -> None:
        """One line per workspace: refused for good (until a new token), or in trouble
        (said again only after a run that worked)."""
        if not for_good:
            if key not in self._troubled:
                self._troubled.add(key)
                log.warning("workspace %s: tips skipped this time: %s", key, why)
            return
        if self._refused.get(key) != token:
            self._refused[key] = str(token)
            log.warning(
                "workspace %s: skipped until it is installed again: Slack said %s", key, why
            )
