""" "Ask a person" through a real Bolt App: a decline, the button, the people pinged
once, their reply, the asker told once (bot/handoff/feature.py, asking.py)."""

from __future__ import annotations

from slack_bolt import App

from bot.answers.engine import Engine
from bot.handoff.blocks import ALREADY, ALREADY_BY_SOMEONE
from bot.handoff.store import HandoffStore
from bot.local.local_api import WebApiStandIn
from bot.slack.blocks import ask_person_block
from bot.store.database import Store
from bot.team.store import HolderStore
from tests.handoff.conftest import (
    CURATOR,
    DECLINED,
    declined_in_thread,
    make_app,
    press,
    thread_reply,
)
from tests.slack.conftest import Clock, dispatch, event


def hand_offs(api: WebApiStandIn, channel: str = "C1") -> list[dict]:
    return [
        c.params
        for c in api.calls_to("chat.postMessage")
        if c.params.get("channel") == channel and "asked for a person" in str(c.params.get("text"))
    ]


def test_decline_to_holder_to_reply_to_asker(
    app: App, api: WebApiStandIn, store: Store, holders: HolderStore
) -> None:
    api.state.user_names["U1"] = "ada"
    declined = declined_in_thread(app, api)
    note = press(app, api, declined)
    assert note == (
        "I've asked @product (product manager here) here. I'll let you know when someone replies."
    )
    (post,) = hand_offs(api)
    # In the question's thread, pinging the holder; the asker named, not pinged.
    assert post["thread_ts"] == declined["thread_ts"]
    assert post["text"] == "Someone asked for a person: <@UPRODUCT>, could you help?"
    head, quote, footer = post["blocks"]
    assert head["text"]["text"] == (
        ":raising_hand: *@ada* asked for a person. <@UPRODUCT> (product manager here), "
        "could you help? I couldn't answer this one."
    )
    assert footer["elements"][0]["text"] == "Reply in this thread and I'll let @ada know."
    assert quote["text"] == {"type": "mrkdwn", "text": f"> {DECLINED}", "verbatim": True}
    assert "<@U1>" not in str(post)

    api.clear()
    reply = thread_reply("UPRODUCT", declined["thread_ts"])
    assert dispatch(app, event(reply)) == 200
    (told,) = [c.params for c in api.calls_to("chat.postMessage")]
    assert told["channel"] == "U1"  # the asker's DM with pmbot
    link = f"https://local.slack.invalid/archives/C1/p{reply['ts'].replace('.', '')}"
    assert told["text"] == (
        f"@product replied to the question you asked a person about. <{link}|See the reply>."
    )

    # A second reply, and Slack retrying the first, tell nobody again.
    api.clear()
    assert dispatch(app, event(thread_reply("U3", declined["thread_ts"]))) == 200
    assert dispatch(app, event(reply, event_id="Ev-retried")) == 200
    assert api.calls_to("chat.postMessage") == []
    (row,) = HandoffStore(store).waiting_in("C1", declined["thread_ts"]) or [None]
    assert row is None  # answered: nobody is waiting in that thread any more


