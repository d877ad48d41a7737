"""The payload corpus (tests/slack/payloads/*.json): Slack's own shapes, written from
its documentation and SDK tests with our ids and texts, each replayed *signed* into
the real HTTP server and checked for what a person would expect: answered, updated
(an edited mention) or ignored.

Listeners run inline here, so the server's reply to a request comes after every
Web API call it caused: "ignored" is checked exactly, with no waiting."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import BOT_USER_ID, Call, WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.resilience import InlineExecutor
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from tests.conftest import REPO
from tests.e2e.conftest import SECRET, Reply, SlackSender

CORPUS = REPO / "tests" / "slack" / "payloads"
FILES = sorted(CORPUS.glob("*.json"))
KINDS = {
    "mention", "dm", "thread_broadcast", "edit", "file_share", "slack_connect",
    "org_install", "group_dm", "ai_app", "shortcut", "button", "bot", "other_subtype", "retry",
}  # fmt: skip


def load(path: Path, api: WebApiStandIn) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8").replace("{bot}", BOT_USER_ID)
    return json.loads(text.replace("{response_url}", api.response_url(path.stem)))


@pytest.fixture
def server(api: WebApiStandIn, engine: Engine, sqlite_url: str) -> Iterator[SlackSender]:
    settings = Settings(bot_token="xoxb-corpus", signing_secret=SECRET, api_url=api.base_url)
    store = Store(sqlite_url)
    deps = compose.with_store(engine, store)
    app = build_app(settings, deps, web_client(settings), listener_executor=InlineExecutor())
    with BackgroundServer(http_app(app)) as running:
        yield SlackSender(running.url)
    store.close()


def send(slack: SlackSender, body: dict[str, Any], form: bool) -> Reply:
    if form:
        raw = urlencode({"payload": json.dumps(body)})
        return slack.post(raw, "application/x-www-form-urlencoded")
    return slack.post(json.dumps(body))


def field(params: dict[str, Any], dotted: str) -> str:
    value: Any = params
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value)


def made(api: WebApiStandIn) -> list[Call]:
    return [c for c in api.calls if c.method != "auth.test"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_payload_is_handled_as_a_person_would_expect(
    path: Path, api: WebApiStandIn, server: SlackSender
) -> None:
    case = load(path, api)
    assert case["kind"] in KINDS and case["about"] and case["source"]
    for before in case.get("before", []):
        assert send(server, before, False).status == 200
    api.clear()
    reply = send(server, case["send"], bool(case.get("form")))
    assert reply.status == 200
    calls = made(api)
    if case["expect"] == "ignored":
        assert calls == []
        return
    expected = dict(case["reply"])
    method, starts = expected.pop("method"), expected.pop("starts")
    where = expected.pop("field", "text")
    found = next(c for c in calls if c.method == method)  # a share also deletes the original
    assert field(found.params, where).startswith(starts)
    assert {key: found.params.get(key) for key in expected} == expected
    unwanted = "chat.postMessage" if case["expect"] == "updated" else "chat.update"
    assert [c for c in calls if c.method == unwanted] == []


def test_corpus_covers_every_kind_and_outcome() -> None:
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in FILES]
    assert {c["kind"] for c in cases} == KINDS
    assert {c["expect"] for c in cases} == {"answered", "ignored", "updated"}
    assert len(cases) >= 45


# --- the same corpus into a real `pmbot serve --http` process ------------------------
ANSWERED = [p for p in FILES if json.loads(p.read_text("utf-8"))["expect"] != "ignored"]


@pytest.fixture(scope="module")
def serve_api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def serve(serve_api: WebApiStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.e2e.process import ServeProcess

    database = f"sqlite:///{tmp_path_factory.mktemp('corpus')}/pmbot.sqlite3"
    with ServeProcess(serve_api.base_url, database) as process:
        yield process


@pytest.mark.parametrize("path", ANSWERED, ids=[p.stem for p in ANSWERED])
def test_pmbot_serve_answers_the_corpus(path: Path, serve_api: WebApiStandIn, serve: Any) -> None:
    """Replies go out on the server's reply threads after the ack, so this waits for
    the expected call (the ignored cases are checked exactly above)."""
    case = load(path, serve_api)
    for before in case.get("before", []):
        serve_api.clear()
        assert send(serve.sender, before, False).status == 200
        assert serve_api.wait_for("chat.postMessage")
    serve_api.clear()
    assert send(serve.sender, case["send"], bool(case.get("form"))).status == 200
    method, starts = case["reply"]["method"], case["reply"]["starts"]
    # A reply of the `before` event (the AI pane's greeting) may land after the
    # clear: wait for the expected reply among the calls rather than the first one.
    count, found, replies = 1, [], []
    while not replies:
        found = serve_api.wait_for(method, count)
        replies = [
            c
            for c in found
            if field(c.params, case["reply"].get("field", "text")).startswith(starts)
        ]
        if len(found) < count:
            break
        count += 1
    assert found, f"no {method} for {path.stem}:\n{serve.log}"
    assert replies, f"no {method} starting {starts!r} for {path.stem}: {found}"


def test_pmbot_serve_logs_each_answer_at_info_without_its_text(
    serve_api: WebApiStandIn, serve: Any
) -> None:
    case = load(CORPUS / "mention_thread_broadcast.json", serve_api)
    case["send"]["event_id"] = "Ev0CORPUSLOG"
    case["send"]["event"]["text"] = f"<@{BOT_USER_ID}> who owns the budget? zebra-quartz"
    serve_api.clear()
    assert send(serve.sender, case["send"], False).status == 200
    assert serve_api.wait_for("chat.postMessage")
    assert " INFO pmbot.requests: surface=mention status=answer topic=owns-budget " in serve.log
    assert "zebra-quartz" not in serve.log
