"""The bot left a channel, or the channel was archived: forget who held roles there.

`member_left_channel` comes for every member who leaves a channel the bot is in, so
only the bot's own leaving counts; `channel_left` / `group_left` (public / private)
tell the bot it was removed; `channel_archive` / `group_archive` that the channel is
archived. The delete runs after the ack, through the StoreGuard."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext

from bot.slack.services import Deps, deps_of


def _forget(deps: Deps, channel: str, why: str, logger: Logger) -> None:
    store = deps.holders
    if store is None or not channel:
        return

    def forget() -> None:
        ok, removed = deps.guard.run("forget role holders", lambda: store.clear_holders(channel))
        if ok and removed:
            logger.info("forgot %d role holders of %s (%s)", removed, channel, why)

    deps.replies.submit(forget, "forget role holders", channel)


def handle_member_left(event: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    if event.get("user") and event.get("user") == context.bot_user_id:
        _forget(deps_of(context), str(event.get("channel") or ""), "bot left", logger)


def handle_channel_gone(event: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    """channel_left, group_left, channel_archive, group_archive: `channel` is the id."""
    channel = event.get("channel")
    if isinstance(channel, dict):  # some shapes carry the channel as an object
        channel = channel.get("id")
    _forget(deps_of(context), str(channel or ""), str(event.get("type")), logger)
