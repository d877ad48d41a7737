"""Events: @mentions (answered in the thread), direct messages, the App Home tab."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import BoltContext, Say
from slack_sdk import WebClient

from bot.slack.blocks import answer_message, home_view
from bot.slack.requestlog import log_request, log_result
from bot.slack.services import deps_of

# `[^<>]`, not `[^>]`: a run stops at the next `<`, so unclosed markup costs linear time.
_ANY_MENTION_OF = "<@{}(?:\\|[^<>]*)?>"


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """The question without the bot's own mention (other mentions stay for the matcher)."""
    if bot_user_id:
        text = re.sub(_ANY_MENTION_OF.format(re.escape(bot_user_id)), " ", text)
    return " ".join(text.split())


def _is_from_a_person(event: dict[str, Any], context: BoltContext) -> bool:
    return (
        not event.get("subtype")
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and bool(event.get("user"))
        and event.get("user") != context.bot_user_id
    )


def handle_app_mention(
    event: dict[str, Any], body: dict[str, Any], say: Say, context: BoltContext
) -> None:
    if not _is_from_a_person(event, context):
        return
    deps = deps_of(context)
    event_id = str(body.get("event_id") or "-")
    result = deps.engine.answer(strip_mention(str(event.get("text") or ""), context.bot_user_id))
    log_result(context, "mention", result)
    deps.note(result, str(event.get("user")))
    message = answer_message(result, deps.engine.kb)
    thread_ts = event.get("thread_ts") or event.get("ts")
    deps.replies.submit(lambda: say(**message, thread_ts=thread_ts), "mention reply", event_id)


def handle_message(
    event: dict[str, Any], body: dict[str, Any], say: Say, context: BoltContext
) -> None:
    """Direct messages only; every other message event (edits, deletions, joins,
    other bots, channel chatter) is acknowledged and left alone."""
    if event.get("channel_type") != "im" or not _is_from_a_person(event, context):
        return
    deps = deps_of(context)
    result = deps.engine.answer(strip_mention(str(event.get("text") or ""), context.bot_user_id))
    log_result(context, "dm", result)
    deps.note(result, str(event.get("user")))
    message = answer_message(result, deps.engine.kb)
    thread_ts = event.get("thread_ts")
    event_id = str(body.get("event_id") or "-")
    deps.replies.submit(lambda: say(**message, thread_ts=thread_ts), "DM reply", event_id)


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab") != "home" or not event.get("user"):
        return
    deps = deps_of(context)
    view = home_view(deps.engine.kb)
    deps.replies.submit(
        lambda: client.views_publish(user_id=event["user"], view=view), "App Home", event["user"]
    )
    log_request(context, "home", "published")
