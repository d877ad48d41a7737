from __future__ import annotations

import logging

import pytest
from slack_bolt import App

from bot.local.local_api import BOT_USER_ID, Fault, WebApiStandIn
from bot.slack.blocks import decode_value
from bot.store.database import Store
from tests.slack.conftest import acked, buttons, click, dispatch, event, mention, slash


def private_answer(app: App, api: WebApiStandIn, question: str) -> dict:
    params = acked(app, slash(api, question))
    api.clear()
    return params


def visible_answer(app: App, api: WebApiStandIn, question: str) -> dict:
    inner = mention(question)
    dispatch(app, event(inner))
    call = api.calls_to("chat.postMessage")[-1]
    api.clear()
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "ts": call.response["ts"],
        "thread_ts": inner["ts"],
        "blocks": call.params["blocks"],
        "text": call.params["text"],
    }


def find(params: dict, action_id: str) -> dict:
    return next(b for b in buttons(params) if b["action_id"].startswith(action_id))


def test_feedback_on_private_answer_is_stored_and_thanked(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    answer = private_answer(app, api, "who owns scope")
    dispatch(app, click(api, find(answer, "feedback_down"), ephemeral=True))
    assert store.vote_counts("owns-scope") == (0, 1)
    (logged,) = store.recent_unanswered()
    assert (logged["question"], logged["user_id"], logged["reason"], logged["topic"]) == (
        "who owns scope",
        "U1",
        "downvote",
        "owns-scope",
    )
    (call,) = api.calls_to("response_url")
    assert call.params["replace_original"] is True
    assert "Thanks <@U1>, noted as not helpful." in str(call.params["blocks"])


def test_feedback_on_visible_answer_thanks_only_the_voter(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    message = visible_answer(app, api, "who owns risk")
    dispatch(app, click(api, find(message, "feedback_up"), ephemeral=False, message=message))
    assert store.vote_counts("owns-risk") == (1, 0)
    assert store.recent_unanswered() == []
    (call,) = api.calls_to("response_url")
    assert call.params == {
        "text": "Thanks, noted as helpful.",
        "response_type": "ephemeral",
        "replace_original": False,
    }


def test_share_posts_in_channel_and_removes_private_copy(app: App, api: WebApiStandIn) -> None:
    answer = private_answer(app, api, "who owns <!everyone> the budget")
    dispatch(app, click(api, find(answer, "share_answer"), ephemeral=True))
    shared, deleted = api.calls_to("response_url")
    assert shared.params["response_type"] == "in_channel"
    context = shared.params["blocks"][1]["elements"][0]["text"]
    assert "shared by <@U1>" in context
    assert "&lt;!everyone&gt;" in context and "<!everyone>" not in context
    assert "share_answer" not in [b["action_id"] for b in buttons(shared.params)]
    assert deleted.params["delete_original"] is True


def test_shared_question_is_escaped_exactly_once(app: App, api: WebApiStandIn) -> None:
    """Slack sends a typed `&`, `<` and `>` escaped; the echo shows them as typed."""
    answer = private_answer(app, api, "who owns the backlog &amp; the roadmap &lt;3")
    dispatch(app, click(api, find(answer, "share_answer"), ephemeral=True))
    shared, _ = api.calls_to("response_url")
    context = shared.params["blocks"][1]["elements"][0]["text"]
    assert "“who owns the backlog &amp; the roadmap &lt;3”" in context
    assert "&amp;amp;" not in context and "&amp;lt;" not in context


def test_did_you_mean_on_private_answer(app: App, api: WebApiStandIn) -> None:
    answer = private_answer(app, api, "how do I become a PM")
    pick = find(answer, "did_you_mean_")
    dispatch(app, click(api, pick, ephemeral=True))
    (call,) = api.calls_to("response_url")
    assert call.params["response_type"] == "ephemeral"
    assert call.params["text"].startswith(pick["text"]["text"] + ":")


def test_did_you_mean_on_thread_answer_posts_in_the_thread(app: App, api: WebApiStandIn) -> None:
    message = visible_answer(app, api, "how do I become a PM")
    pick = find(message, "did_you_mean_")
    dispatch(app, click(api, pick, ephemeral=False, message=message))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["thread_ts"] == message["thread_ts"]
    assert call.params["channel"] == "C1"
    assert call.params["text"].startswith(pick["text"]["text"])


def test_example_question_button_asks_it(app: App, api: WebApiStandIn) -> None:
    answer = private_answer(app, api, "how tall is mount everest")
    example = find(answer, "ask_example_")
    dispatch(app, click(api, example, ephemeral=True))
    (call,) = api.calls_to("response_url")
    question = decode_value(example["value"])[1]
    assert call.params["text"] != answer["text"]
    assert question


def test_forged_button_value_gets_a_polite_reply(app: App, api: WebApiStandIn) -> None:
    forged = {
        "action_id": "did_you_mean_0",
        "text": {"type": "plain_text", "text": "x"},
        "value": "{}",
    }
    assert dispatch(app, click(api, forged, ephemeral=True)) == 200
    (call,) = api.calls_to("response_url")
    assert call.params["text"] == "That answer is gone."


def test_a_reply_the_response_url_refuses_leaves_one_log_line(
    app: App, api: WebApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    answer = private_answer(app, api, "who owns the budget")
    api.fail("response_url", Fault(status=500, times=2))
    with caplog.at_level(logging.WARNING, logger="pmbot"):
        dispatch(app, click(api, find(answer, "share_answer"), ephemeral=True))
    lines = [r.getMessage() for r in caplog.records if "response_url" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("share for ")
    assert lines[0].endswith(
        "failed for good: ResponseUrlError: the response_url answered HTTP 500"
    )
