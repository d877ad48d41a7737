"""Issue 19's findings that are about what the channel sees, through the real server:
signed HTTP in, Slack's Web API played by the stand-in, a SQLite store."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import BOT_USER_ID, Fault, WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from bot.team.store import HolderStore
from tests.e2e.conftest import SECRET, SlackSender
from tests.e2e.test_http import event_body, slash_fields

CHANNEL = "C2147483705"  # the channel of slash_fields


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path}/db.sqlite3")
    yield store
    store.close()


@pytest.fixture
def server(api: WebApiStandIn, engine: Engine, store: Store) -> Iterator[SlackSender]:
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    app = build_app(settings, compose.with_store(engine, store), client=web_client(settings))
    with BackgroundServer(http_app(app)) as running:
        yield SlackSender(running.url)


def share(server: SlackSender, api: WebApiStandIn, question: str) -> None:
    """Ask privately, then press the answer's "Share in channel"."""
    acked = json.loads(server.command(slash_fields(api, question)).body)
    button = next(
        e
        for b in acked["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "share_answer"
    )
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U2147483697", "username": "steve", "team_id": "T0001"},
        "api_app_id": "A123456",
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": CHANNEL},
        "trigger_id": "12321423423.333649436676.share",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": CHANNEL, "name": "test"},
        "response_url": api.response_url("actions/share"),
        "actions": [{**button, "block_id": "pm_feedback", "action_ts": "1548426417.840180"}],
    }
    assert server.action(payload).status == 200


def test_a_shared_question_shows_what_was_typed_escaped_once(
    server: SlackSender, api: WebApiStandIn
) -> None:
    share(server, api, "who owns the backlog &amp; the roadmap &lt;3")
    shared = api.wait_for("response_url", count=2)[0]
    context = shared.params["blocks"][1]["elements"][0]["text"]
    assert "asked: “who owns the backlog &amp; the roadmap &lt;3”" in context


def test_a_lost_share_leaves_one_line_naming_it(
    server: SlackSender, api: WebApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("response_url", Fault(status=500, times=2))
    with caplog.at_level(logging.WARNING):
        share(server, api, "who owns the budget")
        api.wait_for("response_url")
    lines = [r.getMessage() for r in caplog.records if "failed for good" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("share for 1.000001 failed for good: ")


def test_twenty_holders_are_named_a_few_then_counted_never_cut(
    server: SlackSender, api: WebApiStandIn, store: Store
) -> None:
    twenty = [(f"U{i:010d}", "user") for i in range(20)]
    HolderStore(store).set_holders(CHANNEL, "product", twenty, "U1")  # type: ignore[arg-type]
    mention = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER_ID}> who owns the roadmap?",
        "ts": "1515449522.000016",
        "channel": CHANNEL,
        "event_ts": "1515449522000016",
    }
    assert server.event(event_body(mention, "Ev0HOLDERS")).status == 200
    (posted,) = api.wait_for("chat.postMessage")
    section = posted.params["blocks"][0]["text"]["text"]
    names = ", ".join(f"@{holder[1:].lower()}" for holder, _ in twenty[:5])
    assert section.endswith(f"\nHere: {names}, and 15 more")
    assert "<@" not in section and len(section) <= 3000