def test_a_second_click_asks_nobody_twice(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    declined = declined_in_thread(app, api)
    press(app, api, declined)
    assert press(app, api, declined) == ALREADY
    # Someone else, on the same question: not promised a DM only the asker gets.
    assert press(app, api, declined, user="U5") == ALREADY_BY_SOMEONE
    assert len(hand_offs(api)) == 1


def test_different_questions_in_one_thread_are_each_handed_on(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    """The key hashes the words: questions in any script, or alike up to their end,
    are different questions."""
    declined = declined_in_thread(app, api)
    thread = {"message": declined}
    long = "product manager " + "x " * 60
    for question in ("кто отвечает за бюджет?", "кто отвечает за сроки?", long + "a", long + "b"):
        button = ask_person_block(None, question)["elements"][0]
        note = press(app, api, thread["message"], button=button)
        assert note.startswith("I've asked "), (question, note)
    posted = [c for c in api.calls_to("chat.postMessage") if "asked for a person" in str(c.params)]
    assert len(posted) == 4


def test_a_curator_asking_is_not_asked_and_their_later_replies_are_no_questions(
    api: WebApiStandIn, engine: Engine, store: Store, clock: Clock
) -> None:
    app = make_app(api, engine, store, clock, curators=("U1", CURATOR))
    button = ask_person_block(None, DECLINED)["elements"][0]
    assert press(app, api, None, channel="D1", button=button).startswith("I've asked @curator1")
    (opened,) = api.calls_to("conversations.open")
    assert opened.params["users"] == CURATOR  # not U1, who asked
    (post,) = api.calls_to("chat.postMessage")
    for n in range(2):  # the first reply tells the asker; the second is conversation
        api.clear()
        reply = thread_reply(CURATOR, post.response["ts"], channel="DCURATOR1")
        assert dispatch(app, event(reply | {"channel_type": "im"}, f"EvCUR{n}")) == 200
        sent = [c.params["channel"] for c in api.calls_to("chat.postMessage")]
        assert sent == (["U1"] if n == 0 else [])


def test_from_a_dm_the_curator_s_reply_in_their_dm_reaches_the_asker(
    app: App, api: WebApiStandIn
) -> None:
    """A reply in the curator's DM with pmbot is theirs to the asker, not a question."""
    button = ask_person_block(None, DECLINED)["elements"][0]
    assert press(app, api, None, channel="D1", button=button).startswith("I've asked @curator1")
    (post,) = api.calls_to("chat.postMessage")
    assert post.params["channel"] == "DCURATOR1"
    api.clear()
    reply = thread_reply(CURATOR, post.response["ts"], channel="DCURATOR1")
    reply["channel_type"] = "im"
    assert dispatch(app, event(reply)) == 200
    (told,) = api.wait_for("chat.postMessage")
    assert told.params["channel"] == "U1"
    assert told.params["text"].startswith("@curator1 replied to the question you asked")
    assert api.calls_to("chat.postMessage") == [told]  # and no answer in the curator's DM


def test_several_curators_share_one_group_dm(
    api: WebApiStandIn, engine: Engine, store: Store, clock: Clock
) -> None:
    app = make_app(api, engine, store, clock, curators=("UCA", "UCB"))
    button = ask_person_block(None, DECLINED)["elements"][0]
    assert press(app, api, None, button=button).startswith("I've asked @ca and @cb (curator)")
    (opened,) = api.calls_to("conversations.open")
    assert opened.params["users"] == "UCA,UCB"
    group = opened.response["channel"]["id"]
    (post,) = api.calls_to("chat.postMessage")
    assert post.params["channel"] == group
    api.clear()
    reply = thread_reply("UCB", post.response["ts"], channel=group) | {"channel_type": "mpim"}
    assert dispatch(app, event(reply)) == 200
    (told,) = api.wait_for("chat.postMessage")
    assert told.params["channel"] == "U1" and told.params["text"].startswith("@cb replied")


def test_the_asker_adding_detail_is_no_answer(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    declined = declined_in_thread(app, api)
    press(app, api, declined)
    api.clear()
    assert dispatch(app, event(thread_reply("U1", declined["thread_ts"]))) == 200
    assert dispatch(app, event(thread_reply("UPRODUCT", declined["thread_ts"]))) == 200
    (told,) = api.calls_to("chat.postMessage")
    assert told.params["channel"] == "U1" and told.params["text"].startswith("@product replied")


def test_replies_elsewhere_and_from_bots_are_ignored(
    app: App, api: WebApiStandIn, holders: HolderStore
) -> None:
    declined = declined_in_thread(app, api)
    press(app, api, declined)
    api.clear()
    for reply in (
        thread_reply("UPRODUCT", "999.000001"),  # another thread
        thread_reply("UPRODUCT", declined["thread_ts"], channel="C2"),  # another channel
        thread_reply("UBOT", declined["thread_ts"], bot_id="B1"),  # a bot
        thread_reply("UPRODUCT", declined["thread_ts"], subtype="message_changed"),
    ):
        assert dispatch(app, event(reply)) == 200
    assert api.calls_to("chat.postMessage") == []
