"""Slack's AI-app pane, through bolt-python's `Assistant` middleware.

With the middleware on, every DM *thread reply* from a person reaches `user_message`,
not the `message` listener: a reply in an AI-app thread is answered there with a
short status, and an ordinary DM thread reply is answered exactly as before
(`answering.answer_dm`). Replies are posted with `chat.postMessage`, not the middleware's
`say`, which would first read the thread's history for context pmbot does not use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Assistant, BoltContext
from slack_bolt.request.payload_utils import is_other_message_sub_event_in_assistant_thread
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.answering import answer, answer_dm, ignore_reason, log, strip_mention
from bot.slack.prompts import GREETING, THINKING, publish_prompts
from bot.slack.requestlog import log_request
from bot.slack.services import deps_of


def handle_thread_started(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    thread = event.get("assistant_thread") or {}
    channel, thread_ts = str(thread.get("channel_id") or ""), str(thread.get("thread_ts") or "")
    if not channel or not thread_ts:
        log.debug("ignored assistant_thread_started: no channel or thread")
        return
    deps = deps_of(context)
    deps.assistant_threads.started(channel, thread_ts)
    deps.replies.submit(
        lambda: client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=GREETING),
        "assistant greeting",
        channel,
    )
    publish_prompts(deps, client, channel, thread_ts)
    log_request(context, "assistant", "started")


def handle_context_changed() -> None:
    # Bolt's default saves the new context in the thread (two Web API calls);
    # pmbot's answers do not depend on the channel being viewed.
    log.debug("ignored assistant_thread_context_changed: pmbot does not use it")


def handle_app_context_changed() -> None:
    # `agent_view` reports what the user is looking at; acknowledged (Bolt answers
    # 404 to an event with no listener, and Slack would retry it), not used.
    log.debug("ignored app_context_changed: pmbot does not use it")


def handle_user_message(
    event: dict[str, Any],
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    why = ignore_reason(event, context)
    if why is not None:
        log.debug("ignored DM thread reply: %s", why)
        return
    deps = deps_of(context)
    channel, thread_ts = str(event.get("channel") or ""), str(event.get("thread_ts") or "")
    in_pane = "assistant_thread" in event or (channel, thread_ts) in deps.assistant_threads
    if in_pane or not deps.asks_people:  # an AI-app thread holds questions, nothing else
        _answer_thread_reply(event, body, client, context)
        return

    def reply_or_answer() -> None:
        # Off the ack's thread: whether it answers a hand-off is read from the store.
        if deps.takes_reply(client, event):
            log.debug("DM thread reply taken by a feature")
        else:
            _answer_thread_reply(event, body, client, context)

    deps.replies.submit(reply_or_answer, "DM thread reply", str(body.get("event_id") or "-"))


def _answer_thread_reply(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps = deps_of(context)
    channel, thread_ts = str(event.get("channel") or ""), str(event.get("thread_ts") or "")

    def post(**message: Any) -> Any:
        return client.chat_postMessage(channel=channel, **message)

    # Slack marks a message of an AI-app thread with `assistant_thread` (an action
    # token); a thread started on this process is known even without it.
    if "assistant_thread" not in event and (channel, thread_ts) not in deps.assistant_threads:
        answer_dm(context, event, body, post)
        return

    def send(message: dict[str, Any]) -> None:
        try:
            client.assistant_threads_setStatus(
                channel_id=channel, thread_ts=thread_ts, status=THINKING
            )
        except SlackApiError as error:  # a status is nice to have; the answer is not
            log.debug("assistant status not set: %s", error.response.get("error"))
        post(**message, thread_ts=thread_ts)

    question = strip_mention(str(event.get("text") or ""), context.bot_user_id)
    user = str(event.get("user"))
    answer(context, "assistant", question, user, send, str(body.get("event_id") or "-"))


def log_thread_edits(body: dict[str, Any], next: Callable[[], None]) -> None:
    """The middleware acknowledges edits and deletions in DM threads itself, with no
    listener and no line; this says so, like every other ignore."""
    if is_other_message_sub_event_in_assistant_thread(body):
        subtype = str((body.get("event") or {}).get("subtype"))[:40]
        log.debug("ignored DM thread message: subtype %s", subtype)
    next()


def assistant() -> Assistant:
    # Bolt's own lines for these listeners go where the app's do ("slack_bolt").
    pane = Assistant(logger=logging.getLogger("slack_bolt"))
    pane.thread_started(handle_thread_started)
    pane.thread_context_changed(handle_context_changed)
    pane.user_message(handle_user_message)
    return pane
