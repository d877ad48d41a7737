"""Events: @mentions (answered in the thread), direct messages, the App Home tab.

What a person wrote is answered once, however Slack delivers it: plain, as a thread
reply also sent to the channel or DM (`thread_broadcast`), or with a file attached
(`file_share`, answered on its text). An edited @mention updates pmbot's earlier
answer when the question changed (`chat.update`) and is left alone when it did not.
Every other event (bots, pmbot itself, deletions, joins, other edits) is ignored,
each with a DEBUG line saying why; every answer gets one INFO line naming its surface.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Say
from slack_sdk import WebClient

from bot.slack.answered import same_question
from bot.slack.answering import answer, answer_dm, ignore_reason, log, strip_mention
from bot.slack.listing import home_view
from bot.slack.prompts import publish_prompts
from bot.slack.requestlog import log_request
from bot.slack.services import Deps, deps_of

__all__ = ["handle_app_home_opened", "handle_app_mention", "handle_message", "strip_mention"]


def _remembered(deps: Deps, channel: str, ts: str, question: str, posted: Any) -> None:
    reply_ts = posted.get("ts") if hasattr(posted, "get") else None
    if reply_ts:
        deps.answers.record(channel, ts, str(reply_ts), question)


def handle_app_mention(
    event: dict[str, Any],
    body: dict[str, Any],
    say: Say,
    client: WebClient,
    context: BoltContext,
) -> None:
    why = ignore_reason(event, context)
    if why is not None:
        log.debug("ignored mention: %s", why)
        return
    deps = deps_of(context)
    event_id = str(body.get("event_id") or "-")
    question = strip_mention(str(event.get("text") or ""), context.bot_user_id)
    channel, ts = str(event.get("channel") or ""), str(event.get("ts") or "")
    if event.get("edited") and _edited(context, event, question, client, event_id):
        return
    thread_ts = event.get("thread_ts") or ts

    def send(message: dict[str, Any]) -> None:
        _remembered(deps, channel, ts, question, say(**message, thread_ts=thread_ts))

    answer(context, "mention", question, str(event.get("user")), send, event_id, channel=channel)


def _edited(
    context: BoltContext,
    event: dict[str, Any],
    question: str,
    client: WebClient,
    event_id: str,
) -> bool:
    """Handle an edited mention; False when it has no earlier answer (a mention added
    by the edit), which is then answered like a new one."""
    deps = deps_of(context)
    channel, ts = str(event.get("channel") or ""), str(event.get("ts") or "")
    given = deps.answers.find(channel, ts)
    if given is None:
        log.debug("edited mention with no earlier answer: answered as new")
        return False
    if same_question(given.question, question):
        log.debug("ignored edited mention: the question did not change")
        return True

    def update(message: dict[str, Any]) -> None:
        client.chat_update(channel=channel, ts=given.reply_ts, **message)
        deps.answers.record(channel, ts, given.reply_ts, question)

    answer(context, "edit", question, str(event.get("user")), update, event_id, channel=channel)
    return True


def handle_message(
    event: dict[str, Any], body: dict[str, Any], say: Say, context: BoltContext
) -> None:
    """Direct messages only; channel chatter, edits, deletions, joins and other bots
    are acknowledged and left alone."""
    if event.get("channel_type") != "im":
        log.debug("ignored message: not a direct message")
        return
    why = ignore_reason(event, context)
    if why is not None:
        log.debug("ignored DM: %s", why)
        return
    answer_dm(context, event, body, say)


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The Home tab is published; opening the Messages tab is where Slack's agent
    experience (`agent_view`) starts a conversation, so it gets suggested prompts."""
    if not event.get("user"):
        log.debug("ignored app_home_opened: no user")
        return
    deps = deps_of(context)
    if event.get("tab") == "messages" and event.get("channel"):
        publish_prompts(deps, client, str(event["channel"]), None)
        log_request(context, "home", "prompts")
        return
    if event.get("tab") != "home":
        log.debug("ignored app_home_opened: tab %s", str(event.get("tab"))[:20])
        return
    user = str(event["user"])

    def publish() -> None:  # the store is read off the ack's thread, like the Web API call
        view = home_view(deps.engine.kb, deps.home_blocks(user, client))
        client.views_publish(user_id=user, view=view)

    deps.replies.submit(publish, "App Home", user)
    log_request(context, "home", "published")
