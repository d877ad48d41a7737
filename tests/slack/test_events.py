from __future__ import annotations

import logging

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.local.local_api import BOT_USER_ID, Fault, WebApiStandIn
from bot.slack.listeners.events import strip_mention
from bot.store.database import Store
from bot.store.tables import events_seen
from tests.slack.conftest import dispatch, dm, event, mention, ts


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


@pytest.mark.slow  # waits out Slack's retry backoff in real time
def test_rate_limited_reply_is_retried_after_retry_after(app: App, api: WebApiStandIn) -> None:
    api.fail("chat.postMessage", Fault(status=429, error="ratelimited", retry_after=1))
    dispatch(app, event(mention("who owns scope")))
    calls = api.calls_to("chat.postMessage")
    assert len(calls) == 2
    assert calls[1].response["ok"] is True


@pytest.mark.slow  # waits out Slack's retry backoff in real time
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


# --- every way Slack delivers a question (issue 12) ----------------------------------
def test_mention_sent_also_to_the_channel_is_answered_in_its_thread(
    app: App, api: WebApiStandIn
) -> None:
    inner = mention("who owns the budget?", subtype="thread_broadcast", thread_ts="111.222")
    dispatch(app, event(inner))
    (call,) = api.calls_to("chat.postMessage")
    assert (call.params["channel"], call.params["thread_ts"]) == ("C1", "111.222")
    assert call.params["text"].startswith("Budgets:")


def test_dm_thread_reply_also_sent_to_the_dm_is_answered_in_its_thread(
    app: App, api: WebApiStandIn
) -> None:
    dispatch(app, event(dm("who owns the budget?", subtype="thread_broadcast", thread_ts="5.6")))
    (call,) = api.calls_to("chat.postMessage")
    assert (call.params["channel"], call.params["thread_ts"]) == ("D1", "5.6")
    assert call.params["text"].startswith("Budgets:")


@pytest.mark.parametrize("inner", [dm("who owns the budget?"), mention("who owns the budget?")])
def test_file_share_is_answered_on_its_text(app: App, api: WebApiStandIn, inner: dict) -> None:
    files = [{"id": "F1", "name": "plan.pdf", "mimetype": "application/pdf"}]
    dispatch(app, event({**inner, "subtype": "file_share", "files": files}))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["text"].startswith("Budgets:")


