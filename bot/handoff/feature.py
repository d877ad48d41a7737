"""The hand-off in the Slack app: the "Ask a person" button (on every decline and
after every 👎, see bot/slack/blocks.py) and the thread replies that answer it.

Replies reach pmbot as `message` events of the channels it is in (message.channels,
message.groups); only a thread reply by someone other than the asker, in a thread
pmbot asked people in, does anything: the asker is told once, by DM, with a link."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.handoff.asking import Asking, Click
from bot.handoff.blocks import reply_notice
from bot.handoff.store import HandoffStore, Waiting
from bot.slack.answering import ignore_reason
from bot.slack.blocks import ASK_PERSON, Block, decode_thread, decode_value, section
from bot.slack.names import Names
from bot.slack.payloads import channel_of, is_ephemeral, user_of
from bot.slack.requestlog import log_request
from bot.slack.services import STORE_DOWN, Deps, Feature, deps_of

log = logging.getLogger("pmbot.handoff")
CHANNEL_TYPES = ("channel", "group", "mpim")
WEEK = 7 * 86400.0
HOME_LINE = (
    "*When I don't know*: press *Ask a person* and I hand your question to whoever can "
    "answer it (the channel's role holders, the experts channel or the curators), then "
    "tell you when they reply."
)


class Handoff(Feature):
    def __init__(
        self, store: HandoffStore | None, experts: str | None = None, names: Names | None = None
    ) -> None:
        self.store = store  # None: no database, so no hand-off (no button either)
        self.experts = experts  # PMBOT_EXPERTS_CHANNEL
        self.names = names or Names()

    @property
    def asks_people(self) -> bool:
        return self.store is not None

    def takes_reply(self, deps: Deps, client: WebClient, event: dict[str, Any]) -> bool:
        """A reply in a thread pmbot asked a curator in, in their DM with pmbot: theirs
        to answer the asker (the first one tells the asker; later ones are part of
        the conversation), never a question for pmbot. Runs off the ack. With the
        store down it cannot tell, and the reply is answered as a question."""
        store, channel = self.store, str(event.get("channel") or "")
        thread = str(event.get("thread_ts") or "")
        if store is None or not thread:
            return False
        ok, asked = deps.guard.run("hand-off", lambda: store.asked_in(channel, thread))
        if not ok or not asked:
            return False
        self.tell_asker(deps, client, event)
        return True

    def home_blocks(self, deps: Deps, user: str, client: WebClient) -> list[Block]:
        """What "Ask a person" does, for everyone; how the week's went, for curators."""
        store = self.store
        if store is None:
            return []
        blocks = [section(HOME_LINE, block_id="pm_ask_person_help")]
        if not deps.curates(user, client):
            return blocks
        ok, summary = deps.guard.run("hand-offs", lambda: store.summary(store.db.clock() - WEEK))
        if not ok or summary is None:
            return blocks
        line = f"*Asked a person this week*: {summary.line()}"
        return [*blocks, section(line, block_id="pm_handoffs")]

    def register(self, app: App) -> None:
        app.action(ASK_PERSON)(handle_ask_person)
        app.event("message", matchers=[is_thread_reply])(handle_thread_reply)

    def tell_asker(self, deps: Deps, client: WebClient, event: dict[str, Any]) -> None:
        """Someone replied in a thread: each asker waiting there is told, once."""
        store, channel = self.store, str(event.get("channel") or "")
        replier, thread = str(event.get("user") or ""), str(event.get("thread_ts") or "")
        if store is None:
            return
        ok, waiting = deps.guard.run("hand-off", lambda: store.waiting_in(channel, thread))
        for handoff in (waiting or []) if ok else []:
            if handoff.asker == replier:
                continue  # the asker adding detail is no answer
            if _first_reply(deps, store, handoff.id, replier):
                self._notify(client, handoff, replier, channel, str(event.get("ts") or ""))

    def _notify(
        self, client: WebClient, handoff: Waiting, replier: str, channel: str, ts: str
    ) -> None:
        try:
            link = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
        except (SlackApiError, OSError):
            link = None
        text = reply_notice(self.names.name(client, replier, "user"), link and str(link))
        try:
            client.chat_postMessage(channel=handoff.asker, text=text)
            log.info("hand-off %d answered: asker told", handoff.id)
        except (SlackApiError, OSError) as error:
            log.warning("hand-off %d: asker not told: %s", handoff.id, type(error).__name__)


def _first_reply(deps: Deps, store: HandoffStore, handoff: int, replier: str) -> bool:
    done, first = deps.guard.run("hand-off", lambda: store.answered(handoff, replier))
    return bool(done and first)


def _click(body: dict[str, Any], action: dict[str, Any]) -> Click:
    topic, question = decode_value(action.get("value"))
    container = body.get("container") or {}
    message = body.get("message") or {}
    return Click(
        user=user_of(body),
        channel=channel_of(body),
        message_ts=str(container.get("message_ts") or message.get("ts") or ""),
        thread_ts=message.get("thread_ts") or decode_thread(action.get("value")),
        topic=topic,
        question=question,
        ephemeral=is_ephemeral(body),
    )


def handle_ask_person(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """ "Ask a person": acked at once; whom to ask is read, and they are asked, after."""
    ack()
    deps = deps_of(context)
    feature = deps.feature(Handoff)
    click = _click(body, action)
    log_request(context, "handoff", "asked" if click.question else "empty", click.topic)

    def work() -> None:
        store = feature.store if feature is not None else None
        if feature is None or store is None or not click.question or not click.channel:
            note = STORE_DOWN if click.question else "There's no question to hand on."
        else:
            note = Asking(deps, store, feature.experts, feature.names, client).run(click)
        respond(response_type="ephemeral", replace_original=False, text=note)

    deps.replies.submit(work, "hand-off", click.message_ts or "-")


def is_thread_reply(event: dict[str, Any]) -> bool:
    """A reply in a thread of a channel pmbot is in (not DMs: they are questions)."""
    thread = event.get("thread_ts")
    return (
        event.get("channel_type") in CHANNEL_TYPES
        and bool(thread)
        and thread != event.get("ts")
        and event.get("subtype") in (None, "thread_broadcast", "file_share")
    )


def handle_thread_reply(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    why = ignore_reason(event, context)
    if why is not None:
        log.debug("ignored thread reply: %s", why)
        return
    deps = deps_of(context)
    feature = deps.feature(Handoff)
    if feature is None or feature.store is None:
        return
    deps.replies.submit(
        lambda: feature.tell_asker(deps, client, event),
        "hand-off reply",
        str(event.get("ts") or "-"),
    )
