"""A real Bolt App with the hand-off, on a SQLite store, the Web API played by the
stand-in; listeners run inline, so each dispatch is done when it returns."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.curation.curators import Curators
from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.blocks import ASK_PERSON
from bot.slack.resilience import InlineExecutor
from bot.store.database import Store
from bot.team.store import HolderStore
from tests.slack.conftest import (
    Clock,
    api,
    buttons,
    click,
    clock,
    dispatch,
    event,
    mention,
    store,
    ts,
)

__all__ = ["api", "clock", "store"]

DECLINED = "what should a product manager wear to the offsite?"
CURATOR = "UCURATOR1"


def make_app(
    api: WebApiStandIn,
    engine: Engine,
    store: Store,
    clock: Clock,
    experts: str | None = None,
    curators: tuple[str, ...] = (CURATOR,),
) -> App:
    settings = Settings(bot_token="xoxb-test", signing_secret="x" * 32, api_url=api.base_url)
    deps = compose.with_store(
        engine, store, clock=clock, curators=Curators(curators), experts=experts
    )
    return build_app(
        settings, deps, client=web_client(settings), listener_executor=InlineExecutor()
    )


@pytest.fixture
def app(api: WebApiStandIn, engine: Engine, store: Store, clock: Clock) -> App:
    return make_app(api, engine, store, clock)


@pytest.fixture
def holders(store: Store) -> HolderStore:
    book = HolderStore(store)
    book.set_holders("C1", "product", [("UPRODUCT", "user")], "U9")
    return book


def declined_in_thread(app: App, api: WebApiStandIn, question: str = DECLINED) -> dict[str, Any]:
    """Mention pmbot in C1 with a question it declines; its reply, as Slack keeps it."""
    asked = mention(question)
    api.clear()
    assert dispatch(app, event(asked)) == 200
    (post,) = api.wait_for("chat.postMessage")
    reply = dict(post.params) | {"ts": post.response["ts"], "user": BOT_USER_ID}
    assert reply["thread_ts"] == asked["ts"]
    return reply


def ask_button(message: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in buttons(message) if b["action_id"] == ASK_PERSON)


def press(
    app: App,
    api: WebApiStandIn,
    message: dict[str, Any] | None,
    channel: str = "C1",
    button: dict[str, Any] | None = None,
    user: str = "U1",
) -> str:
    """Press "Ask a person" on `message` (None: an ephemeral /pm reply, `button` given);
    what the asker is told, privately."""
    before = len(api.calls_to("response_url"))
    body = click(
        api,
        button or ask_button(message or {}),
        ephemeral=message is None,
        channel=channel,
        message=message,
    )
    body["user"]["id"] = user
    assert dispatch(app, body) == 200
    note = api.wait_for("response_url", before + 1)[-1].params
    assert note["response_type"] == "ephemeral" and note["replace_original"] is False
    return str(note["text"])


def thread_reply(user: str, thread_ts: str, channel: str = "C1", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "channel_type": "group" if channel.startswith("G") else "channel",
        "user": user,
        "text": "we wear whatever we like, honestly",
        "ts": ts(),
        "thread_ts": thread_ts,
        "event_ts": ts(),
        **extra,
    }
