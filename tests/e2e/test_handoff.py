""" "Ask a person" end to end: signed HTTP into a real `pmbot serve`, Slack's Web API
played by the stand-in. A decline, the button, the channel's holder pinged once in
the thread, the holder's reply, the asker told once; on SQLite and on PostgreSQL,
where the reply may reach another process than the click did."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.slack.blocks import ASK_PERSON
from bot.slack.payloads import Workspace, block_action, message_shortcut, view_submission
from tests.conftest import _fresh_postgres
from tests.e2e.process import ServeProcess
from tests.e2e.test_http import event_body, slash_fields
from tests.e2e.test_team import record

CHANNEL, ASKER, HOLDER = "C0CHECK", "U0ASKER", "U0ALICE"
WORKSPACE = Workspace("T0001", "example", CHANNEL, "checkout", ASKER, "asker", "A123456", "t")
QUESTION = "what should a product manager wear to the offsite?"
LOADED = 20.0  # seconds to wait for a reply: the whole suite may be running beside it


def mention(ts: str) -> dict[str, Any]:
    text = f"<@{BOT_USER_ID}> {QUESTION}"
    return {"type": "app_mention", "user": ASKER, "text": text, "ts": ts, "channel": CHANNEL}


def reply(user: str, ts: str, thread_ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": user,
        "text": "whatever is comfortable <!channel>",
        "ts": ts,
        "thread_ts": thread_ts,
    }


def posts(api: WebApiStandIn, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in api.calls_to("chat.postMessage") if c.params["channel"] == channel]


def hand_off_end_to_end(api: WebApiStandIn, clicked: ServeProcess, replied: ServeProcess) -> None:
    api.state.user_names |= {ASKER: "asker", HOLDER: "alice"}
    record(clicked, api, f"team product <@{HOLDER}|alice>", CHANNEL)
    api.clear()
    asked_ts = f"{int(time.time())}.000100"
    assert clicked.sender.event(event_body(mention(asked_ts), "Ev0HAND0001")).status == 200
    (declined,) = api.wait_for("chat.postMessage", timeout=LOADED)
    message = dict(declined.params) | {"ts": declined.response["ts"], "user": BOT_USER_ID}
    button = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ASK_PERSON
    )

    def click(trigger: str) -> dict[str, Any]:
        return block_action(
            WORKSPACE,
            button,
            block_id="pm_ask_person",
            channel=CHANNEL,
            message_ts=message["ts"],
            ephemeral=False,
            response_url=api.response_url("handoff"),
            trigger_id=trigger,
            action_ts=str(time.time()),
        ) | {"message": message}

    first = click("1.1")
    assert clicked.sender.action(first).status == 200
    api.wait_for("response_url", timeout=LOADED)
    assert clicked.sender.action(first).status == 200  # replayed: dropped unread
    assert replied.sender.action(click("1.2")).status == 200  # a second click
    notes = api.wait_for("response_url", 2, timeout=LOADED)
    assert [n.params["text"] for n in notes] == [
        "I've asked @alice (product manager here) here. I'll let you know when someone replies.",
        "I've already asked someone about this question. I'll tell you when they reply.",
    ]
    (asked,) = [p for p in posts(api, CHANNEL) if p is not declined.params]
    assert asked["thread_ts"] == asked_ts and f"<@{HOLDER}>" in asked["text"]

    helped = reply(HOLDER, f"{int(time.time())}.000200", asked_ts)
    assert replied.sender.event(event_body(helped, "Ev0HAND0002")).status == 200
    assert replied.sender.event(event_body(helped, "Ev0HAND0002"), retry=1).status == 200
    other = reply("U0OTHER", f"{int(time.time())}.000300", asked_ts)
    assert replied.sender.event(event_body(other, "Ev0HAND0003")).status == 200
    (told,) = api.wait_for("chat.postMessage", 3, timeout=LOADED)[2:]
    assert told.params["channel"] == ASKER
    assert told.params["text"].startswith("@alice replied to the question you asked a person")
    time.sleep(0.3)  # whatever else was coming would have come by now
    assert len(posts(api, ASKER)) == 1, json.dumps([c.params for c in api.calls])[:2000]
    assert len(api.calls_to("response_url")) == 2  # the replayed click had no effect


def test_hand_off_on_sqlite(api: WebApiStandIn, tmp_path: Path) -> None:
    with ServeProcess(api.base_url, f"sqlite:///{tmp_path}/pmbot.sqlite3") as server:
        hand_off_end_to_end(api, server, server)


def test_hand_off_across_two_processes_on_postgresql(api: WebApiStandIn) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TEST_DATABASE_URL is not set")
    url = _fresh_postgres(url)
    with ServeProcess(api.base_url, url) as one, ServeProcess(api.base_url, url) as two:
        hand_off_end_to_end(api, one, two)


CURATOR = "U0CURATOR"
HELPFUL = "Whatever the team wears: nobody dresses up for an offsite."


def save_then_ask(api: WebApiStandIn, saver: ServeProcess, asker: ServeProcess) -> None:
    """A curator saves a reply in a thread as a topic through one process; the same
    question, from someone else, through the other, gets it within 5 s."""
    root_ts = f"{int(time.time())}.000400"
    root = {"type": "message", "user": ASKER, "text": QUESTION, "ts": root_ts}
    api.state.history.setdefault(CHANNEL, []).append(root)
    curator = Workspace("T0001", "example", CHANNEL, "checkout", CURATOR, "cu", "A123456", "t")
    shortcut = message_shortcut(
        curator,
        HELPFUL,
        message_ts=f"{int(time.time())}.000500",
        author=HOLDER,
        response_url=api.response_url("save"),
        trigger_id="9.9.9",
        action_ts=str(time.time()),
        callback_id="save_as_answer",
        thread_ts=root_ts,
    )
    assert saver.sender.action(shortcut).status == 200
    (opened,) = api.wait_for("views.open", timeout=LOADED)
    view = opened.params["view"]
    values = {
        b["block_id"]: {
            b["element"]["action_id"]: {"type": "plain_text_input", "value": value}
            if b["element"]["type"] == "plain_text_input"
            else {"selected_option": None}
        }
        for b in view["blocks"]
        if b["type"] == "input"
        for value in [
            {"sa_title": "Offsite dress code", "sa_id": "dress-code"}.get(
                b["block_id"], b["element"].get("initial_value")
            )
        ]
    }
    reply = saver.sender.action(view_submission(curator, view, values))
    assert (reply.status, reply.body) == (200, b""), reply.body
    deadline = time.monotonic() + 5
    while True:  # each its own request: a repeated one would be a replay
        fields = slash_fields(api, QUESTION) | {"user_id": "U0SOMEONE"}
        answered = asker.sender.command(fields).json()
        assert isinstance(answered, dict)
        if str(answered.get("text")).startswith(f"Offsite dress code: {HELPFUL}"):
            break
        assert time.monotonic() < deadline, f"not answered in 5 s: {answered}"
        time.sleep(0.1)


def test_save_as_answer_on_sqlite(api: WebApiStandIn, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    with ServeProcess(api.base_url, url, PMBOT_CURATORS=CURATOR) as server:
        save_then_ask(api, server, server)


def test_save_as_answer_reaches_another_process_on_postgresql(api: WebApiStandIn) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TEST_DATABASE_URL is not set")
    url = _fresh_postgres(url)
    with (
        ServeProcess(api.base_url, url, PMBOT_CURATORS=CURATOR) as one,
        ServeProcess(api.base_url, url, PMBOT_CURATORS=CURATOR) as two,
    ):
        save_then_ask(api, one, two)
