"""The stock production anchor of bench.http: a Bolt app with one `/pm` listener that
only acks, on Flask under gunicorn with 1 worker and 8 threads, as Bolt's own docs
deploy it. Configured by bench.http through the environment."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient

bolt = App(
    client=WebClient(token="xoxb-bench", base_url=os.environ["BENCH_API_URL"]),
    signing_secret=os.environ["BENCH_SECRET"],
)
bolt.command("/pm")(lambda ack: ack())
handler = SlackRequestHandler(bolt)
app = Flask(__name__)


@app.post("/slack/events")
def events() -> Any:
    return handler.handle(request)


@app.get("/healthz")
def healthz() -> dict[str, bool]:
    return {"ok": True}
