from __future__ import annotations

import pytest
from slack_bolt import App

from bot.local.local_api import WebApiStandIn
from bot.slack.blocks import decode_value
from tests.slack.conftest import acked, buttons, dispatch, event, slash


def reply(app: App, api: WebApiStandIn, text: str) -> dict:
    params = acked(app, slash(api, text))
    assert api.calls_to("response_url") == []  # answered in the ack, no second trip
    return params


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
    assert params["blocks"][0]["text"]["text"].startswith("That's outside what I know.")
    # Nothing Slack shows carries the mention; a button's value (never shown) keeps
    # the question as typed, for "Ask a person" to quote escaped.
    values = [b.pop("value") for b in buttons(params)]
    assert "<!channel>" not in str(params)
    assert decode_value(values[-1])[1] == "what's for lunch <!channel>"


def test_very_long_question(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "who owns the roadmap " + "really " * 6000)
    assert params["text"].startswith("The roadmap:")


# --- /pm tips ------------------------------------------------------------------


def tips_reply(app: App, api: WebApiStandIn, text: str, channel: str = "C1") -> str:
    body = slash(api, text)
    body["channel_id"] = channel
    api.clear()
    assert dispatch(app, body) == 200
    (call,) = api.calls_to("response_url")
    return call.params["text"]


def test_tips_on_uses_the_users_time_zone(app: App, api: WebApiStandIn, store) -> None:
    api.state.user_time_zones["U1"] = "Asia/Tokyo"
    text = tips_reply(app, api, "tips on")
    assert text == (
        "Daily PM tips are on for this channel: 09:00 Asia/Tokyo, weekdays. "
        "Next tip: Tue 30 Mar at 09:00."
    )
    assert api.calls_to("users.info")[0].params["user"] == "U1"


def test_tips_is_the_subcommand_in_any_case(app: App, api: WebApiStandIn) -> None:
    assert tips_reply(app, api, "Tips OFF") == "Daily tips weren't on here, so nothing changed."


def test_tips_on_with_time_zone_and_status(app: App, api: WebApiStandIn) -> None:
    on = tips_reply(app, api, "tips on 09:00 Europe/Berlin daily")
    assert on == (  # 09:05 now: today's slot has passed, so the first tip is tomorrow
        "Daily PM tips are on for this channel: 09:00 Europe/Berlin, every day. "
        "Next tip: Tue 30 Mar at 09:00."
    )
    assert api.calls_to("users.info") == []
    assert tips_reply(app, api, "tips").startswith("Daily tips are on: 09:00 Europe/Berlin")


def test_tips_need_the_bot_in_the_channel(app: App, api: WebApiStandIn) -> None:
    api.state.channels_without_bot.add("C9")
    assert tips_reply(app, api, "tips on", channel="C9").startswith(
        "I'm not in this channel yet, so I couldn't post tips here. Invite me with `/invite @pmbot`"
    )
    api.state.missing_channels.add("G7")
    assert tips_reply(app, api, "tips on", channel="G7").startswith("I'm not in this channel")
    assert tips_reply(app, api, "tips", channel="C9").startswith("Daily tips are off")


def test_tips_off(app: App, api: WebApiStandIn) -> None:
    assert tips_reply(app, api, "tips off") == "Daily tips weren't on here, so nothing changed."
    tips_reply(app, api, "tips on")
    assert tips_reply(app, api, "tips off") == "Daily tips are off for this channel."


def test_tips_usage_error_is_polite(app: App, api: WebApiStandIn) -> None:
    assert tips_reply(app, api, "tips on 99:99").startswith("I couldn't read “99:99” as a time.")


def test_questions_about_tips_are_still_questions(app: App, api: WebApiStandIn) -> None:
    params = reply(app, api, "tips for a new product manager")
    assert not params["text"].startswith("Daily")


def test_answers_and_abstentions_are_recorded(app: App, api: WebApiStandIn, store) -> None:
    reply(app, api, "which pm earns more")
    api.clear()
    reply(app, api, "where is the <!here> lunch")
    assert store.most_asked() == [("salary", 1)]
    (row,) = store.recent_unanswered()
    assert (row["reason"], row["user_id"], row["question"]) == (
        "decline",
        "U1",
        "where is the <!here> lunch",
    )


def test_help_and_app_home_tell_about_daily_tips(app: App, api: WebApiStandIn) -> None:
    tips = (
        "`/pm tips on` in a channel posts a short tip there every weekday at 09:00 "
        "(`/pm tips on 08:30 Europe/Berlin daily` to choose) · `/pm tips` shows it · "
        "`/pm tips off` stops it"
    )
    assert f"\n*Daily tips:* {tips}\n" in reply(app, api, "help")["blocks"][0]["text"]["text"]
    dispatch(app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    (call,) = api.calls_to("views.publish")
    how = call.params["view"]["blocks"][2]["text"]["text"]
    assert how.endswith(f"\n• daily tips: {tips}")
