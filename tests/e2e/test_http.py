"""Signed requests in Slack's documented shapes, into the real server over HTTP."""

from __future__ import annotations

import http.client
import itertools
import json
import time
import urllib.error
from pathlib import Path

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.serving import store_problem
from bot.slack.app import build_app, web_client
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from tests.e2e.conftest import SECRET, SlackSender

TRIGGERS = itertools.count(0x8088930838D88F008E0)


def slash_fields(api: WebApiStandIn, text: str) -> dict[str, str]:
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": "T0001",
        "team_domain": "example",
        "enterprise_id": "",
        "channel_id": "C2147483705",
        "channel_name": "test",
        "user_id": "U2147483697",
        "user_name": "Steve",
        "command": "/pm",
        "text": text,
        "api_app_id": "A123456",
        "is_enterprise_install": "false",
        "response_url": api.response_url("T0001/1234/abcd"),
        # Slack gives every invocation its own trigger: two identical requests in one
        # second are a replay (tests/e2e/test_replays.py), never two questions.
        "trigger_id": f"13345224609.738474920.{next(TRIGGERS):x}",
    }


def event_body(inner: dict[str, object], event_id: str = "Ev0PV52K21") -> dict[str, object]:
    return {
        "token": "XXYYZZ",
        "team_id": "T0001",
        "api_app_id": "A123456",
        "event": inner,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": BOT_USER_ID, "is_bot": True}],
    }


def test_url_verification(slack: SlackSender) -> None:
    reply = slack.post(
        json.dumps({"token": "t", "challenge": "3eZbrw1aB", "type": "url_verification"})
    )
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aB"}


def test_slash_command_is_answered_privately_in_the_ack(
    slack: SlackSender, api: WebApiStandIn
) -> None:
    reply = slack.command(slash_fields(api, "who's in charge of the roadmap"))
    assert reply.status == 200
    message = reply.json()
    assert message["response_type"] == "ephemeral"
    assert message["text"].startswith("The roadmap:")
    assert api.calls_to("response_url") == []


def test_slow_subcommand_acks_then_responds(slack: SlackSender, api: WebApiStandIn) -> None:
    reply = slack.command(slash_fields(api, "tips"))  # asks the store first
    assert (reply.status, reply.body) == (200, b"")
    (call,) = api.wait_for("response_url")
    assert call.path == "/response/T0001/1234/abcd"
    assert call.params["text"].startswith("Daily tips")


def test_mention_is_answered_in_thread(slack: SlackSender, api: WebApiStandIn) -> None:
    inner = {
        "type": "app_mention",
        "user": "U061F7AUR",
        "text": f"<@{BOT_USER_ID}> who owns the budget?",
        "ts": "1515449522.000016",
        "channel": "C123ABC456",
        "event_ts": "1515449522000016",
    }
    assert slack.event(event_body(inner)).status == 200
    (call,) = api.wait_for("chat.postMessage")
    assert call.params["channel"] == "C123ABC456"
    assert call.params["thread_ts"] == "1515449522.000016"
    assert call.params["text"].startswith("Budgets:")


def test_direct_message_is_answered(slack: SlackSender, api: WebApiStandIn) -> None:
    inner = {
        "type": "message",
        "channel": "D024BE91L",
        "channel_type": "im",
        "user": "U2147483697",
        "text": "what does a PdM do",
        "ts": "1355517523.000005",
        "event_ts": "1355517523.000005",
    }
    assert slack.event(event_body(inner, "Ev0DM00001")).status == 200
    (call,) = api.wait_for("chat.postMessage")
    assert call.params["channel"] == "D024BE91L"
    assert call.params["text"].startswith("What a product manager does:")


