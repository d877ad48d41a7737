"""`/pm`: questions and subcommands, answered privately."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.answers.knowledge import KnowledgeBase
from bot.slack.blocks import (
    answer_message,
    help_message,
    tip_message,
    topics_message,
)
from bot.slack.compare import cannot_compare_message, compare_message, roles_named
from bot.slack.curation import handle_curator_command
from bot.slack.requestlog import log_request, log_result
from bot.slack.services import Deps, deps_of
from bot.slack.subcommands import COMPARE, CURATOR_NAMES, TEAM, TIPS, subcommand
from bot.slack.team import (
    NOT_A_MEMBER,
    SLACK_UNREACHABLE,
    STORE_DOWN,
    here_for,
    here_text,
    holders_here,
    is_team_command,
    sets_holders,
    team_command,
)
from bot.tips.command import (
    NOT_IN_CHANNEL,
    NOT_OUR_DM,
    TipsUsageError,
    describe,
    parse_tips_args,
    status_text,
    when,
)
from bot.tips.poster import next_tip_at

TIPS_WORDS = ("on", "off", "status", "show")


def handle_pm_command(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Answers go back in the ack itself (the engine takes well under a millisecond,
    so there is no reason for a second round trip); only `/pm tips`, which must ask
    Slack first (time zone, channel membership), acks and then responds."""
    deps = deps_of(context)
    text = " ".join(str(command.get("text") or "").split())
    words = text.lower().split()
    kb = deps.engine.kb
    channel = str(command.get("channel_id") or "")
    if is_curator_command(kb, words):
        handle_curator_command(ack, command, respond, client, deps)
        log_request(context, "command", words[0])
        return
    if words and words[0] == TEAM and is_team_command(kb, text.split()[1:]):
        team(deps, ack, respond, client, command, text.split(None, 1)[1] if len(words) > 1 else "")
        log_request(context, "command", TEAM)
        return
    if words and words[0] == TIPS and (len(words) == 1 or words[1] in TIPS_WORDS):
        tips(deps, ack, respond, client, command, text.split()[1:])
        log_request(context, "command", TIPS)
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
        here = here_for(deps, channel, result.topic) if result.status == "answer" else None
        message = answer_message(result, kb, shareable=result.status == "answer", here=here)
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
    here = here_text(kb, named.roles, holders_here(deps, channel))
    return compare_message(kb, named.roles, here=here)


def is_curator_command(kb: KnowledgeBase, words: list[str]) -> bool:
    """`/pm unanswered`, `/pm teach TOPIC-ID …` (an id has a dash, or is known, so a
    mistyped one gets the list of ids); "teach me the difference…" is a question."""
    if not words or words[0] not in CURATOR_NAMES:
        return False
    return len(words) == 1 or (words[0] == "teach" and (words[1] in kb.topics or "-" in words[1]))


def tips(
    deps: Deps,
    ack: Ack,
    respond: Respond,
    client: WebClient,
    command: dict[str, Any],
    args: list[str],
) -> None:
    """`/pm tips …` asks Slack first (time zone, channel membership): ack, then respond."""
    ack()

    def reply() -> None:
        ok, answer = deps.guard.run(
            "/pm tips",
            lambda: tips_command(deps, command, client, args),
            errors=(SQLAlchemyError,),  # Slack's failures reach the reply pool's log
        )
        respond(response_type="ephemeral", text=answer if ok else STORE_DOWN)

    deps.replies.submit(reply, "/pm tips reply", str(command.get("channel_id") or "-"))


def team(
    deps: Deps, ack: Ack, respond: Respond, client: WebClient, command: dict[str, Any], rest: str
) -> None:
    """`/pm team …`: answered in the ack, except recording holders, which first asks
    Slack whether the bot is in the channel (so acks, then responds)."""
    channel = str(command.get("channel_id") or "")
    user = str(command.get("user_id") or "")
    if not sets_holders(deps.engine.kb, rest) or channel.startswith("D") or not deps.holders:
        ack(response_type="ephemeral", text=team_command(deps, channel, user, rest))
        return
    ack()

    def reply() -> None:
        refusal = lambda: _where_team_cannot_go(client, channel)  # noqa: E731
        respond(response_type="ephemeral", text=team_command(deps, channel, user, rest, refusal))

    deps.replies.submit(reply, "/pm team reply", channel or "-")


def _where_team_cannot_go(client: WebClient, channel: str) -> str | None:
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        return (
            NOT_A_MEMBER if code in ("channel_not_found", "not_in_channel") else SLACK_UNREACHABLE
        )
    except OSError:  # Slack unreachable, after the client's retries
        return SLACK_UNREACHABLE
    return None if info.get("is_member") else NOT_A_MEMBER


def random_tip(deps: Deps) -> dict[str, Any]:
    """`/pm tip`: a tip of the knowledge base, else a topic's answer as one."""
    kb = deps.engine.kb
    if kb.tips:
        tip = random.choice(kb.tips)
        return tip_message(tip.text, kb.topics.get(tip.topic or ""))
    topic = random.choice(kb.answerable)
    return tip_message(topic.answer, topic)


def _where_tips_cannot_go(client: WebClient, channel: str) -> str | None:
    """Why tips cannot be posted in `channel`, or None when they can. A DM with the
    bot is visible to it (`is_im`); a DM between two people is not (channel_not_found)."""
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError:
        return NOT_OUR_DM if channel.startswith("D") else NOT_IN_CHANNEL
    if info.get("is_im") or info.get("is_member"):
        return None
    return NOT_OUR_DM if channel.startswith("D") else NOT_IN_CHANNEL


def _user_timezone(client: WebClient, user: str) -> str:
    try:
        tz = (client.users_info(user=user).get("user") or {}).get("tz")
    except SlackApiError:
        tz = None
    return str(tz) if tz else "UTC"


def tips_command(deps: Deps, command: dict[str, Any], client: WebClient, args: list[str]) -> str:
    tips = deps.tips
    if tips is None:
        return "Daily tips need a database; set DATABASE_URL (see .env.example)."
    channel = str(command.get("channel_id") or "")
    user = str(command.get("user_id") or "")
    try:
        request = parse_tips_args(args)
    except TipsUsageError as error:
        return str(error)
    now = deps.clock()
    if request.action == "off":
        if tips.unsubscribe(channel):
            return "Daily tips are off for this channel."
        return "Daily tips weren't on here, so nothing changed."
    if request.action == "on":
        refusal = _where_tips_cannot_go(client, channel)
        if refusal is not None:
            return refusal
        zone = request.timezone or _user_timezone(client, user)
        sub = tips.subscribe(
            channel, request.post_time, zone, request.weekdays_only, user, now.timestamp()
        )
        next_at = next_tip_at(tips, sub, now)
        return (
            f"Daily PM tips are on for this channel: {describe(sub)}. "
            f"Next tip: {when(next_at, now)}."
        )
    sub = tips.subscription(channel)
    last = tips.last_posted(channel)
    next_at = next_tip_at(tips, sub, now) if sub is not None and sub.active else None
    return status_text(sub, next_at, last.local_date if last else None, now)


# What each subcommand of the table (bot/slack/subcommands.py) replies; `tips` acks
# first and replies later, `team` and `compare` read what follows (handle_pm_command).
REPLIES: dict[str, Callable[[Deps], dict[str, Any]]] = {
    "help": lambda deps: help_message(deps.engine.kb),
    "topics": lambda deps: topics_message(deps.engine.kb),
    "tip": random_tip,
}