def test_file_without_text_is_ignored_and_says_why(app: App, api: WebApiStandIn, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    dispatch(app, event(dm("", subtype="file_share", files=[{"id": "F1"}])))
    assert api.calls_to("chat.postMessage") == []
    assert "ignored DM: a file without text" in caplog.text


@pytest.mark.parametrize(
    ("inner", "line"),
    [
        (dm("hi", subtype="message_deleted"), "ignored DM: subtype message_deleted"),
        (dm("hi", bot_id="B2"), "ignored DM: sent by a bot"),
        (mention("hi", bot_profile={"id": "B2"}), "ignored mention: sent by a bot"),
        (mention("hi", subtype="channel_join"), "ignored mention: subtype channel_join"),
        (dm("hi", channel_type="channel"), "ignored message: not a direct message"),
        (
            dm("x", subtype="message_changed", message={"ts": "1.1", "thread_ts": "1.0"}),
            "ignored DM thread message: subtype message_changed",
        ),
    ],
)
def test_every_ignore_is_logged_at_debug_with_its_reason(
    app: App, api: WebApiStandIn, caplog, inner: dict, line: str
) -> None:
    caplog.set_level(logging.DEBUG)
    dispatch(app, event(inner))
    assert api.calls_to("chat.postMessage") == []
    assert [r.levelname for r in caplog.records if r.getMessage() == line] == ["DEBUG"]


def test_answers_are_logged_at_info_with_their_surface_and_no_text(
    app: App, api: WebApiStandIn, caplog
) -> None:
    caplog.set_level(logging.INFO)
    dispatch(app, event(mention("who owns the budget?", subtype="thread_broadcast")))
    dispatch(app, event(dm("who owns the budget?", subtype="file_share")))
    lines = [r.getMessage() for r in caplog.records if r.name == "pmbot.requests"]
    assert [line.split(" confidence=")[0] for line in lines] == [
        "surface=mention status=answer topic=owns-budget",
        "surface=dm status=answer topic=owns-budget",
    ]


def edited(original: dict, text: str) -> dict:
    return {
        **original,
        "text": f"<@{BOT_USER_ID}> {text}",
        "edited": {"user": "U1", "ts": ts()},
        "event_ts": ts(),
    }


def test_edited_mention_with_a_new_question_updates_the_answer(
    app: App, api: WebApiStandIn
) -> None:
    original = mention("who owns the budget?")
    dispatch(app, event(original))
    (posted,) = api.calls_to("chat.postMessage")
    dispatch(app, event(edited(original, "who owns the roadmap?")))
    assert len(api.calls_to("chat.postMessage")) == 1
    (update,) = api.calls_to("chat.update")
    assert update.params["channel"] == "C1"
    assert update.params["ts"] == posted.response["ts"]
    assert update.params["text"].startswith("The roadmap:")
    # A second edit finds the same reply, and a change back updates it again.
    dispatch(app, event(edited(original, "who owns the budget?")))
    assert [c.params["ts"] for c in api.calls_to("chat.update")] == [posted.response["ts"]] * 2
    assert api.calls_to("chat.update")[1].params["text"].startswith("Budgets:")


def test_edit_that_keeps_the_question_is_ignored(app: App, api: WebApiStandIn, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    original = mention("who owns the budget?")
    dispatch(app, event(original))
    dispatch(app, event(edited(original, "Who owns   the budget?")))
    assert len(api.calls_to("chat.postMessage")) == 1
    assert api.calls_to("chat.update") == []
    assert "ignored edited mention: the question did not change" in caplog.text


def test_mention_added_by_an_edit_is_answered(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(edited(mention("x"), "who owns the budget?")))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["text"].startswith("Budgets:")
    assert api.calls_to("chat.update") == []


def test_edit_finds_its_answer_with_no_store(api: WebApiStandIn, engine) -> None:
    """Without a database the answers given are kept in memory."""
    from bot import compose
    from bot.config import Settings
    from bot.slack.app import build_app, web_client
    from bot.slack.resilience import InlineExecutor

    settings = Settings(bot_token="xoxb-test", signing_secret="x" * 32, api_url=api.base_url)
    bare = build_app(
        settings, compose.of(engine), web_client(settings), listener_executor=InlineExecutor()
    )
    original = mention("who owns the budget?")
    dispatch(bare, event(original))
    dispatch(bare, event(edited(original, "who owns the roadmap?")))
    (update,) = api.calls_to("chat.update")
    assert update.params["ts"] == api.calls_to("chat.postMessage")[0].response["ts"]


# --- the AI-app pane's routing trap: DM behaviour with the Assistant middleware on ----
def test_dm_thread_reply_is_still_answered_in_its_thread(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(dm("who owns the budget?", thread_ts="7.8")))
    (call,) = api.calls_to("chat.postMessage")
    assert (call.params["channel"], call.params["thread_ts"]) == ("D1", "7.8")
    assert call.params["text"].startswith("Budgets:")
    # An ordinary DM thread is not an AI-app thread: no status, no history read.
    assert [c.method for c in api.calls if c.method != "auth.test"] == ["chat.postMessage"]


def test_dm_thread_reply_from_a_bot_or_pmbot_is_ignored(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(dm("who owns the budget?", thread_ts="7.8", user=BOT_USER_ID)))
    dispatch(app, event(dm("who owns the budget?", thread_ts="7.8", bot_id="B2")))
    dispatch(app, event(dm("edit", subtype="message_changed", thread_ts="7.8")))
    assert api.calls_to("chat.postMessage") == []


def test_messages_tab_sets_the_suggested_prompts(app: App, api: WebApiStandIn) -> None:
    dispatch(
        app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"})
    )
    (call,) = api.calls_to("assistant.threads.setSuggestedPrompts")
    assert call.params["channel_id"] == "D1"
    assert "thread_ts" not in call.params  # agent_view: Slack drops a call naming a thread
    assert call.params["title"] == "Try asking"


def test_greeting_and_thanks_get_a_friendly_reply(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(mention("hey there :wave:")))
    dispatch(app, event(dm("thanks!")))
    greeting, thanks = api.calls_to("chat.postMessage")
    assert greeting.params["text"].startswith("Hi! 👋\nAsk me who does what")
    assert [b["block_id"] for b in greeting.params["blocks"]] == ["pm_smalltalk"]
    assert thanks.params["text"] == "You're welcome! Ask me anything else about who does what."


def test_channel_chatter_is_not_remembered_but_thread_replies_are(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    """message.channels brings every channel message (for the hand-off's thread
    replies); one outside a thread is dropped before its id costs a write."""
    chatter = {"type": "message", "channel": "C1", "channel_type": "channel", "user": "U2"}
    chatter |= {"text": "lunch?", "ts": ts()}
    reply = chatter | {"ts": ts(), "thread_ts": chatter["ts"]}
    for inner, event_id in ((chatter, "EvCHAT1"), (reply, "EvREPLY1")):
        assert dispatch(app, event(inner, event_id)) == 200
    with store.connect() as conn:
        seen = [row[0] for row in conn.execute(select(events_seen.c.event_id))]
    assert seen == ["EvREPLY1"]
    assert api.calls_to("chat.postMessage") == []
