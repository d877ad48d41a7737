"""The curator loop through a real Bolt App: `/pm unanswered`, its topic picker and
"Dismiss", and `/pm teach`, with the store on a SQLite file."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.curation.blocks import NOTHING, UNANSWERED_DISMISS
from bot.curation.command import NOT_A_CURATOR, NOT_ENABLED, STORE_DOWN, TEACH_USAGE
from bot.curation.curators import Curators
from bot.local.local_api import WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.payloads import block_action
from bot.slack.resilience import InlineExecutor
from bot.slack.services import Deps
from bot.store.database import Store
from tests.slack.conftest import WORKSPACE, Clock, acked, click, dispatch, dm, event, slash, ts

UNKNOWN = "zorblax quarterly thingamajig"


def make_app(api: WebApiStandIn, deps: Deps) -> App:
    settings = Settings(bot_token="xoxb-test", signing_secret="x" * 32, api_url=api.base_url)
    return build_app(
        settings, deps, client=web_client(settings), listener_executor=InlineExecutor()
    )


@pytest.fixture
def deps(engine: Engine, store: Store, clock: Clock) -> Deps:
    return compose.with_store(engine, store, clock=clock, curators=Curators(["U1"]))


@pytest.fixture
def curator_app(api: WebApiStandIn, deps: Deps) -> App:
    return make_app(api, deps)


def command(app: App, api: WebApiStandIn, text: str) -> dict[str, Any]:
    """A curator command: acked at once, answered through the response_url."""
    api.clear()
    assert acked(app, slash(api, text)) == {}
    (call,) = api.calls_to("response_url")
    assert call.params["response_type"] == "ephemeral"
    return call.params


def ask(app: App, api: WebApiStandIn, question: str) -> str:
    """A DM question; the text of pmbot's reply."""
    api.clear()
    dispatch(app, event(dm(question)))
    return str(api.calls_to("chat.postMessage")[-1].params["text"])


def items(message: dict[str, Any]) -> list[str]:
    return [
        b["text"]["text"]
        for b in message["blocks"]
        if b.get("block_id", "").startswith("unanswered_")
    ]


def pick(
    app: App, api: WebApiStandIn, message: dict[str, Any], index: int, topic: str | None
) -> dict[str, Any]:
    """Choose `topic` in the index-th question's picker (None: click its Dismiss)."""
    sections = [b for b in message["blocks"] if b.get("block_id", "").startswith("unanswered_")]
    block = sections[index]
    if topic is None:
        element = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == UNANSWERED_DISMISS and e["value"] == block["block_id"][11:]
        )
        block_id, selected = f"dismiss_{element['value']}", None
    else:
        element = block["accessory"]
        option = next(o for o in element["options"] if o["value"] == topic)
        block_id, selected = block["block_id"], option
    api.clear()
    body = block_action(
        WORKSPACE,
        element,
        block_id=block_id,
        channel="C1",
        message_ts=ts(),
        ephemeral=True,
        response_url=api.response_url("pick"),
        trigger_id="12466734323.1395872398",
        action_ts=ts(),
        selected=selected,
    )
    assert dispatch(app, body) == 200
    (call,) = api.calls_to("response_url")
    assert call.params["replace_original"] is True
    return call.params


def test_no_curators_configured_means_no_curator_commands(app: App, api: WebApiStandIn) -> None:
    for text in ("unanswered", "teach owns-roadmap who plans"):
        assert acked(app, slash(api, text)) == {"response_type": "ephemeral", "text": NOT_ENABLED}


def test_someone_else_is_refused_politely(api: WebApiStandIn, engine: Engine, store: Store) -> None:
    app = make_app(api, compose.with_store(engine, store, curators=Curators(["U999"])))
    assert command(app, api, "unanswered")["text"] == NOT_A_CURATOR
    assert command(app, api, f"teach owns-roadmap {UNKNOWN}")["text"] == NOT_A_CURATOR
    assert ask(app, api, UNKNOWN).startswith("I don't know that one.")


def test_a_user_group_member_is_a_curator(api: WebApiStandIn, engine: Engine, store: Store) -> None:
    api.state.user_groups["S0PMS"] = ["U1"]
    app = make_app(api, compose.with_store(engine, store, curators=Curators(["S0PMS"])))
    assert command(app, api, "unanswered")["text"] == NOTHING


def test_unanswered_lists_newest_first_counted_and_escaped(
    curator_app: App, api: WebApiStandIn
) -> None:
    ask(curator_app, api, UNKNOWN)
    ask(curator_app, api, "<!channel> where is the coffee & tea?")
    ask(curator_app, api, f"{UNKNOWN.upper()}!")  # the same question again
    listed = command(curator_app, api, "unanswered")
    assert items(listed) == [
        "“ZORBLAX QUARTERLY THINGAMAJIG!”\n_2 times · declined_",
        "“&lt;!channel&gt; where is the coffee &amp; tea?”\n_once · declined_",
    ]
    picker = listed["blocks"][1]["accessory"]
    assert picker["type"] == "static_select"
    assert {"owns-roadmap", "salary"} <= {o["value"] for o in picker["options"]}
    assert not any(o["value"].startswith("decline-") for o in picker["options"])


def test_picking_a_topic_teaches_it_and_the_question_is_answered(
    curator_app: App, api: WebApiStandIn
) -> None:
    assert ask(curator_app, api, UNKNOWN).startswith("I don't know that one.")
    listed = command(curator_app, api, "unanswered")
    after = pick(curator_app, api, listed, 0, "owns-roadmap")
    assert after["blocks"][0]["elements"][0]["text"] == (
        f"Taught: “{UNKNOWN}” now leads to *The roadmap*, here and in every pmbot process "
        "within seconds. To keep it in git: `pmbot taught export`."
    )
    assert items(after) == []  # answered now, so no longer listed
    assert ask(curator_app, api, UNKNOWN).startswith("The roadmap:")


