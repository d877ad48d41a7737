"""Slack's AI-app pane through bolt-python's Assistant middleware: real event shapes
into the Bolt app, the Web API played by the stand-in."""

from __future__ import annotations

import logging

import yaml
from slack_bolt import App

from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.payloads import assistant_thread_started
from tests.conftest import REPO
from tests.slack.conftest import WORKSPACE, dispatch, dm, event

THREAD = "1729999327.187299"
PROMPTS = [
    "What is the difference between a product manager and a project manager?",
    "Which role is more senior, product or project manager?",
    "Who maintains the product roadmap?",
    "How much does a product manager earn?",
]


def start(app: App) -> None:
    dispatch(app, event(assistant_thread_started(WORKSPACE, "D1", THREAD)))


def test_thread_start_greets_and_sets_prompts_from_the_knowledge_base(
    app: App, api: WebApiStandIn
) -> None:
    start(app)
    (greeting,) = api.calls_to("chat.postMessage")
    assert (greeting.params["channel"], greeting.params["thread_ts"]) == ("D1", THREAD)
    assert greeting.params["text"] == (
        "Hi! Ask me who does what: product manager or project manager."
    )
    (call,) = api.calls_to("assistant.threads.setSuggestedPrompts")
    assert (call.params["channel_id"], call.params["thread_ts"]) == ("D1", THREAD)
    assert call.params["title"] == "Try asking"
    assert [p["message"] for p in call.params["prompts"]] == PROMPTS
    assert [p["title"] for p in call.params["prompts"]] == PROMPTS


def test_message_in_the_pane_is_answered_there_with_a_status_first(
    app: App, api: WebApiStandIn, caplog
) -> None:
    caplog.set_level(logging.INFO)
    start(app)
    api.clear()
    dispatch(app, event(dm("Which role is more senior?", thread_ts=THREAD)))
    assert [c.method for c in api.calls] == ["assistant.threads.setStatus", "chat.postMessage"]
    status, reply = api.calls
    assert (status.params["channel_id"], status.params["thread_ts"]) == ("D1", THREAD)
    assert status.params["status"] == "is looking that up…"
    assert reply.params["thread_ts"] == THREAD
    assert reply.params["text"].startswith("Which role is more senior:")
    assert "surface=assistant status=answer topic=senior-role " in caplog.text


def test_pane_message_is_recognised_by_its_payload_in_another_process(
    app: App, api: WebApiStandIn
) -> None:
    """A thread started on another process: the message carries `assistant_thread`."""
    marked = dm("who owns the budget?", thread_ts="9.9", assistant_thread={"action_token": "1.a"})
    dispatch(app, event(marked))
    methods = [c.method for c in api.calls if c.method != "auth.test"]
    assert methods == ["assistant.threads.setStatus", "chat.postMessage"]


def test_failed_status_does_not_stop_the_answer(app: App, api: WebApiStandIn) -> None:
    start(app)
    api.fail("assistant.threads.setStatus", Fault(error="not_allowed_token_type"))
    dispatch(app, event(dm("who owns the budget?", thread_ts=THREAD)))
    reply = api.calls_to("chat.postMessage")[-1]
    assert reply.params["text"].startswith("Budgets:")


def test_context_change_and_bot_messages_are_ignored(app: App, api: WebApiStandIn) -> None:
    start(app)
    api.clear()
    changed = assistant_thread_started(WORKSPACE, "D1", THREAD)
    changed["type"] = "assistant_thread_context_changed"
    dispatch(app, event(changed))
    dispatch(app, event(dm("a bot", thread_ts=THREAD, bot_id="B2")))
    assert api.calls == []


def test_manifest_takes_the_agent_experience_a_new_app_is_offered() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    assert "assistant_view" not in manifest["features"]  # legacy: new apps get agent_view
    assert manifest["features"]["agent_view"]["agent_description"]
    assert "assistant:write" in manifest["oauth_config"]["scopes"]["bot"]
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_home_opened", "message.im"} <= set(events)
