"""The store gone (its folder replaced by a file, so nothing can open it): every
answer still goes out; what needed the store degrades to one warning line."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import App

from bot import compose
from bot.answers.engine import Engine
from bot.config import Settings
from bot.local.local_api import WebApiStandIn
from bot.slack.app import build_app, web_client
from bot.slack.resilience import InlineExecutor
from bot.slack.services import STORE_DOWN
from bot.store.database import Store
from bot.tips.command import NOT_OUR_DM
from bot.tips.store import TipStore
from tests.slack.conftest import Clock, acked, buttons, click, dispatch, event, mention, slash


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def live_store(folder: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{folder}/pmbot.sqlite3")
    yield store
    store.close()


@pytest.fixture
def gone_app(
    api: WebApiStandIn, engine: Engine, live_store: Store, clock: Clock, folder: Path
) -> App:
    settings = Settings(bot_token="xoxb-test", signing_secret="x" * 32, api_url=api.base_url)
    deps = compose.with_store(engine, live_store, clock=clock)
    app = build_app(settings, deps, client=web_client(settings), listener_executor=InlineExecutor())
    shutil.rmtree(folder)
    folder.write_text("the database was here")
    return app


def store_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "store unavailable" in r.getMessage()]


def test_slash_question_is_answered_in_the_ack(
    gone_app: App, api: WebApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        params = acked(gone_app, slash(api, "who is in charge of the roadmap?"))
        assert params["text"].startswith("The roadmap:")  # the general answer
        assert "Here:" not in params["text"]
    (line,) = store_warnings(caplog)  # one line for the outage, not one per question
    # The roadmap names its role's holders here, so reading them is the first to fail.
    assert line.startswith("store unavailable (role holders): OperationalError: ")
    assert "\n" not in line


def test_mention_is_answered_once_with_in_memory_de_duplication(
    gone_app: App, api: WebApiStandIn
) -> None:
    body = event(mention("who owns scope"), event_id="EvSTOREGONE")
    for _ in range(3):  # Slack's retries of the same event
        assert dispatch(gone_app, body) == 200
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["text"].startswith("Scope:")


def test_vote_is_declined_politely_not_thanked(gone_app: App, api: WebApiStandIn) -> None:
    answer = acked(gone_app, slash(api, "who owns scope"))
    vote = next(b for b in buttons(answer) if b["action_id"] == "feedback_up")
    assert dispatch(gone_app, click(api, vote, ephemeral=True)) == 200
    (call,) = api.calls_to("response_url")
    assert call.params["text"].startswith("Sorry, I couldn't record your vote")
    assert "Thanks" not in str(call.params)


def test_tips_command_says_the_database_is_away(gone_app: App, api: WebApiStandIn) -> None:
    assert acked(gone_app, slash(api, "tips on")) == {}
    (call,) = api.calls_to("response_url")
    assert call.params["text"] == STORE_DOWN


def test_team_command_says_the_database_is_away(gone_app: App, api: WebApiStandIn) -> None:
    assert acked(gone_app, slash(api, "team product <@U2|bob>")) == {}  # asks Slack first
    (call,) = api.calls_to("response_url")
    assert call.params["text"] == STORE_DOWN
    assert acked(gone_app, slash(api, "team"))["text"] == STORE_DOWN


def test_tips_on_in_a_dm_between_two_people_declines(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    api.state.missing_channels.add("DPEOPLE01")  # the bot is not part of it
    command = slash(api, "tips on") | {"channel_id": "DPEOPLE01", "channel_name": "directmessage"}
    acked(app, command)
    (call,) = api.calls_to("response_url")
    assert call.params["text"] == NOT_OUR_DM
    assert TipStore(store).subscription("DPEOPLE01") is None


def test_tips_on_in_the_dm_with_the_bot_works(app: App, api: WebApiStandIn, store: Store) -> None:
    command = slash(api, "tips on") | {"channel_id": "DBOT0001", "channel_name": "directmessage"}
    acked(app, command)
    (call,) = api.calls_to("response_url")
    assert call.params["text"].startswith("Daily PM tips are on")
    assert TipStore(store).subscription("DBOT0001") is not None
