"""One INFO line per handled request, same shape on every surface, no user text or ids."""

from __future__ import annotations

import logging
import re

import pytest
from slack_bolt import App

from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.slack.requestlog import request_line
from tests.slack.conftest import acked, buttons, click, dispatch, dm, event, mention, slash

MS = r"ms=\d+\.\d"


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="pmbot.requests")
    return caplog


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pmbot.requests"]


def test_request_line_shape() -> None:
    assert request_line("command", "answer", "salary", 0.934, 1.25, "r-1a2b3c4d") == (
        "surface=command status=answer topic=salary confidence=0.93 ms=1.2 id=r-1a2b3c4d"
    )
    assert request_line("home", "published") == (
        "surface=home status=published topic=- confidence=- ms=0.0 id=-"
    )
    # Anything that is not one of our ids (a forged button value) is not printed.
    assert request_line("vote", "up", "<!channel> hi", None, 0, "x y") == (
        "surface=vote status=up topic=? confidence=- ms=0.0 id=?"
    )


def test_slash_command_logs_one_line(
    app: App, api: WebApiStandIn, lines: pytest.LogCaptureFixture
) -> None:
    acked(app, slash(api, "which pm earns more"))
    (line,) = logged(lines)
    assert re.fullmatch(
        rf"surface=command status=answer topic=salary confidence=0\.\d\d {MS} id=r-[0-9a-f]{{8}}",
        line,
    ), line


def test_subcommand_logs_its_name(
    app: App, api: WebApiStandIn, lines: pytest.LogCaptureFixture
) -> None:
    acked(app, slash(api, "topics"))
    acked(app, slash(api, ""))
    assert [re.sub(r" ms=\S+ id=\S+", "", line) for line in logged(lines)] == [
        "surface=command status=topics topic=- confidence=-",
        "surface=command status=help topic=- confidence=-",
    ]


def test_mention_and_dm_log_the_event_id_and_no_user_text(
    app: App, api: WebApiStandIn, lines: pytest.LogCaptureFixture
) -> None:
    dispatch(app, event(mention("who owns the budget?"), event_id="EvMENTION1"))
    dispatch(app, event(dm("where is the canteen"), event_id="EvDM000001"))
    dispatch(app, event(dm("my own echo", user=BOT_USER_ID), event_id="EvECHO0001"))
    dispatch(app, event(mention("who owns the budget?"), event_id="EvMENTION1"))  # a retry
    found = logged(lines)
    assert [re.sub(rf"confidence=\S+ {MS}", "…", line) for line in found] == [
        "surface=mention status=answer topic=owns-budget … id=EvMENTION1",
        "surface=dm status=decline topic=- … id=EvDM000001",
        "surface=event status=duplicate topic=- … id=EvMENTION1",
    ]
    text = "\n".join(r.getMessage() for r in lines.records)
    assert "canteen" not in text and "budget?" not in text
    assert "U1" not in text and "C1" not in text and "D1" not in text


def test_buttons_log_their_surface(
    app: App, api: WebApiStandIn, lines: pytest.LogCaptureFixture
) -> None:
    answer = acked(app, slash(api, "which pm earns more"))
    up, _, share = buttons(answer)
    dispatch(app, click(api, up, ephemeral=True))
    dispatch(app, click(api, share, ephemeral=True))
    assert [line.split(" confidence")[0] for line in logged(lines)] == [
        "surface=command status=answer topic=salary",
        "surface=vote status=up topic=salary",
        "surface=share status=shared topic=salary",
    ]


def test_app_home_logs_one_line(app: App, lines: pytest.LogCaptureFixture) -> None:
    home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    dispatch(app, event(home, event_id="EvHOME0001"))
    assert logged(lines) == [
        line for line in logged(lines) if line.startswith("surface=home status=published")
    ]
    assert len(logged(lines)) == 1


def test_team_curator_and_pane_requests_log_one_line_each(
    app: App, api: WebApiStandIn, lines: pytest.LogCaptureFixture
) -> None:
    acked(app, slash(api, "team"))
    acked(app, slash(api, "unanswered"))
    messages = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"}
    dispatch(app, event(messages, event_id="EvMSGTAB01"))
    assert [line.split(" topic=")[0] for line in logged(lines)] == [
        "surface=command status=team",
        "surface=command status=unanswered",
        "surface=home status=prompts",
    ]
