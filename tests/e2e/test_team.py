"""`/pm team` end to end: signed HTTP requests into real `pmbot serve` processes, Slack's
Web API played by the stand-in; holders set in one channel are named there only, and
two processes on one PostgreSQL see each other's changes at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from tests.conftest import _fresh_postgres
from tests.e2e.process import ServeProcess
from tests.e2e.test_http import event_body, slash_fields

ROADMAP_HERE = "\nHere: <@U0ALICE>, <!subteam^S0PMS>"  # in the ack: ephemeral, nobody notified
NAMED_HERE = "\nHere: @alice, @checkout-pms"  # in a message the channel sees: no ping


def ask(server: ServeProcess, api: WebApiStandIn, text: str, channel: str) -> str:
    reply = server.sender.command(slash_fields(api, text) | {"channel_id": channel})
    assert reply.status == 200
    body = reply.json()
    assert isinstance(body, dict)
    return str(body["text"])


def record(server: ServeProcess, api: WebApiStandIn, text: str, channel: str) -> str:
    """`/pm team ROLE @name`: acked at once, answered through the response URL once
    Slack has said the bot is in the channel."""
    before = len(api.calls_to("response_url"))
    reply = server.sender.command(slash_fields(api, text) | {"channel_id": channel})
    assert (reply.status, reply.body) == (200, b"")
    return str(api.wait_for("response_url", before + 1)[-1].params["text"])


def test_holders_are_named_in_their_channel_and_nowhere_else(
    api: WebApiStandIn, tmp_path: Path
) -> None:
    api.state.user_names |= {"U0ALICE": "alice", "U2147483697": "steve"}
    api.state.group_handles["S0PMS"] = "checkout-pms"
    with ServeProcess(api.base_url, f"sqlite:///{tmp_path}/pmbot.sqlite3") as server:
        recorded = record(
            server, api, "team product <@U0ALICE|alice> <!subteam^S0PMS|@checkout-pms>", "C0CHECK"
        )
        assert recorded == (
            "Recorded: the product manager here is <@U0ALICE>, <!subteam^S0PMS>. "
            "Answers in this channel now name them."
        )
        (notice,) = api.wait_for("chat.postMessage")  # the channel sees who set whom
        assert notice.params["channel"] == "C0CHECK"
        assert notice.params["text"] == (
            "@steve set the product manager here: @alice, @checkout-pms "
            "(`/pm team` shows who holds what)."
        )
        assert ask(server, api, "who owns the roadmap?", "C0CHECK").endswith(ROADMAP_HERE)
        assert "Here:" not in ask(server, api, "who owns the roadmap?", "C0OTHER")
        assert "Here:" not in ask(server, api, "who owns the roadmap?", "D0DIRECT")

        mention = {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER_ID}> who decides when we ship?",
            "ts": "1515449522.000016",
            "channel": "C0CHECK",
            "event_ts": "1515449522000016",
        }
        assert server.sender.event(event_body(mention, "Ev0TEAM0001")).status == 200
        _, posted = api.wait_for("chat.postMessage", count=2)
        assert posted.params["text"].endswith(NAMED_HERE)

        archived = {"type": "channel_archive", "channel": "C0CHECK", "user": "U0ADMIN"}
        assert server.sender.event(event_body(archived, "Ev0TEAM0002")).status == 200
        # The delete runs after the ack, on the reply threads: wait for it (5 s at most).
        deadline = time.monotonic() + 5
        while "Here:" in ask(server, api, "who owns the roadmap?", "C0CHECK"):
            assert time.monotonic() < deadline, "holders of an archived channel kept"
            time.sleep(0.05)


def test_two_processes_on_one_postgresql_share_holders(api: WebApiStandIn) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TEST_DATABASE_URL is not set")
    url = _fresh_postgres(url)  # under -n, a schema of this worker's own
    with ServeProcess(api.base_url, url) as one, ServeProcess(api.base_url, url) as two:
        record(one, api, "team project <@U0BOB|bob>", "C0CHECK")
        assert ask(two, api, "who manages the risks?", "C0CHECK").endswith("\nHere: <@U0BOB>")
        assert ask(two, api, "team", "C0CHECK").startswith(
            "*Who holds each role here*\n• *Project manager*: <@U0BOB>"
        )
        ask(two, api, "team clear", "C0CHECK")
        assert "Here:" not in ask(one, api, "who manages the risks?", "C0CHECK")
