"""The message shortcut "Ask pmbot": a real `message_action` payload into the Bolt app."""

from __future__ import annotations

import logging

import yaml
from slack_bolt import App

from bot.local.local_api import BOT_USER_ID, WebApiStandIn
from bot.slack.listeners.shortcuts import ASK_PMBOT
from bot.slack.payloads import message_shortcut
from tests.conftest import REPO
from tests.slack.conftest import WORKSPACE, acked, buttons, ts


def shortcut(api: WebApiStandIn, text: str, channel: str = "C1") -> dict:
    return message_shortcut(
        WORKSPACE,
        text,
        message_ts=ts(),
        author="U2",
        response_url=api.response_url("shortcut1"),
        trigger_id="12466734323.1395872398",
        action_ts=ts(),
        channel=channel,
    )


def test_shortcut_answers_the_message_privately_with_the_pm_buttons(
    app: App, api: WebApiStandIn, caplog
) -> None:
    caplog.set_level(logging.INFO)
    text = "the project manager owns the roadmap, right?"
    assert acked(app, shortcut(api, text)) == {}
    (call,) = api.calls_to("response_url")
    assert call.path == "/response/shortcut1"
    assert call.params["response_type"] == "ephemeral"
    assert call.params["replace_original"] is False
    assert call.params["text"].startswith("The roadmap:")
    ids = [b["action_id"] for b in buttons(call.params)]
    assert ids[:3] == ["feedback_up", "feedback_down", "share_answer"]
    assert "surface=shortcut status=answer topic=owns-roadmap " in caplog.text
    assert api.calls_to("chat.postEphemeral") == []


def test_shortcut_works_in_a_dm_and_strips_pmbot_s_mention(app: App, api: WebApiStandIn) -> None:
    acked(app, shortcut(api, f"<@{BOT_USER_ID}> who owns the budget?", channel="D1"))
    (call,) = api.calls_to("response_url")
    assert call.params["text"].startswith("Budgets:")


def test_shortcut_on_a_message_with_no_text_gets_help(app: App, api: WebApiStandIn) -> None:
    acked(app, shortcut(api, ""))
    (call,) = api.calls_to("response_url")
    assert call.params["text"].startswith("Ask me who does what")


def test_manifest_offers_the_shortcut() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    entry = next(s for s in manifest["features"]["shortcuts"] if s["callback_id"] == ASK_PMBOT)
    assert (entry["type"], entry["callback_id"], entry["name"]) == (
        "message",
        ASK_PMBOT,
        "Ask pmbot",
    )
