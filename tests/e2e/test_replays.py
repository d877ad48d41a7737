"""A replayed signed request (the same body and timestamp, inside Slack's 5-minute
window) has no second effect, in this process or another on the same store; and a
vote is one per user and answer, whatever is clicked again."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from tests.e2e.conftest import SECRET, SlackSender
from tests.e2e.test_http import slash_fields

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/db.sqlite3"


def server(api: WebApiStandIn, engine: Engine, database: str) -> Iterator[SlackSender]:
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    store = Store(database)
    app = build_app(settings, compose.with_store(engine, store), client=web_client(settings))
    with BackgroundServer(http_app(app)) as running:
        yield SlackSender(running.url)
    store.close()


@pytest.fixture
def one(api: WebApiStandIn, engine: Engine, database: str) -> Iterator[SlackSender]:
    yield from server(api, engine, database)


@pytest.fixture
def two(api: WebApiStandIn, engine: Engine, database: str) -> Iterator[SlackSender]:
    yield from server(api, engine, database)


def vote(api: WebApiStandIn, action_id: str, clicked_at: float) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": "U2147483697", "username": "steve", "team_id": "T0001"},
        "api_app_id": "A123456",
        "container": {"type": "message", "message_ts": "1548261231.000200", "channel_id": "C1"},
        "trigger_id": f"12321423423.333649436676.{int(clicked_at * 1000):x}",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": "C1", "name": "test"},
        "message": {"ts": "1548261231.000200", "text": "Risk", "blocks": []},
        "response_url": api.response_url("actions/T0001/5678"),
        "actions": [
            {
                "action_id": action_id,
                "block_id": "pm_feedback",
                "value": '{"t":"owns-risk","q":"who owns risk"}',
                "type": "button",
                "action_ts": f"{clicked_at:.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def test_a_replayed_slash_command_is_not_answered_or_counted_again(
    one: SlackSender, api: WebApiStandIn, database: str
) -> None:
    body, stamp = urlencode(slash_fields(api, "who owns the roadmap?")), int(time.time())
    first = one.post(body, FORM, timestamp=stamp)
    again = one.post(body, FORM, timestamp=stamp)
    assert first.status == 200 and "roadmap" in json.loads(first.body)["text"].lower()
    assert (again.status, again.body) == (200, b"")
    assert sum(Store(database).status_counts().values()) == 1


def test_a_replayed_vote_is_stored_once_even_through_another_process(
    one: SlackSender, two: SlackSender, api: WebApiStandIn, database: str
) -> None:
    body, stamp = vote(api, "feedback_down", time.time()), int(time.time())
    assert one.post(body, FORM, timestamp=stamp).status == 200
    assert two.post(body, FORM, timestamp=stamp).status == 200  # the same request, replayed
    store = Store(database)
    assert store.vote_counts("owns-risk") == (0, 1)
    assert len(store.recent_unanswered()) == 1


def test_clicking_again_or_switching_keeps_one_vote_per_user_and_answer(
    one: SlackSender, api: WebApiStandIn, database: str
) -> None:
    clicks = [("feedback_up", 1.0), ("feedback_up", 2.0), ("feedback_down", 3.0)]
    for action_id, later in clicks:
        assert one.post(vote(api, action_id, time.time() + later), FORM).status == 200
    assert Store(database).vote_counts("owns-risk") == (0, 1)
