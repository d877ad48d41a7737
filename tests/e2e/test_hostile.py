"""Hostile requests into the real server: a 4xx, quickly, and the server keeps serving."""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlencode

import pytest

from bot.local.local_api import WebApiStandIn
from tests.e2e.conftest import SlackSender
from tests.e2e.test_http import slash_fields


@pytest.mark.parametrize("stamp", ["abc", "1e9", "", " 12", "\u00b2"])
def test_non_numeric_timestamp_is_401(slack: SlackSender, stamp: str) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"})
    reply = slack.post(body, headers={"X-Slack-Request-Timestamp": stamp}, signed=False)
    assert reply.status == 401
    assert slack.get("/healthz").status == 200


@pytest.mark.parametrize("event", [None, [], "text", 7])
def test_event_callback_without_an_event_object_is_400(slack: SlackSender, event: object) -> None:
    body = {"type": "event_callback", "event": event, "event_id": "Ev1", "team_id": "T1"}
    assert slack.post(json.dumps(body)).status == 400
    assert slack.get("/healthz").status == 200


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deeply_nested_json_is_400_quickly(slack: SlackSender, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    started = time.monotonic()
    assert slack.post(nested).status == 400
    form = urlencode({"payload": '{"type": "block_actions", "x": ' + nested + "}"})
    assert slack.post(form, "application/x-www-form-urlencoded").status == 400
    assert time.monotonic() - started < 2
    assert slack.get("/healthz").status == 200


def test_body_shorter_than_its_content_length_does_not_hold_the_connection(
    slack: SlackSender,
) -> None:
    host, port = slack.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        started = time.monotonic()
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{}"
        )
        status_line = conn.recv(200).split(b"\r\n")[0]
        took = time.monotonic() - started
    assert status_line.split()[1] == b"408"
    assert took < 4
    assert slack.get("/healthz").status == 200


@pytest.mark.parametrize("unit", ["<http:", "<@A|", "<!", "<#C|", "<mailto:x|"])
def test_huge_markup_question_is_answered_quickly_and_blocks_nobody(
    slack: SlackSender, api: WebApiStandIn, unit: str
) -> None:
    huge = unit * (100_000 // len(unit))
    results: dict[str, float] = {}

    def ask_huge() -> None:
        started = time.monotonic()
        assert slack.command(slash_fields(api, huge + " who owns the roadmap")).status == 200
        results["huge"] = time.monotonic() - started

    thread = threading.Thread(target=ask_huge)
    thread.start()
    started = time.monotonic()
    assert slack.command(slash_fields(api, "who owns the roadmap")).status == 200
    assert slack.get("/healthz").status == 200
    results["others"] = time.monotonic() - started
    thread.join(30)
    assert results["huge"] < 1.5 and results["others"] < 1.5, results


def test_a_chunked_upload_is_refused_once_past_the_cap(slack: SlackSender) -> None:
    """No Content-Length, `Transfer-Encoding: chunked`: the cap holds as the body
    arrives, so the 413 comes without the rest being read (or waited for)."""
    host, port = slack.base_url.removeprefix("http://").split(":")
    chunk = b"x" * 65_536
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        started = time.monotonic()
        for _ in range(17):  # 1.1 MB, then the client goes quiet without ending the body
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        status_line = conn.recv(200).split(b"\r\n")[0]
        took = time.monotonic() - started
    assert status_line.split()[1] == b"413"
    assert took < 1.5  # not the 2 s body timeout: nothing waited for the end
    assert slack.get("/healthz").status == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "view_submission", "user": {"id": "U1"}, "view": None},
        {"type": "view_submission", "user": {"id": "U1"}, "view": "V1"},
        {"type": "view_closed", "user": "U1", "view": {"id": "V1"}},
        {"type": "block_actions", "actions": None},
        {"type": "block_actions", "actions": [None]},
        {"type": "block_actions", "actions": [{"value": "x"}]},
    ],
)
def test_signed_interactive_payload_of_the_wrong_shape_is_400_without_a_traceback(
    slack: SlackSender, payload: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    form = urlencode({"payload": json.dumps(payload)})
    reply = slack.post(form, "application/x-www-form-urlencoded")
    assert reply.status == 400
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert slack.get("/healthz").status == 200
