"""Whom "Ask a person" asks, and where, and every way it can refuse politely
(bot/handoff/asking.py), through a real Bolt App and the Web API stand-in."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import text

from bot.answers.engine import Engine
from bot.handoff.asking import PER_CHANNEL_PER_HOUR, PER_USER_PER_HOUR
from bot.handoff.blocks import (
    CHANNEL_BUSY,
    NOBODY,
    NOT_HERE,
    NOT_POSTED,
    PRIVATE,
    TOO_MANY,
)
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.blocks import ASK_PERSON_LABEL, ask_person_block, encode_value
from bot.slack.services import STORE_DOWN
from bot.store.database import Store
from bot.team.store import HolderStore
from tests.handoff.conftest import (
    CURATOR,
    DECLINED,
    ask_button,
    declined_in_thread,
    make_app,
    press,
)
from tests.slack.conftest import Clock

EXPERTS = "CEXPERTS"


def button(question: str = DECLINED, topic: str | None = None) -> dict[str, Any]:
    return ask_person_block(topic, question)["elements"][0]


def posts_to(api: WebApiStandIn, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in api.calls_to("chat.postMessage") if c.params["channel"] == channel]


@pytest.fixture
def experts_app(api: WebApiStandIn, engine: Engine, store: Store, clock: Clock) -> App:
    return make_app(api, engine, store, clock, experts=EXPERTS)


def test_no_holder_here_goes_to_the_experts_channel_quoted_and_linked(
    experts_app: App, api: WebApiStandIn
) -> None:
    declined = declined_in_thread(experts_app, api)
    note = press(experts_app, api, declined)
    assert note == (
        f"I've asked the experts in <#{EXPERTS}>. I'll let you know when someone replies."
    )
    (post,) = posts_to(api, EXPERTS)
    assert post.get("thread_ts") is None
    head, quote, footer = post["blocks"]
    assert "asked for a person in <#C1>. Anyone here, could you help?" in head["text"]["text"]
    assert quote["text"]["text"] == f"> {DECLINED}"
    link = f"https://local.slack.invalid/archives/C1/p{declined['thread_ts'].replace('.', '')}"
    assert footer["elements"][0]["text"].startswith(f"<{link}|See the question>.")


def test_a_private_channel_is_linked_never_quoted(experts_app: App, api: WebApiStandIn) -> None:
    note = press(experts_app, api, None, channel="G1", button=button())
    assert note.startswith("I've asked the experts")
    (post,) = posts_to(api, EXPERTS)
    assert DECLINED not in str(post)  # an ephemeral /pm reply: nothing to link either
    assert post["blocks"][1]["elements"][0]["text"] == PRIVATE


def test_holders_win_over_the_experts_channel(
    experts_app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    press(experts_app, api, None, button=button())
    assert posts_to(api, EXPERTS) == []
    (post,) = posts_to(api, "C1")  # from an ephemeral /pm reply: a new message in C1
    assert post.get("thread_ts") is None and "<@UPRODUCT>" in post["text"]


def test_a_duty_both_roles_share_asks_both_holders(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    holders.set_holders("C1", "project", [("UPROJECT", "user")], "U9")
    holders.set_holders("C1", "scrum-master", [("USCRUM", "user")], "U9")
    press(app, api, None, button=button("so whose call is the budget?", topic="owns-budget"))
    (post,) = posts_to(api, "C1")
    assert post["text"].endswith("<@UPRODUCT> and <@UPROJECT>, could you help?")


def test_without_holders_or_experts_the_curators_are_asked_in_a_conversation(
    app: App, api: WebApiStandIn
) -> None:
    """They may not be in the question's channel, where a mention would not reach them."""
    note = press(app, api, None, button=button())
    assert note.startswith("I've asked @curator1 (curator) in a conversation with them.")
    assert posts_to(api, "C1") == []
    (post,) = posts_to(api, "DCURATOR1")
    assert f"<@{CURATOR}> (curator)" in post["blocks"][0]["text"]["text"]
    assert "asked for a person in <#C1>" in post["blocks"][0]["text"]["text"]


def test_curators_that_are_only_a_group_are_asked_in_the_channel(
    api: WebApiStandIn, engine: Engine, store: Store, clock: Clock
) -> None:
    app = make_app(api, engine, store, clock, curators=("S0CURATORS",))
    api.state.user_groups["S0CURATORS"] = ["U7"]
    assert press(app, api, None, button=button()).startswith("I've asked @s0curators")
    (post,) = posts_to(api, "C1")
    assert "<!subteam^S0CURATORS> (curator)" in post["blocks"][0]["text"]["text"]
    assert press(app, api, None, channel="D1", button=button("from a DM")) == NOBODY


def test_slack_refusing_a_conversation_with_the_curators_is_said(
    app: App, api: WebApiStandIn
) -> None:
    api.fail("conversations.open", Fault(error="cannot_dm_bot"))
    assert press(app, api, None, button=button()) == NOT_POSTED


def test_from_a_dm_the_curators_are_asked_in_a_conversation_of_their_own(
    app: App, api: WebApiStandIn
) -> None:
    note = press(app, api, None, channel="D1", button=button())
    assert note.startswith("I've asked @curator1 (curator) in a conversation with them.")
    (opened,) = api.calls_to("conversations.open")
    assert opened.params["users"] == CURATOR
    (post,) = posts_to(api, "DCURATOR1")
    assert post["blocks"][1]["text"]["text"] == f"> {DECLINED}"  # the asker pressed the button


