"""`/pm`: questions and subcommands, answered privately."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.mrkdwn import printable, unescape
from bot.slack.blocks import (
    answer_message,
    help_message,
    tip_message,
)
from bot.slack.compare import cannot_compare_message, compare_message, roles_named
from bot.slack.listing import topics_message
from bot.slack.requestlog import log_request, log_result
from bot.slack.services import Deps, PmRequest, deps_of
from bot.slack.subcommands import COMPARE, subcommand


def handle_pm_command(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Answers go back in the ack itself (the engine takes well under a millisecond,
    so there is no reason for a second round trip); a feature's subcommand that must
    ask Slack or the store first (`/pm tips on`, say) acks and then responds."""
    deps = deps_of(context)
    text = " ".join(printable(unescape(str(command.get("text") or ""))).split())
    words = text.lower().split()
    kb = deps.engine.kb
    channel = str(command.get("channel_id") or "")
    feature = next((f for f in deps.features if f.claims(kb, text.split())), None)
    if feature is not None:
        feature.handle_pm(PmRequest(deps, ack, respond, client, command, text))
        log_request(context, "command", words[0])
        return
    result = None
    name = subcommand(words[0] if words else "") if len(words) < 2 else None
    if words and words[0] == COMPARE:  # `/pm compare [two roles]`
        name = COMPARE
        message = compare(deps, channel, text.split(None, 1)[1] if len(words) > 1 else "")
    elif name is not None and name in REPLIES:
        message = REPLIES[name](deps)
    else:
        result = deps.engine.answer(text)
        here = deps.here(channel, result.topic) if result.status == "answer" else None
        message = answer_message(
            result,
            kb,
            shareable=result.status == "answer",
            here=here,
            ask_person=deps.asks_people,
        )
    ack(response_type="ephemeral", **message)
    if result is None:
        log_request(context, "command", name or "help")
    else:
        log_result(context, "command", result)
        deps.note(result, str(command.get("user_id") or ""))


def compare(deps: Deps, channel: str, args: str) -> dict[str, Any]:
    """The two roles `args` names side by side (in a channel with holders, its header
    names them), or a polite reply listing the roles it knows."""
    kb = deps.engine.kb
    named = roles_named(kb, deps.engine.normaliser, args)
    if len(named.roles) != 2:
        return cannot_compare_message(kb, args, named)
    here = deps.here(channel, roles=named.roles)
    return compare_message(kb, named.roles, here=here)


def random_tip(deps: Deps) -> dict[str, Any]:
    """`/pm tip`: a tip of the knowledge base, else a topic's answer as one."""
    kb = deps.engine.kb
    if kb.tips:
        tip = random.choice(kb.tips)
        return tip_message(tip.text, kb.topics.get(tip.topic or ""))
    topic = random.choice(kb.answerable)
    return tip_message(topic.answer, topic)


# What each subcommand of the table (bot/slack/subcommands.py) replies; `compare`
# reads what follows, and the features' own (tips, team, curators) are theirs.
REPLIES: dict[str, Callable[[Deps], dict[str, Any]]] = {
    "help": lambda deps: help_message(deps.engine.kb),
    "topics": lambda deps: topics_message(deps.engine.kb),
    "tip": random_tip,
}
