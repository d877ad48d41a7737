"""The message shortcut "Ask pmbot" (`ask_pmbot`): anyone picks it from a message's
menu and gets the answer to that message's text, privately. The reply goes through
`respond` (the payload's response_url), which works in DMs and private channels
where `chat.postEphemeral` would fail for want of membership."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.slack.answering import answer, strip_mention
from bot.slack.payloads import user_of

ASK_PMBOT = "ask_pmbot"


def handle_ask_pmbot(
    ack: Ack, shortcut: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    message = shortcut.get("message") or {}
    question = strip_mention(str(message.get("text") or ""), context.bot_user_id)
    user = user_of(shortcut)
    ref = str((shortcut.get("channel") or {}).get("id") or "-")

    def send(reply: dict[str, Any]) -> None:
        respond(response_type="ephemeral", replace_original=False, **reply)

    answer(context, "shortcut", question, user, send, ref, private=True, channel=ref.strip("-"))
