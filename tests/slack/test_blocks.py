from __future__ import annotations

import json

import pytest

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, Topic
from bot.answers.result import Result
from bot.slack.blocks import (
    BUTTON_LABEL_LIMIT,
    BUTTON_VALUE_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    answer_message,
    decode_value,
    encode_value,
    escape,
    help_message,
    thanks_blocks,
    tip_message,
)
from bot.slack.listing import home_view, topics_message


def all_buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def all_texts(blocks: list[dict]) -> list[str]:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [f["text"] for f in block.get("fields", [])]
        texts += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return texts


def assert_within_slack_limits(message: dict) -> None:
    assert message["text"]
    assert len(message["blocks"]) <= MAX_BLOCKS
    for text in all_texts(message["blocks"]):
        assert len(text) <= SECTION_TEXT_LIMIT
    for button in all_buttons(message):
        assert len(button["text"]["text"]) <= BUTTON_LABEL_LIMIT
        assert len(button["value"]) <= BUTTON_VALUE_LIMIT


def test_answer_message_shape(engine: Engine, kb: KnowledgeBase) -> None:
    message = answer_message(engine.answer("who owns the roadmap"), kb, shareable=True)
    first, line, actions = message["blocks"]
    assert first == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": kb.topics["owns-roadmap"].answer},
        "block_id": "pm_answer",
    }
    assert line["elements"][0]["text"].startswith("*The roadmap* · ")
    assert [b["action_id"] for b in actions["elements"]] == [
        "feedback_up",
        "feedback_down",
        "share_answer",
    ]
    assert decode_value(actions["elements"][0]["value"]) == ("owns-roadmap", "who owns the roadmap")
    assert message["text"].startswith("The roadmap: *Product manager*")


def test_visible_answers_have_no_share_button(engine: Engine, kb: KnowledgeBase) -> None:
    message = answer_message(engine.answer("who owns the roadmap"), kb)
    assert "share_answer" not in [b["action_id"] for b in all_buttons(message)]


def test_alternatives_become_did_you_mean_buttons(engine: Engine, kb: KnowledgeBase) -> None:
    message = answer_message(engine.answer("how do I become a PM"), kb)
    picks = [b for b in all_buttons(message) if b["action_id"].startswith("did_you_mean_")]
    assert [b["text"]["text"] for b in picks] == [
        kb.topics[t].title for t in engine.answer("how do I become a PM").alternatives
    ]
    assert {decode_value(b["value"])[0] for b in picks} == {
        "become-product-manager",
        "become-project-manager",
    }


def test_abstention_offers_example_questions(engine: Engine, kb: KnowledgeBase) -> None:
    result = engine.answer("how many legs does a spider have")
    assert (result.status, result.title) == ("decline", None)  # no decline topic fits
    message = answer_message(result, kb)
    assert message["blocks"][0]["text"]["text"].startswith("I don't know that one.")
    examples = [b for b in all_buttons(message) if b["action_id"].startswith("ask_example_")]
    assert [decode_value(b["value"]) for b in examples] == [(None, q) for q in result.suggestions]


def test_help_for_empty_question(engine: Engine, kb: KnowledgeBase) -> None:
    assert answer_message(engine.answer(""), kb) == help_message(kb)
    assert "`/pm topics`" in help_message(kb)["blocks"][0]["text"]["text"]


def test_shared_answer_escapes_the_question(engine: Engine, kb: KnowledgeBase) -> None:
    question = "<!channel> <@U999> & <!here> who owns the roadmap"
    message = answer_message(engine.answer(question), kb, shared_by="U123")
    line = message["blocks"][1]["elements"][0]["text"]
    assert "shared by <@U123>" in line
    assert "&lt;!channel&gt; &lt;@U999&gt; &amp; &lt;!here&gt;" in line
    shown = json.dumps([all_texts(message["blocks"]), message["text"]])
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U999>" not in shown


def test_escape() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def huge_kb() -> KnowledgeBase:
    topics = {
        f"t{i}": Topic(
            id=f"t{i}",
            title="T" * 200,
            kind="faq",
            answer="word " * 1000,
            questions=("q" * 500,),
            group=f"group {i}",
        )
        for i in range(120)
    }
    return KnowledgeBase(topics=topics)


def test_everything_stays_inside_slack_limits() -> None:
    kb = huge_kb()
    result = Result(
        question="x" * 40_000,
        status="answer",
        topic="t1",
        confidence=0.9,
        text=kb.topics["t1"].answer,
        title=kb.topics["t1"].title,
        alternatives=("t2", "t3"),
    )
    for message in (
        answer_message(result, kb, shareable=True),
        answer_message(result, kb, shared_by="U1"),
        topics_message(kb),
        help_message(kb),
        tip_message("tip " * 2000, kb.topics["t1"]),
        {"text": "home", **home_view(kb)},
    ):
        assert_within_slack_limits(message)


@pytest.mark.parametrize("question", ["", "short", "é" * 5000, '"\\' * 3000])
def test_button_values_round_trip_within_limit(question: str) -> None:
    value = encode_value("owns-roadmap", question)
    assert len(value) <= BUTTON_VALUE_LIMIT
    topic, decoded = decode_value(value)
    assert topic == "owns-roadmap"
    assert question.startswith(decoded)
    assert len(decoded) >= min(len(question), 300)


@pytest.mark.parametrize("value", [None, "", "not json", "[1,2]", '{"t": 5, "q": null}'])
def test_odd_button_values_decode_to_nothing(value: str | None) -> None:
    assert decode_value(value) == (None, "")


def test_thanks_replaces_only_the_feedback_row(engine: Engine, kb: KnowledgeBase) -> None:
    blocks = answer_message(engine.answer("who owns scope"), kb)["blocks"]
    thanked = thanks_blocks(blocks, "down", "U1")
    assert thanked[:2] == blocks[:2]
    assert thanked[2] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Thanks <@U1>, noted as not helpful."}],
    }


CLARIFY_QUESTION = "what does a scrum master do that a product owner doesn't?"


def test_clarify_asks_with_one_button_per_candidate(engine: Engine, kb: KnowledgeBase) -> None:
    result = engine.answer(CLARIFY_QUESTION)
    assert result.status == "clarify"
    message = answer_message(result, kb)
    assert message["blocks"][0]["block_id"] == "pm_clarify"
    assert message["blocks"][0]["text"]["text"].startswith("I'm not sure which you mean:")
    picks = [b for b in all_buttons(message) if b["action_id"].startswith("did_you_mean_")]
    assert {decode_value(b["value"]) for b in picks} == {
        ("scrum-master", CLARIFY_QUESTION),
        ("product-owner", CLARIFY_QUESTION),
    }
    assert not [b for b in all_buttons(message) if b["action_id"].startswith("feedback_")]
    assert "*" not in message["text"]
    assert_within_slack_limits(message)


def test_a_decline_on_purpose_says_why_and_offers_what_pmbot_covers(
    engine: Engine, kb: KnowledgeBase
) -> None:
    result = engine.answer("what's the best Jira set-up for a <!channel> project manager?")
    message = answer_message(result, kb)
    assert message["blocks"][0]["block_id"] == "pm_decline"
    assert message["blocks"][0]["text"]["text"] == kb.topics["decline-tools"].answer.strip()
    offered = [decode_value(b["value"]) for b in all_buttons(message)]
    assert offered == [(t, "") for t in kb.topics["decline-tools"].related]
    assert "<!channel>" not in json.dumps(message)  # the question is not carried along
    assert_within_slack_limits(message)