def test_nobody_to_ask(api: WebApiStandIn, engine: Engine, store: Store, clock: Clock) -> None:
    app = make_app(api, engine, store, clock, curators=())
    assert press(app, api, None, button=button()) == NOBODY
    assert api.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("where", ["channels_without_bot", "missing_channels"])
def test_where_pmbot_is_not_it_explains(app: App, api: WebApiStandIn, where: str) -> None:
    # a channel pmbot was not invited to; a DM between two people (Slack: not found)
    getattr(api.state, where).add("C7")
    assert press(app, api, None, channel="C7", button=button()) == NOT_HERE
    assert api.calls_to("chat.postMessage") == []


def test_rate_limits_per_user_and_per_channel(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    for n in range(PER_USER_PER_HOUR):
        assert press(app, api, None, button=button(f"{DECLINED} #{n}")).startswith("I've asked")
    assert press(app, api, None, button=button("one more")) == TOO_MANY
    assert len(posts_to(api, "C1")) == PER_USER_PER_HOUR


def test_a_busy_channel_holds_off(app: App, api: WebApiStandIn, store: Store) -> None:
    with store.begin() as conn:
        for n in range(PER_CHANNEL_PER_HOUR):
            conn.execute(
                text(
                    "INSERT INTO pmbot_handoffs (question_key, asker, source_channel, target,"
                    " asked_at) VALUES (:k, :a, 'C1', 'holders', :t)"
                ),
                {"k": f"k{n}", "a": f"U{n}", "t": store.clock()},
            )
    assert press(app, api, None, button=button()) == CHANNEL_BUSY


def test_a_failed_post_is_said_and_can_be_tried_again(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    api.fail("chat.postMessage", Fault(error="not_in_channel"))
    target = button()
    assert press(app, api, None, button=target) == NOT_POSTED
    assert press(app, api, None, button=target).startswith("I've asked @product")


def test_a_broken_store_is_said(app: App, api: WebApiStandIn, store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text("DROP TABLE pmbot_handoffs"))
    assert press(app, api, None, button=button()) == STORE_DOWN


def test_question_text_can_neither_ping_nor_link(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    hostile = "<!channel> see <https://evil.example|here> & https://evil.example/x"
    api.state.user_names["U1"] = "https://evil.example/<!here>"
    press(app, api, None, button=button(hostile + " product manager"))
    (post,) = posts_to(api, "C1")
    head = post["blocks"][0]["text"]
    assert head["verbatim"] is True and "*@https://evil.example/&lt;!here&gt;*" in head["text"]
    assert "<!channel>" not in str(post) and "<https://" not in str(post)
    quote = post["blocks"][1]["text"]
    assert quote["verbatim"] is True
    assert quote["text"] == (
        "> &lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; "
        "https://evil.example/x product manager"
    )
    assert "evil" not in post["text"]  # the notification's text carries no user text


def test_an_empty_or_forged_value_hands_nothing_on(app: App, api: WebApiStandIn) -> None:
    forged = {"action_id": "ask_person", "text": {"type": "plain_text", "text": "x"}}
    for value in ("", "not json", encode_value(None, "")):
        assert press(app, api, None, button=forged | {"value": value}) == (
            "There's no question to hand on."
        )
    assert api.calls_to("chat.postMessage") == []


def test_a_not_helpful_vote_offers_a_person_in_the_answer_s_thread(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    from tests.slack.conftest import buttons, click, dispatch, event, mention

    asked = mention("who owns the roadmap?")
    assert dispatch(app, event(asked)) == 200
    (answer,) = api.wait_for("chat.postMessage")
    message = dict(answer.params) | {"ts": answer.response["ts"]}
    down = next(b for b in buttons(message) if b["action_id"] == "feedback_down")
    up = next(b for b in buttons(message) if b["action_id"] == "feedback_up")
    assert dispatch(app, click(api, up, ephemeral=False, message=message)) == 200
    assert dispatch(app, click(api, down, ephemeral=False, message=message)) == 200
    thanked_up, thanked_down = [c.params for c in api.wait_for("response_url", 2)]
    assert "blocks" not in thanked_up
    ask = ask_button(thanked_down)
    assert ask["text"]["text"] == ASK_PERSON_LABEL
    # Clicked on the private thank-you, which Slack sends no thread for: the button's
    # value says which thread the answer is in.
    assert press(app, api, None, button=ask).startswith("I've asked @product")
    (post,) = [p for p in posts_to(api, "C1") if "asked for a person" in p["text"]]
    assert post["thread_ts"] == asked["ts"]


def test_the_same_question_asked_again_later_is_asked_again(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    """Each private /pm reply is a message of its own: asking again days later, with
    a new /pm, is a new hand-off (a second click on the same reply is not)."""
    for _ in range(2):
        assert press(app, api, None, button=button()).startswith("I've asked @product")
    assert len(posts_to(api, "C1")) == 2


def test_a_forged_thread_in_a_button_is_ignored(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    forged = button() | {"value": '{"t":null,"q":"' + DECLINED + '","th":"C9/../x"}'}
    assert press(app, api, None, button=forged).startswith("I've asked @product")
    (post,) = posts_to(api, "C1")
    assert post.get("thread_ts") is None


def test_a_post_whose_answer_is_lost_is_not_sent_again_by_itself(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    """Slack may have delivered it: a retry could ping everyone twice. The asker is
    told, and may press again."""
    api.fail("chat.postMessage", Fault(status=500))
    assert press(app, api, None, button=button()) == NOT_POSTED
    assert len(api.calls_to("chat.postMessage")) == 1  # tried once
    assert press(app, api, None, button=button()).startswith("I've asked @product")
