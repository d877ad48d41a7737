from __future__ import annotations

import pytest
from slack_bolt import App

from bot.slack.listeners.events import strip_mention
from bot.slack.local_api import BOT_USER_ID, Fault, WebApiStandIn
from tests.slack.conftest import dispatch, dm, event, mention


def test_mention_is_answered_in_its_thread(app: App, api: WebApiStandIn) -> None:
    inner = mention("who owns the budget?")
    assert dispatch(app, event(inner)) == 200
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["channel"] == "C1"
    assert call.params["thread_ts"] == inner["ts"]
    assert call.params["text"].startswith("Budgets:")


def test_follow_up_in_a_thread_stays_in_that_thread(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(mention("and who owns scope", thread_ts="111.222")))
    assert api.calls_to("chat.postMessage")[0].params["thread_ts"] == "111.222"


def test_dm_is_answered_directly(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(dm("what does a pjm do")))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["channel"] == "D1"
    assert "thread_ts" not in call.params
    assert call.params["text"].startswith("What a project manager does:")


@pytest.mark.parametrize(
    "inner",
    [
        dm("edited", subtype="message_changed"),
        dm("gone", subtype="message_deleted"),
        dm("hello from a bot", bot_id="B2"),
        dm("my own echo", user=BOT_USER_ID),
        dm("channel chatter", channel_type="channel", channel="C1"),
        mention("a bot mentioning us", bot_id="B2"),
        {"type": "message", "subtype": "channel_join", "channel": "C1", "ts": "1.2"},
    ],
)
def test_ignored_messages_get_no_reply(app: App, api: WebApiStandIn, inner: dict) -> None:
    assert dispatch(app, event(inner)) == 200
    assert api.calls_to("chat.postMessage") == []


def test_same_event_id_is_answered_once(app: App, api: WebApiStandIn) -> None:
    body = event(mention("who owns risk"), event_id="Ev0RETRY01")
    for _ in range(4):  # the original and Slack's three retries
        assert dispatch(app, body) == 200
    assert len(api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("text", ["", ":wave: :tada:", "🎉🎉", "\x00\x1b[31m"])
def test_empty_or_emoji_mention_gets_a_polite_reply(
    app: App, api: WebApiStandIn, text: str
) -> None:
    dispatch(app, event(mention(text)))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["text"].startswith(("Ask me who does what", "I don't know that one."))


def test_very_long_mention(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(mention("which pm earns more? " + "x" * 40_000)))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["text"].startswith("Salaries:")
    assert all(len(str(b)) < 4000 for b in call.params["blocks"])


def test_rate_limited_reply_is_retried_after_retry_after(app: App, api: WebApiStandIn) -> None:
    api.fail("chat.postMessage", Fault(status=429, error="ratelimited", retry_after=1))
    dispatch(app, event(mention("who owns scope")))
    calls = api.calls_to("chat.postMessage")
    assert len(calls) == 2
    assert calls[1].response["ok"] is True


def test_server_error_is_retried(app: App, api: WebApiStandIn) -> None:
    api.fail("chat.postMessage", Fault(status=503, error="service_unavailable"))
    dispatch(app, event(dm("who owns scope")))
    assert [c.response["ok"] for c in api.calls_to("chat.postMessage")] == [False, True]


def test_failed_reply_is_logged_not_raised(app: App, api: WebApiStandIn, caplog) -> None:
    api.fail("chat.postMessage", Fault(error="channel_not_found", times=5))
    assert dispatch(app, event(mention("who owns scope"), event_id="Ev0FAILED01")) == 200
    # One line naming the event, so the unanswered mention can be found.
    assert "mention reply for Ev0FAILED01 failed for good: SlackApiError: channel_not_found" in (
        caplog.text
    )


def test_home_tab_is_published(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    (call,) = api.calls_to("views.publish")
    assert call.params["user_id"] == "U1"
    assert call.params["view"]["type"] == "home"


def test_messages_tab_does_not_publish(app: App, api: WebApiStandIn) -> None:
    dispatch(
        app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"})
    )
    assert api.calls_to("views.publish") == []


def test_strip_mention() -> None:
    assert strip_mention("<@UB1> who <@UB1|pmbot> owns <@U2>", "UB1") == "who owns <@U2>"


def test_greeting_and_thanks_get_a_friendly_reply(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(mention("hey there :wave:")))
    dispatch(app, event(dm("thanks!")))
    greeting, thanks = api.calls_to("chat.postMessage")
    assert greeting.params["text"].startswith("Hi! 👋\nAsk me who does what")
    assert [b["block_id"] for b in greeting.params["blocks"]] == ["pm_smalltalk"]
    assert thanks.params["text"] == "You're welcome! Ask me anything else about who does what."
