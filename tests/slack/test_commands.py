from __future__ import annotations

import pytest
from slack_bolt import App

from bot.slack.local_api import WebApiStandIn
from tests.slack.conftest import dispatch, slash


def reply(app: App, api: WebApiStandIn, text: str) -> dict:
    assert dispatch(app, slash(api, text)) == 200
    (call,) = api.calls_to("response_url")
    return call.params


def test_question_is_answered_privately_with_share_button(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "who is in charge of the roadmap?")
    assert params["response_type"] == "ephemeral"
    assert params["text"].startswith("The roadmap:")
    actions = [
        e["action_id"] for b in params["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == ["feedback_up", "feedback_down", "share_answer"]


@pytest.mark.parametrize("text", ["", "help", "  HELP  ", "?"])
def test_help(app: App, api: WebApiStandIn, text: str) -> None:
    assert reply(app, api, text)["blocks"][0]["block_id"] == "pm_help"


def test_topics(app: App, api: WebApiStandIn) -> None:
    assert reply(app, api, "topics")["text"].startswith("What I can answer: ")


def test_compare(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "compare")
    assert params["blocks"][1]["fields"][0]["text"].startswith("*Product manager*")


def test_tip(app: App, api: WebApiStandIn, kb) -> None:
    params = reply(app, api, "tip")
    shown = params["blocks"][0]["text"]["text"]
    assert any(shown.endswith(tip.text) for tip in kb.tips)


def test_help_prefix_is_still_a_question(app: App, api: WebApiStandIn) -> None:
    assert reply(app, api, "help me: who owns the budget")["text"].startswith("Budgets:")


def test_out_of_scope_abstains_without_share_button(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "what's for lunch <!channel>")
    assert params["blocks"][0]["text"]["text"].startswith("I don't know that one.")
    assert "<!channel>" not in str(params)


def test_very_long_question(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "who owns the roadmap " + "really " * 6000)
    assert params["text"].startswith("The roadmap:")
