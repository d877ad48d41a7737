"""The real server on a loopback port, Slack's Web API played by a stand-in."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.server import BackgroundServer, http_app

SECRET = "e2e0signing0secret0000000000abcd"


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


class SlackSender:
    """Sends requests the way Slack does: signed, timestamped, form or JSON."""

    def __init__(self, base_url: str, secret: str = SECRET) -> None:
        self.base_url = base_url
        self.verifier = SignatureVerifier(secret)

    def post(
        self,
        body: str | bytes,
        content_type: str = "application/json",
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> Reply:
        raw = body.encode() if isinstance(body, str) else body
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or self.verifier.generate_signature(
            timestamp=ts, body=raw.decode("utf-8", errors="replace")
        )
        sent = {"Content-Type": content_type, **(headers or {})}
        if signed:
            sent |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}
        request = urllib.request.Request(self.base_url + "/slack/events", data=raw, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read())

    def command(self, fields: dict[str, str]) -> Reply:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded")

    def event(self, body: dict[str, object], retry: int | None = None) -> Reply:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(body), headers=headers if retry else None)

    def action(self, payload: dict[str, object]) -> Reply:
        return self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def get(self, path: str) -> Reply:
        with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
            return Reply(response.status, response.read())


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def slack(api: WebApiStandIn, engine: Engine) -> Iterator[SlackSender]:
    settings = Settings(bot_token="xoxb-e2e", signing_secret=SECRET, api_url=api.base_url)
    app = build_app(settings, compose.of(engine), client=web_client(settings))
    with BackgroundServer(http_app(app)) as server:
        yield SlackSender(server.url)
