"""Daily tips end to end: a signed `/pm tips on` into the real server, then
`pmbot tips run-due` as real processes, racing, and killed mid-post."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from bot.tips.store import TipStore
from tests.conftest import REPO
from tests.e2e.conftest import SECRET, SlackSender

NOW = "2027-03-29T07:05:00Z"  # 09:05 in Berlin, the day after the switch to summer time


def run_due_process(api: WebApiStandIn, database_url: str, now: str) -> subprocess.Popen[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": "xoxb-tips-e2e",
        "SLACK_API_URL": api.base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "tips", "run-due", "--now", now],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


def delivered(api: WebApiStandIn, channel: str) -> list[dict]:
    return api.state.history.get(channel, [])


def test_subscribe_over_http_then_two_run_due_at_once_post_once(
    api: WebApiStandIn, engine: Engine, database_url: str
) -> None:
    store = Store(database_url)
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    app = build_app(settings, compose.with_store(engine, store), client=web_client(settings))
    with BackgroundServer(http_app(app)) as server:
        fields = {
            "command": "/pm",
            "text": "tips on 09:00 Europe/Berlin",
            "user_id": "U2147483697",
            "channel_id": "C2147483705",
            "team_id": "T0001",
            "api_app_id": "A123456",
            "response_url": api.response_url("tips"),
            "trigger_id": "1.2.3",
        }
        reply = SlackSender(server.url).post(urlencode(fields), "application/x-www-form-urlencoded")
        assert reply.status == 200
        (answer,) = api.wait_for("response_url")
    assert answer.params["text"].startswith(
        "Daily PM tips are on for this channel: 09:00 Europe/Berlin, weekdays."
    )
    first, second = run_due_process(api, database_url, NOW), run_due_process(api, database_url, NOW)
    outputs = [finish(first), finish(second)]
    posts = [c for c in api.calls_to("chat.postMessage") if c.params["channel"] == "C2147483705"]
    assert len(posts) == 1
    assert sorted(o.split(": ", 1)[1].strip() for o in outputs) == [
        "posted 0, recovered 0, failed 0, paused 0",
        "posted 1, recovered 0, failed 0, paused 0",
    ]
    row = TipStore(store).tip_post("C2147483705", "2027-03-29")
    assert (row.state, row.message_ts) == ("posted", posts[0].response["ts"])
    store.close()


@pytest.mark.parametrize("delivered_before_crash", [False, True])
def test_killed_mid_post_neither_skips_nor_repeats(
    api: WebApiStandIn, database_url: str, delivered_before_crash: bool
) -> None:
    """kill -9 while Slack holds the post: either it never arrived (the next run
    posts it) or it did (the next run finds it by its metadata and records it)."""
    now = datetime.fromisoformat(NOW)
    api.clock = lambda: now.timestamp() + 1  # Slack's clock, for message ts values
    store = Store(database_url)
    TipStore(store).subscribe("C1", "09:00", "Europe/Berlin", True, "U1")
    api.fail("chat.postMessage", Fault(status=500, delay=30, deliver=delivered_before_crash))
    process = run_due_process(api, database_url, NOW)
    assert api.wait_for("chat.postMessage", timeout=30), process.communicate(timeout=5)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert TipStore(store).tip_post("C1", "2027-03-29").state == "claimed"
    assert len(delivered(api, "C1")) == int(delivered_before_crash)

    soon = (now + timedelta(minutes=5)).isoformat()
    finish(run_due_process(api, database_url, soon))  # the claim's lease still holds
    assert len(api.calls_to("chat.postMessage")) == 1

    later = (now + timedelta(minutes=11)).isoformat()
    out = finish(run_due_process(api, database_url, later))
    expected = "recovered 1" if delivered_before_crash else "posted 1"
    assert expected in out
    assert len(delivered(api, "C1")) == 1
    assert TipStore(store).tip_post("C1", "2027-03-29").state == "posted"
    store.close()
