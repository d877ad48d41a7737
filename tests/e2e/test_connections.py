"""Slow and silent clients against the real server: dropped, and never in the way of
a signed `/pm` (bot/slack/connections.py)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.connections import HEADER_SECONDS
from bot.slack.server import BackgroundServer, http_app
from tests.e2e.conftest import SECRET, SlackSender
from tests.e2e.test_http import slash_fields

CAP = 20  # the production cap is 512; the mechanism is the same, the test smaller
PARTIAL = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: appl"


@pytest.fixture
def capped(api: WebApiStandIn, engine: Engine) -> Iterator[SlackSender]:
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    app = build_app(settings, compose.of(engine), client=web_client(settings))
    with BackgroundServer(http_app(app), max_connections=CAP) as server:
        yield SlackSender(server.url)


def connect(sender: SlackSender) -> socket.socket:
    host, port = sender.base_url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=HEADER_SECONDS + 3)
    conn.sendall(PARTIAL)
    return conn


def closed(conn: socket.socket) -> bool:
    """Whether the server has closed `conn` (without waiting for it)."""
    conn.setblocking(False)
    try:
        return conn.recv(1) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        conn.setblocking(True)


def test_a_client_that_never_finishes_its_headers_is_dropped(capped: SlackSender) -> None:
    conn = connect(capped)
    started = time.monotonic()
    assert conn.recv(100) == b""  # closed by the server, not timed out here
    took = time.monotonic() - started
    conn.close()
    assert HEADER_SECONDS - 0.5 < took < HEADER_SECONDS + 2


def test_slash_command_is_answered_while_more_slow_clients_than_the_cap_hang(
    capped: SlackSender, api: WebApiStandIn
) -> None:
    hanging = [connect(capped) for _ in range(3 * CAP)]
    try:
        started = time.monotonic()
        reply = capped.command(slash_fields(api, "who owns the roadmap?"))
        took = time.monotonic() - started
        assert reply.status == 200
        assert "roadmap" in json.loads(reply.body)["text"].lower()
        assert took < 1.0  # not after the slow clients' time-out
        time.sleep(0.2)
        open_now = [c for c in hanging if not closed(c)]
        assert len(open_now) < CAP  # the longest-waiting were dropped to make room
        assert all(closed(c) for c in hanging[:CAP])
    finally:
        for conn in hanging:
            conn.close()
