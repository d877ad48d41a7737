"""The curator loop and hot reload against `pmbot serve` as a real process: signed
HTTP in, Slack's Web API played by the stand-in, the knowledge in a directory of
the test's own (PMBOT_KNOWLEDGE_DIR)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.curation.command import NOT_A_CURATOR
from bot.local.local_api import WebApiStandIn
from bot.slack.payloads import Workspace, block_action
from tests.conftest import REPO, _fresh_postgres
from tests.e2e.conftest import SlackSender
from tests.e2e.process import ServeProcess
from tests.e2e.test_http import slash_fields

CURATOR = "U2147483697"  # who slash_fields() sends as
UNKNOWN = "zorblax quarterly thingamajig"
TEAM = """\
topics:
  - id: team-room
    title: The Kiwi room
    answer: The Kiwi room is on floor 3, next to the kitchen.
    questions: [where is the kiwi room]
"""
WORKSPACE = Workspace("T0001", "example", "C2147483705", "test", CURATOR, "Steve", "A1", "t")


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", path)
    return path


@pytest.fixture
def serve(api: WebApiStandIn, tmp_path: Path, knowledge: Path) -> Iterator[ServeProcess]:
    database = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    with ServeProcess(
        api.base_url, database, PMBOT_KNOWLEDGE_DIR=str(knowledge), PMBOT_CURATORS=CURATOR
    ) as process:
        yield process


def ask(sender: SlackSender, api: WebApiStandIn, question: str) -> str:
    reply = sender.command(slash_fields(api, question))
    assert reply.status == 200
    return str(reply.json()["text"])  # type: ignore[index]


def curate(
    sender: SlackSender, api: WebApiStandIn, text: str, user: str = CURATOR
) -> dict[str, Any]:
    """A curator command: acked empty, answered through the response_url."""
    api.clear()
    reply = sender.command({**slash_fields(api, text), "user_id": user})
    assert (reply.status, reply.body) == (200, b"")
    (call,) = api.wait_for("response_url")
    return call.params


def within(seconds: float, check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_curator_teaches_an_unanswered_question_and_it_is_answered(
    serve: ServeProcess, api: WebApiStandIn
) -> None:
    sender = serve.sender
    assert ask(sender, api, UNKNOWN).startswith("I don't know that one.")
    assert curate(sender, api, "unanswered", user="U0SOMEONE")["text"] == NOT_A_CURATOR
    # The question log is written in batches, a moment after the answer.
    listed: dict[str, Any] = {}

    def listed_it() -> bool:
        listed.update(curate(sender, api, "unanswered"))
        return any(b.get("block_id", "").startswith("unanswered_") for b in listed["blocks"])

    assert within(5, listed_it)
    block = next(b for b in listed["blocks"] if b.get("block_id", "").startswith("unanswered_"))
    assert block["text"]["text"] == f"“{UNKNOWN}”\n_once · declined_"
    option = next(o for o in block["accessory"]["options"] if o["value"] == "owns-roadmap")
    api.clear()
    payload = block_action(
        WORKSPACE,
        block["accessory"],
        block_id=block["block_id"],
        channel="C2147483705",
        message_ts="1.000001",
        ephemeral=True,
        response_url=api.response_url("pick"),
        trigger_id="1.2",
        action_ts=str(time.time()),
        selected=option,
    )
    reply = sender.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert reply.status == 200
    (call,) = api.wait_for("response_url")
    assert call.params["blocks"][0]["elements"][0]["text"].startswith(f"Taught: “{UNKNOWN}”")
    assert ask(sender, api, UNKNOWN).startswith("The roadmap:")


def test_non_curator_cannot_teach(serve: ServeProcess, api: WebApiStandIn) -> None:
    text = f"teach owns-roadmap {UNKNOWN}"
    assert curate(serve.sender, api, text, user="U0SOMEONE")["text"] == NOT_A_CURATOR
    assert ask(serve.sender, api, UNKNOWN).startswith("I don't know that one.")


def test_dropped_topic_file_is_answered_and_a_broken_edit_keeps_it(
    serve: ServeProcess, api: WebApiStandIn, knowledge: Path
) -> None:
    sender = serve.sender
    question = "where is the kiwi room"
    assert not ask(sender, api, question).startswith("The Kiwi room:")
    (knowledge / "team.yaml").write_text(TEAM, encoding="utf-8")
    assert within(5, lambda: ask(sender, api, question).startswith("The Kiwi room:"))
    (knowledge / "team.yaml").write_text(TEAM.replace("    title: The Kiwi room\n", ""), "utf-8")
    assert within(5, lambda: "knowledge not reloaded" in serve.log)
    time.sleep(1.5)  # more polls of the same broken file
    assert ask(sender, api, question).startswith("The Kiwi room:")
    broken = [line for line in serve.log.splitlines() if "knowledge not reloaded" in line]
    assert len(broken) == 1
    assert broken[0].endswith(f"{knowledge}/team.yaml:2: topic 'team-room' is missing 'title'")


def test_a_phrasing_taught_in_one_process_is_used_by_another(
    api: WebApiStandIn, knowledge: Path
) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TEST_DATABASE_URL is not set")
    url = _fresh_postgres(url)  # under -n, a schema of this worker's own
    env = {"PMBOT_KNOWLEDGE_DIR": str(knowledge), "PMBOT_CURATORS": CURATOR}
    with (
        ServeProcess(api.base_url, url, **env) as one,
        ServeProcess(api.base_url, url, **env) as two,
    ):
        assert ask(two.sender, api, UNKNOWN).startswith("I don't know that one.")
        taught = curate(one.sender, api, f"teach owns-roadmap {UNKNOWN}")
        assert taught["text"].startswith(f"Taught: “{UNKNOWN}”")
        assert within(5, lambda: ask(two.sender, api, UNKNOWN).startswith("The roadmap:"))
