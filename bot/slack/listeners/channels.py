"""The bot left a channel, or the channel was archived: forget who held roles there.

`member_left_channel` comes for every member who leaves a channel the bot is in, so
only the bot's own leaving counts; `channel_left` / `group_left` (public / private)
tell the bot it was removed; `channel_archive` / `group_archive` that the channel is
archived. The delete runs after the ack, through the StoreGuard."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from bot.slack.services import Deps, deps_of

log = logging.getLogger("pmbot.slack")  # Bolt's listener loggers sit at ERROR


def _forget(deps: Deps, channel: str, why: str) -> None:
    store = deps.holders
    if store is None or not channel:
        return

    def forget() -> None:
        ok, removed = deps.guard.run("forget role holders", lambda: store.clear_holders(channel))
        if ok and removed:
            log.info("forgot %d role holders (%s)", removed, why)

    deps.replies.submit(forget, "forget role holders", channel)


def handle_member_left(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("user") and event.get("user") == context.bot_user_id:
        _forget(deps_of(context), str(event.get("channel") or ""), "bot left")


def handle_channel_gone(event: dict[str, Any], context: BoltContext) -> None:
    """channel_left, group_left, channel_archive, group_archive: `channel` is the id."""
    channel = event.get("channel")
    if isinstance(channel, dict):  # some shapes carry the channel as an object
        channel = channel.get("id")
    _forget(deps_of(context), str(channel or ""), str(event.get("type")))
