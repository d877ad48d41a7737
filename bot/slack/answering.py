"""The answering path every surface shares (mentions, DMs, thread broadcasts, file
shares, the message shortcut, the AI-app pane): what counts as a person's question,
and one function that answers it, logs it and replies after the ack."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.mrkdwn import printable, unescape
from bot.slack.blocks import answer_message
from bot.slack.requestlog import log_result
from bot.slack.services import deps_of

# pmbot's own logger, not Bolt's listener loggers: `configure_logging` holds the
# "slack_bolt" loggers at ERROR (they print payloads), and Bolt copies that level
# to each listener's logger, which would drop these INFO lines.
log = logging.getLogger("pmbot.slack")
# `[^<>]`, not `[^>]`: a run stops at the next `<`, so unclosed markup costs linear time.
_ANY_MENTION_OF = "<@{}(?:\\|[^<>]*)?>"
# Subtypes that still carry a person's question; any other subtype is not one.
PERSON_SUBTYPES = (None, "thread_broadcast", "file_share")
Send = Callable[[dict[str, Any]], Any]


def without_mention(text: str, bot_user_id: str | None) -> str:
    """`text` as Slack sent it, without the bot's own mention."""
    if not bot_user_id:
        return text
    return re.sub(_ANY_MENTION_OF.format(re.escape(bot_user_id)), " ", text)


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """The question without the bot's own mention (other mentions stay for the
    matcher), unescaped and printable: as the person typed it."""
    return " ".join(printable(unescape(without_mention(text, bot_user_id))).split())


def ignore_reason(event: dict[str, Any], context: BoltContext) -> str | None:
    """Why this event is not a person's question to answer, or None when it is."""
    subtype = event.get("subtype")
    if subtype not in PERSON_SUBTYPES:
        return f"subtype {str(subtype)[:40]}"
    if event.get("bot_id") or event.get("bot_profile"):
        return "sent by a bot"
    if not event.get("user"):
        return "no user"
    if event.get("user") == context.bot_user_id:
        return "pmbot's own message"
    if subtype == "file_share" and not strip_mention(str(event.get("text") or ""), None):
        return "a file without text"
    return None


def answer(
    context: BoltContext,
    surface: str,
    question: str,
    user: str,
    send: Send,
    ref: str,
    private: bool = False,
    channel: str = "",
) -> None:
    """The one answering path of every event surface: engine, count, log, reply after
    the ack. A `private` reply (only the asker sees it) can be shared, as with /pm."""
    deps = deps_of(context)
    engine = deps.engine  # once per request: a hot reload may swap it
    result = engine.answer(question)
    deps.note(result, user)
    log_result(context, surface, result)
    shareable = private and result.status == "answer"
    kb = engine.kb
    asks = deps.asks_people

    def reply() -> None:
        # Who holds the role in `channel` is read here, after the ack, and named (not
        # pinged): an answer never waits on the store or on Slack.
        here = deps.here(channel, result.topic, client=context.client) if result.topic else None
        send(answer_message(result, kb, shareable=shareable, here=here, ask_person=asks))

    deps.replies.submit(reply, f"{surface} reply", ref)


def answer_dm(
    context: BoltContext,
    event: dict[str, Any],
    body: dict[str, Any],
    say: Callable[..., Any],
) -> None:
    """A DM is answered where it was written: its thread if it has one, else the DM."""
    question = strip_mention(str(event.get("text") or ""), None)
    thread_ts = event.get("thread_ts")
    event_id = str(body.get("event_id") or "-")

    def send(message: dict[str, Any]) -> None:
        say(**message, thread_ts=thread_ts)

    answer(context, "dm", question, str(event.get("user")), send, event_id)
