"""Listener tests: real Bolt App, real payload shapes (as Slack documents them),
dispatched as Socket Mode delivers them; the Web API is the 127.0.0.1 stand-in."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App, BoltRequest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.payloads import Workspace, block_action, event_callback, slash_command
from bot.slack.resilience import InlineExecutor
from bot.store.database import Store

_ids = itertools.count(1)


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    store = Store(sqlite_url)
    yield store
    store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2027, 3, 29, 7, 5, tzinfo=UTC))  # a Monday, 09:05 in Berlin


@pytest.fixture
def app(api: WebApiStandIn, engine: Engine, store: Store, clock: Clock) -> App:
    settings = Settings(bot_token="xoxb-test", signing_secret="x" * 32, api_url=api.base_url)
    deps = compose.with_store(engine, store, clock=clock)
    return build_app(
        settings, deps, client=web_client(settings), listener_executor=InlineExecutor()
    )


def dispatch(app: App, body: dict[str, Any]) -> int:
    return app.dispatch(BoltRequest(body=body, mode="socket_mode")).status


def acked(app: App, body: dict[str, Any]) -> dict[str, Any]:
    """What the app put in its ack (a slash command's immediate, private reply)."""
    response = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def ts() -> str:
    return f"{int(time.time())}.{next(_ids):06d}"


WORKSPACE = Workspace("T1", "acme", "C1", "general", "U1", "ada", "A1", "legacy")


def slash(api: WebApiStandIn, text: str) -> dict[str, Any]:
    return slash_command(
        WORKSPACE,
        text,
        api.response_url(f"cmd{next(_ids)}"),
        "13345224609.738474920.8088930838d88f008e0",
    )


def event(inner: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return event_callback(
        WORKSPACE,
        inner,
        event_id or f"Ev{next(_ids):08d}",
        [{"team_id": "T1", "user_id": BOT_USER_ID, "is_bot": True}],
    )


def mention(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts(),
        "channel": "C1",
        "event_ts": ts(),
        **extra,
    }


def dm(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D1",
        "channel_type": "im",
        "user": "U1",
        "text": text,
        "ts": ts(),
        "event_ts": ts(),
        **extra,
    }


def click(
    api: WebApiStandIn,
    button: dict[str, Any],
    *,
    ephemeral: bool,
    channel: str = "C1",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body = block_action(
        WORKSPACE,
        button,
        block_id="b1",
        channel=channel,
        message_ts=(message or {}).get("ts", ts()),
        ephemeral=ephemeral,
        response_url=api.response_url(f"act{next(_ids)}"),
        trigger_id="12466734323.1395872398",
        action_ts=ts(),
    )
    if message is not None:
        body["message"] = message
    return body


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in params.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]
