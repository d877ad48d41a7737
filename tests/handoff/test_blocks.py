"""What the hand-off says (bot/handoff/blocks.py), as dicts: no Slack involved."""

from __future__ import annotations

from bot.handoff.blocks import (
    PRIVATE,
    asked_note,
    experts_note,
    listed,
    reply_notice,
    request_message,
)


def test_people_are_listed_as_a_sentence_says_them() -> None:
    assert [listed(n) for n in (["a"], ["a", "b"], ["a", "b", "c"])] == [
        "a",
        "a and b",
        "a, b and c",
    ]


def test_a_request_in_the_question_s_own_channel() -> None:
    message = request_message("@ada", ["<@U2>", "<!subteam^S1>"], "product manager here", "q?")
    assert message["text"] == (
        "Someone asked for a person: <@U2> and <!subteam^S1>, could you help?"
    )
    head, quote, footer = message["blocks"]
    assert head["text"]["text"] == (
        ":raising_hand: *@ada* asked for a person. <@U2> and <!subteam^S1> "
        "(product manager here), could you help? I couldn't answer this one."
    )
    assert quote == {
        "type": "section",
        "block_id": "pm_handoff_question",  # where "Save as pmbot answer" finds it
        "text": {"type": "mrkdwn", "text": "> q?", "verbatim": True},
    }
    assert footer["elements"][0]["text"] == "Reply in this thread and I'll let @ada know."


def test_a_private_question_is_linked_or_not_shown_at_all() -> None:
    linked = request_message("@ada", [], "experts", None, link="https://x/p1", where="G1")
    assert len(linked["blocks"]) == 2
    assert "in <#G1>. Anyone here, could you help?" in linked["blocks"][0]["text"]["text"]
    assert linked["blocks"][1]["elements"][0]["text"].startswith("<https://x/p1|See the question>.")
    unlinked = request_message("@ada", [], "experts", None, where="G1")
    assert unlinked["blocks"][1]["elements"][0]["text"] == PRIVATE


def test_names_come_escaped_once_and_nothing_is_auto_linked() -> None:
    # Names as bot/slack/names.py gives them: escaped already, so not escaped again.
    message = request_message("@tom &amp; jerry", ["<@U2>"], "R&D lead", "why " * 200)
    head, quote, footer = message["blocks"]
    assert "*@tom &amp; jerry* asked" in head["text"]["text"]
    assert "(R&amp;D lead)" in head["text"]["text"]
    assert head["text"]["verbatim"] and quote["text"]["verbatim"]
    assert footer["elements"][0]["verbatim"]
    assert len(quote["text"]["text"]) <= 302


def test_what_the_asker_is_told() -> None:
    assert asked_note(["@bo", "@cy"], "curator", "here") == (
        "I've asked @bo and @cy (curator) here. I'll let you know when someone replies."
    )
    assert (
        experts_note("C9")
        == "I've asked the experts in <#C9>. I'll let you know when someone replies."
    )
    assert reply_notice("@bo", "https://x/p2") == (
        "@bo replied to the question you asked a person about. <https://x/p2|See the reply>."
    )
    assert reply_notice("@b &amp; c", None) == (
        "@b &amp; c replied to the question you asked a person about."
    )
