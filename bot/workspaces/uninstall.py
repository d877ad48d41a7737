"""Uninstall means gone: when Slack says pmbot was uninstalled from a workspace, or
its bot token revoked, the workspace's installation (its tokens) and every row of its
data are deleted while the event is handled. The event is served without the
workspace's store (its de-duplication is in memory), so neither it, the other of the
two events Slack sends, nor a replay opens the database again; deleting twice is
harmless."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from bot.workspaces.installations import CachedInstallations
from bot.workspaces.tenants import Workspaces, key_of

log = logging.getLogger("pmbot.workspaces")


GONE_EVENTS = ("app_uninstalled", "tokens_revoked")


def uninstalling(body: dict[str, Any]) -> bool:
    """An uninstall event: served without the workspace's store, which it deletes (so
    the event, or a replay of it, never opens the database it is about to drop)."""
    event = body.get("event")
    return isinstance(event, dict) and event.get("type") in GONE_EVENTS


class Uninstalls:
    def __init__(self, workspaces: Workspaces, installations: CachedInstallations) -> None:
        self.workspaces, self.installations = workspaces, installations

    def app_uninstalled(self, context: BoltContext) -> None:
        self._forget(context)

    def tokens_revoked(self, event: dict[str, Any], context: BoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):  # users' tokens: pmbot keeps none
            self._forget(context)

    def _forget(self, context: BoltContext) -> None:
        key = key_of(context)
        if key is None:
            log.warning("uninstall event without a workspace id: ignored")
            return
        self.installations.delete_workspace(key)
        self.workspaces.forget(key)
