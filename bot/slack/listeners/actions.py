"""Buttons: feedback, "Share in channel", "Did you mean…", example questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.answers.result import Result
from bot.slack.blocks import (
    ASK_EXAMPLE,
    FEEDBACK_UP,
    answer_message,
    ask_person_block,
    decode_value,
    thanks_blocks,
    thanks_message,
)
from bot.slack.payloads import channel_of, is_ephemeral, user_of
from bot.slack.requestlog import log_request, log_result
from bot.slack.services import Deps, deps_of

GONE: dict[str, Any] = {
    "response_type": "ephemeral",
    "replace_original": False,
    "text": "That answer is gone.",
}


def _here(
    deps: Deps, body: dict[str, Any], result: Result, client: WebClient | None = None
) -> str | None:
    """Who holds the answer's role in the channel the button is in: by name for a
    message others see (`client` given: after the ack), as mentions in an ephemeral."""
    return deps.here(channel_of(body), result.topic, client=client)


VOTE_NOT_STORED = (
    "Sorry, I couldn't record your vote just now (my database is unavailable). "
    "Please try again in a minute."
)


def _clicked(ack: Ack, action: dict[str, Any], context: BoltContext) -> tuple[Deps, str, str]:
    """Ack first, then what every button carries: (deps, topic id, question)."""
    ack()
    topic, question = decode_value(action.get("value"))
    return deps_of(context), topic or "", question


def _reply(deps: Deps, body: dict[str, Any], what: str, work: Callable[[], object]) -> None:
    deps.replies.submit(work, what, str((body.get("container") or {}).get("message_ts") or "-"))


def handle_feedback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """The vote is stored before the ack, so a click Slack saw acknowledged (and
    "thanks, noted") is a stored vote, even if the process dies right after."""
    deps = deps_of(context)
    topic, question = decode_value(action.get("value"))
    vote = "up" if action.get("action_id") == FEEDBACK_UP else "down"
    user = user_of(body)
    container = body.get("container") or {}
    answered = container.get("message_ts")  # the answer voted on: one vote per user
    answer = f"{container.get('channel_id') or ''}:{answered}" if answered else ""
    stored = deps.record_vote(topic or None, vote, user, question, answer)
    ack()
    log_request(context, "vote", vote if stored else f"{vote}:not-stored", topic)
    if not stored:
        text = VOTE_NOT_STORED
        _reply(deps, body, "vote reply", lambda: respond(replace_original=False, text=text))
        return
    # Not helpful: a person may be (bot/handoff), asked in the answer's thread.
    posted = body.get("message") or {}
    thread = posted.get("thread_ts") or (None if is_ephemeral(body) else posted.get("ts"))
    asks = vote == "down" and deps.asks_people
    ask = ask_person_block(topic, question, thread) if asks else None
    if is_ephemeral(body):
        result = deps.engine.result_for(topic or "", question)
        if result is not None:
            here = _here(deps, body, result)
            message = answer_message(result, deps.engine.kb, shareable=True, here=here)
            message["blocks"] = thanks_blocks(message["blocks"], vote, user, ask)
            _reply(deps, body, "vote reply", lambda: respond(replace_original=True, **message))
            return
    # A visible answer keeps its buttons for everyone else; only the voter is thanked.
    thanks = thanks_message(vote, ask)
    _reply(
        deps,
        body,
        "vote reply",
        lambda: respond(response_type="ephemeral", replace_original=False, **thanks),
    )


def handle_share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    deps, topic, question = _clicked(ack, action, context)
    result = deps.engine.result_for(topic, question)
    if result is None:
        log_request(context, "share", "gone", topic)
        _reply(deps, body, "share reply", lambda: respond(**GONE))
        return
    log_request(context, "share", "shared", topic)

    def share() -> None:
        here = _here(deps, body, result, context.client)  # in the channel: by name
        message = answer_message(result, deps.engine.kb, shared_by=user_of(body), here=here)
        respond(response_type="in_channel", replace_original=False, **message)
        respond(delete_original=True)

    _reply(deps, body, "share", share)


def handle_pick_topic(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """A "did you mean" topic or an example question was clicked: answer it where it was asked."""
    deps, topic, question = _clicked(ack, action, context)
    result: Result | None
    if str(action.get("action_id", "")).startswith(ASK_EXAMPLE):
        result = deps.engine.answer(question)
        deps.note(result, user_of(body))
    else:
        result = deps.engine.result_for(topic, question)
    if result is None:
        log_request(context, "action", "gone", topic)
        _reply(deps, body, "pick reply", lambda: respond(**GONE))
        return
    log_result(context, "action", result)
    if is_ephemeral(body):
        here = _here(deps, body, result)
        kb, asks = deps.engine.kb, deps.asks_people
        message = answer_message(result, kb, shareable=True, here=here, ask_person=asks)
        _reply(
            deps,
            body,
            "pick reply",
            lambda: respond(response_type="ephemeral", replace_original=False, **message),
        )
        return
    posted = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id") or "")
    in_dm = channel.startswith("D")
    thread_ts = posted.get("thread_ts") or (None if in_dm else posted.get("ts"))

    def post() -> None:
        here = _here(deps, body, result, client)  # in a thread others see: by name
        reply = answer_message(result, deps.engine.kb, here=here, ask_person=deps.asks_people)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **reply)

    _reply(deps, body, "pick reply", post)