def test_dismiss_removes_a_question_until_it_is_asked_again(
    curator_app: App, api: WebApiStandIn, clock: Clock, store: Store
) -> None:
    ask(curator_app, api, UNKNOWN)
    after = pick(curator_app, api, command(curator_app, api, "unanswered"), 0, None)
    assert after["blocks"][0]["elements"][0]["text"] == f"Dismissed “{UNKNOWN}”."
    assert after["text"] == NOTHING
    store.clock = lambda: 4_000_000_000.0  # asked again, later
    ask(curator_app, api, UNKNOWN)
    assert items(command(curator_app, api, "unanswered")) == [f"“{UNKNOWN}”\n_once · declined_"]


def test_teach_typed_teaches_at_once(curator_app: App, api: WebApiStandIn) -> None:
    reply = command(curator_app, api, f"teach Owns-Roadmap {UNKNOWN}?")
    assert reply["text"] == (
        f"Taught: “{UNKNOWN}?” now leads to *The roadmap*, here and in every pmbot process "
        "within seconds. To keep it in git: `pmbot taught export`."
    )
    assert ask(curator_app, api, UNKNOWN).startswith("The roadmap:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("teach", TEACH_USAGE),
        ("teach owns-roadmap", TEACH_USAGE),
        ("teach owns-roadmap ???", TEACH_USAGE),
        (
            "teach decline-tools which jira plugin",
            "`decline-tools` is a subject I decline on purpose, so it can't be taught.",
        ),
        (
            "teach owns-roadmap Who maintains the product roadmap?",
            "“Who maintains the product roadmap?” is already a way of asking *The roadmap*.",
        ),
        (
            "teach owns-risk who maintains the product roadmap",
            "“who maintains the product roadmap” is already a question of *The roadmap* in "
            "the knowledge files; change it there.",
        ),
    ],
)
def test_teach_mistakes_are_explained(
    curator_app: App, api: WebApiStandIn, text: str, expected: str
) -> None:
    assert command(curator_app, api, text)["text"] == expected


def test_teach_unknown_topic_lists_the_ids(curator_app: App, api: WebApiStandIn) -> None:
    text = command(curator_app, api, "teach owns-<@U2|bob> who is bob")["text"]
    assert text.startswith("I don't know a topic `owns-&lt;@u2|bob&gt;`. Topic ids: ")
    assert "owns-roadmap" in text and "decline-tools" not in text


def test_teach_me_and_unanswered_with_more_words_are_questions(
    curator_app: App, api: WebApiStandIn
) -> None:
    teach_me = acked(
        curator_app, slash(api, "teach me the difference between product and project managers")
    )
    assert "Product vs project manager" in teach_me["text"]  # answered as a question
    assert acked(curator_app, slash(api, "unanswered questions about scope"))["blocks"]


def test_a_down_voted_answer_is_listed_though_it_was_answered(
    curator_app: App, api: WebApiStandIn
) -> None:
    answer = acked(curator_app, slash(api, "who owns scope"))
    down = next(
        e
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "feedback_down"
    )
    assert dispatch(curator_app, click(api, down, ephemeral=True)) == 200
    assert items(command(curator_app, api, "unanswered")) == ["“who owns scope”\n_once · 👎_"]


def test_a_store_that_is_gone_changes_nothing_and_says_so(
    api: WebApiStandIn, engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "db"
    store = Store(f"sqlite:///{folder}/pmbot.sqlite3")
    app = make_app(api, compose.with_store(engine, store, curators=Curators(["U1"])))
    shutil.rmtree(folder)
    folder.write_text("the database was here")
    try:
        assert command(app, api, f"teach owns-roadmap {UNKNOWN}")["text"] == STORE_DOWN
        assert ask(app, api, UNKNOWN).startswith("I don't know that one.")
    finally:
        store.close()


def test_teach_reply_echoes_the_question_escaped_once(curator_app: App, api: WebApiStandIn) -> None:
    reply = command(curator_app, api, "teach owns-roadmap who decides R&amp;D &lt;plans&gt;?")
    assert reply["text"].startswith("Taught: “who decides R&amp;D &lt;plans&gt;?” now leads to")


def test_a_refused_click_is_logged_as_refused(
    curator_app: App,
    api: WebApiStandIn,
    engine: Engine,
    store: Store,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ask(curator_app, api, UNKNOWN)
    listed = command(curator_app, api, "unanswered")
    stranger = make_app(api, compose.with_store(engine, store, curators=Curators(["U999"])))
    with caplog.at_level(logging.INFO, logger="pmbot.requests"):
        assert pick(stranger, api, listed, 0, None)["text"] == NOT_A_CURATOR
    lines = [r.getMessage() for r in caplog.records if "surface=curate" in r.getMessage()]
    assert [line.split()[1] for line in lines] == ["status=refused"]


def test_a_question_too_long_to_teach_is_refused_before_the_write(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    """1,200 characters: the column takes 500 (PostgreSQL refused the key, and the
    breaker then refused the next user's vote); now a polite reply, and nothing else."""
    question = "who decides " + "x" * 1_188
    reply = command(curator_app, api, f"teach owns-roadmap {question}")
    assert reply["text"] == (
        "That question is 1,200 characters long; I can learn questions of up to 500 "
        "characters. Teach a shorter way of asking it."
    )
    store.record_vote("owns-roadmap", "up", "U2", "who plans?", "C1:1.1")
    assert store.vote_counts("owns-roadmap") == (1, 0)