def test_button_click(slack: SlackSender, api: WebApiStandIn) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U2147483697", "username": "steve", "team_id": "T0001"},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "container": {
            "type": "message",
            "message_ts": "1548261231.000200",
            "channel_id": "C2147483705",
            "is_ephemeral": True,
        },
        "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": "C2147483705", "name": "test"},
        "response_url": api.response_url("actions/T0001/5678"),
        "actions": [
            {
                "action_id": "share_answer",
                "block_id": "pm_feedback",
                "text": {"type": "plain_text", "text": "Share in channel", "emoji": True},
                "value": '{"t":"owns-risk","q":"who owns risk"}',
                "type": "button",
                "action_ts": "1548426417.840180",
            }
        ],
    }
    assert slack.action(payload).status == 200
    shared, deleted = api.wait_for("response_url", count=2)
    assert shared.params["response_type"] == "in_channel"
    assert shared.params["text"].startswith("Risk:")
    assert deleted.params["delete_original"] is True


def test_retried_event_is_answered_once(slack: SlackSender, api: WebApiStandIn) -> None:
    inner = {
        "type": "app_mention",
        "user": "U061F7AUR",
        "text": f"<@{BOT_USER_ID}> who owns scope",
        "ts": "1515449522.000099",
        "channel": "C123ABC456",
    }
    body = event_body(inner, "Ev0RETRY0042")
    assert slack.event(body).status == 200
    for retry in (1, 2, 3):
        assert slack.event(body, retry=retry).status == 200
    api.wait_for("chat.postMessage")
    time.sleep(0.3)  # give any duplicate the time to (wrongly) arrive
    assert len(api.calls_to("chat.postMessage")) == 1


def test_forged_signature_is_rejected(slack: SlackSender, api: WebApiStandIn) -> None:
    reply = slack.post(
        json.dumps(event_body({"type": "app_mention", "text": "hi", "channel": "C1"})),
        signature="v0=" + "0" * 64,
    )
    assert reply.status == 401
    assert api.calls == [c for c in api.calls if c.method == "auth.test"]


def test_stale_timestamp_is_rejected(slack: SlackSender, api: WebApiStandIn) -> None:
    reply = (
        slack.command(slash_fields(api, "who owns scope"))
        if False
        else slack.post(
            "command=%2Fpm&text=hi",
            "application/x-www-form-urlencoded",
            timestamp=int(time.time()) - 301,
        )
    )
    assert reply.status == 401


def test_unsigned_request_is_rejected(slack: SlackSender) -> None:
    assert slack.post('{"type": "url_verification", "challenge": "x"}', signed=False).status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"not json', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ],
)
def test_malformed_bodies_get_4xx_and_server_keeps_serving(
    slack: SlackSender, body: bytes, content_type: str
) -> None:
    assert 400 <= slack.post(body, content_type).status < 500
    assert slack.get("/healthz").json() == {"ok": True}


def test_oversized_body_is_refused_before_it_is_read(slack: SlackSender) -> None:
    host, port = slack.base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", "50000000")
    conn.endheaders(b"{}")
    assert conn.getresponse().status == 413
    conn.close()
    assert slack.get("/healthz").status == 200


def test_healthz(slack: SlackSender) -> None:
    reply = slack.get("/healthz")
    assert (reply.status, reply.json()) == (200, {"ok": True})


def test_readyz_follows_the_store_and_healthz_does_not(
    api: WebApiStandIn, engine: Engine, tmp_path: Path
) -> None:
    database = tmp_path / "db.sqlite3"
    store = Store(f"sqlite:///{database}")
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    app = build_app(settings, compose.of(engine), client=web_client(settings))
    ready = http_app(app, ready=lambda: store_problem(store))
    with BackgroundServer(ready) as server:
        sender = SlackSender(server.url)
        assert sender.get("/readyz").json() == {"ok": True}
        database.unlink()
        database.mkdir()  # the database file is gone, a directory in its place
        with pytest.raises(urllib.error.HTTPError) as caught:
            sender.get("/readyz")
        assert caught.value.code == 503
        assert json.loads(caught.value.read()) == {
            "ok": False,
            "problem": "database unavailable (OperationalError)",
        }
        assert sender.get("/healthz").json() == {"ok": True}  # alive, just not ready
    store.close()
