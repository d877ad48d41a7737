""" "Ask a person", after the ack: where the question was asked, whom to ask (the
channel's holders of its role, else the experts channel, else the curators), one
post that pings them, and a private note to the asker naming whom it asked.

Every step that can fail says so to the asker in one line and leaves no trace: the
hand-off is claimed (so a second click asks nobody twice) before the post, and let
go again if the post fails."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.handoff.blocks import (
    ALREADY,
    ALREADY_BY_SOMEONE,
    CHANNEL_BUSY,
    NOBODY,
    NOT_HERE,
    NOT_POSTED,
    TOO_MANY,
    UNREACHABLE,
    asked_note,
    experts_note,
    request_message,
)
from bot.handoff.store import HandoffStore
from bot.slack.membership import conversation
from bot.slack.names import Names, mention
from bot.slack.services import EXPERTS_RANK, HOLDERS_RANK, STORE_DOWN, Deps, People

log = logging.getLogger("pmbot.handoff")
PER_USER_PER_HOUR = 5
PER_CHANNEL_PER_HOUR = 20
HOUR = 3600.0
MAX_CURATORS_IN_A_DM = 8  # conversations.open takes at most 8 users


@dataclass(frozen=True)
class Click:
    """An "Ask a person" click: who, where, on which message, about what."""

    user: str
    channel: str
    message_ts: str  # the message the button was on (an ephemeral one has one too)
    thread_ts: str | None  # the question's thread, when the button was on a message in it
    topic: str | None
    question: str
    ephemeral: bool = False  # only the asker saw it: there is no message to link to

    @property
    def key(self) -> str:
        """One question: where it was asked (its thread, else the message the button
        is on, a private reply included) and its words (hashed: any script, any
        length). Whoever clicks on it next is told it was asked already."""
        where = self.thread_ts or self.message_ts
        words = " ".join(self.question.casefold().split()).encode("utf-8")
        return f"{self.channel}:{where}:{hashlib.sha1(words).hexdigest()}"


class CannotReach(Exception):
    """The people to ask are known, but Slack would not open a conversation with them."""


@dataclass(frozen=True)
class Target:
    """Where the people are asked, and who they are."""

    channel: str
    thread_ts: str | None
    people: People
    kind: str  # holders, experts, curators


def conversation_kind(client: WebClient, channel: str) -> str | None:
    """ "channel", "private" or "dm" (the asker's DM with pmbot); None where pmbot
    is not (a channel it was not invited to, a DM between two people); "unreachable"."""
    seen = conversation(client, channel)
    if seen.status != "in":
        return None if seen.status == "out" else "unreachable"
    if seen.info.get("is_im"):
        return "dm"
    return "private" if seen.private or channel.startswith("G") else "channel"


class Asking:
    """One click's hand-off: `run()` does it all and returns what the asker is told."""

    def __init__(
        self, deps: Deps, store: HandoffStore, experts: str | None, names: Names, client: WebClient
    ) -> None:
        self.deps, self.store, self.experts = deps, store, experts
        self.names, self.client = names, client

    def run(self, click: Click) -> str:
        kind = conversation_kind(self.client, click.channel)
        if kind is None or kind == "unreachable":
            return NOT_HERE if kind is None else UNREACHABLE
        ok, counts = self.deps.guard.run(
            "hand-off", lambda: self.store.asked_within(HOUR, click.user, click.channel)
        )
        if not ok or counts is None:
            return STORE_DOWN
        if counts[0] >= PER_USER_PER_HOUR or counts[1] >= PER_CHANNEL_PER_HOUR:
            return TOO_MANY if counts[0] >= PER_USER_PER_HOUR else CHANNEL_BUSY
        try:
            target = self.target(click, kind)
        except CannotReach:
            return NOT_POSTED
        if target is None:
            return NOBODY
        return self.ask(click, kind, target)

    def target(self, click: Click, kind: str) -> Target | None:
        here = "" if kind == "dm" else click.channel
        # The asker is never among the people asked: a curator who asks wants others.
        found = [
            replace(p, ids=tuple((i, k) for i, k in p.ids if i != click.user))
            for p in self.deps.people(here, click.topic, click.question)
        ]
        found = [p for p in found if p.ids]
        holders = next((p for p in found if p.rank == HOLDERS_RANK), None)
        if holders is not None:
            return Target(click.channel, click.thread_ts, holders, "holders")
        if self.experts:
            experts = People((), "the experts channel", EXPERTS_RANK)
            return Target(self.experts, None, experts, "experts")
        curators = next((p for p in found if p.rank > HOLDERS_RANK), None)
        if curators is None:
            return None
        users = [i for i, k in curators.ids if k == "user"][:MAX_CURATORS_IN_A_DM]
        if users:
            return self._curators_conversation(curators, users)
        if kind == "dm":  # user groups only: no conversation to open with them
            return None
        return Target(click.channel, click.thread_ts, curators, "curators")

    def _curators_conversation(self, curators: People, users: list[str]) -> Target:
        """The curators are asked in a conversation of their own (a DM, or a group DM
        of up to 8): they may not be in the question's channel, where a mention would
        not reach them."""
        try:
            opened = self.client.conversations_open(users=",".join(users))
        except (SlackApiError, OSError) as error:
            log.warning("cannot open a conversation with the curators: %s", _why(error))
            raise CannotReach from error
        channel = str((opened.get("channel") or {}).get("id") or "")
        if not channel:
            raise CannotReach
        people = People(tuple((u, "user") for u in users), curators.role, curators.rank)
        return Target(channel, None, people, "curators")

    def ask(self, click: Click, kind: str, target: Target) -> str:
        claim: Callable[[], int | None] = lambda: self.store.claim(  # noqa: E731
            click.key, click.user, click.channel, click.topic, target.kind
        )
        ok, handoff = self.deps.guard.run("hand-off", claim)
        if not ok:
            return STORE_DOWN
        if handoff is None:
            ok, first = self.deps.guard.run("hand-off", lambda: self.store.asker_of(click.key))
            return ALREADY if not ok or first in (None, click.user) else ALREADY_BY_SOMEONE
        try:
            posted = _once(self.client).chat_postMessage(
                channel=target.channel,
                thread_ts=target.thread_ts,
                **self.request(click, kind, target),
            )
        except (SlackApiError, OSError) as error:
            log.warning("hand-off not posted to %s: %s", target.channel, _why(error))
            self.deps.guard.run("hand-off", lambda: self.store.release(handoff))
            return NOT_POSTED
        thread = target.thread_ts or str(posted.get("ts") or "")
        self.deps.guard.run("hand-off", lambda: self.store.posted(handoff, target.channel, thread))
        log.info("hand-off %d: %s asked (%s)", handoff, target.kind, kind)
        if target.kind == "experts":
            return experts_note(target.channel)
        names = [self.names.name(self.client, i, k) for i, k in target.people.ids]
        where = "here" if target.channel == click.channel else "in a conversation with them"
        return asked_note(names, target.people.role, where)

    def request(self, click: Click, kind: str, target: Target) -> dict[str, Any]:
        asker = self.names.name(self.client, click.user, "user")
        people = [mention(i, k) for i, k in target.people.ids]
        if target.channel == click.channel:  # asked where it was asked: no link needed
            return request_message(asker, people, target.people.role, click.question)
        link = self._permalink(click) if kind != "dm" and not click.ephemeral else None
        # Out of a private channel a question is linked, never quoted.
        question = None if kind == "private" else click.question
        where = click.channel if kind != "dm" else None
        return request_message(asker, people, target.people.role, question, link, where)

    def _permalink(self, click: Click) -> str | None:
        ts = click.thread_ts or click.message_ts
        try:
            found = self.client.chat_getPermalink(channel=click.channel, message_ts=ts)
        except (SlackApiError, OSError):
            return None
        return str(found.get("permalink") or "") or None


def _once(client: WebClient) -> WebClient:
    """The client without its retries: a post whose answer was lost may have been
    delivered, and posting it again would ping everyone twice. A failure is said
    to the asker, who may try again knowingly."""
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[]
    )


def _why(error: Exception) -> str:
    if isinstance(error, SlackApiError) and error.response is not None:
        return str(error.response.get("error") or type(error).__name__)
    return type(error).__name__
