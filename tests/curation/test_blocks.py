"""The curators' Block Kit stays inside Slack's limits, whatever was asked."""

from __future__ import annotations

from dataclasses import replace

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.curation.blocks import (
    MAX_ITEMS,
    NOTHING,
    Unanswered,
    topic_picker,
    unanswered_message,
)


def test_many_long_questions_fit_slacks_limits(kb: KnowledgeBase) -> None:
    question = "<@U1> " + "why " * 400
    listed = [Unanswered(n, question, n, ("decline", "downvote")) for n in range(1, 40)]
    message = unanswered_message(listed, kb, note="Dismissed “x”.")
    assert len(message["blocks"]) == 2 + 2 * MAX_ITEMS <= 50
    first = message["blocks"][2]
    assert first["block_id"] == "unanswered_1"
    assert first["text"]["text"].startswith("“&lt;@U1&gt; why why")
    assert first["text"]["text"].endswith("…”\n_once · declined, 👎_")
    assert len(first["text"]["text"]) < 400
    assert message["blocks"][4]["text"]["text"].endswith("_2 times · declined, 👎_")
    dismiss = message["blocks"][3]["elements"][0]
    assert (dismiss["action_id"], dismiss["value"]) == ("unanswered_dismiss", "1")


def test_picker_lists_answerable_topics_by_title_at_most_100(kb: KnowledgeBase) -> None:
    picker = topic_picker(kb)
    titles = [o["text"]["text"] for o in picker["options"]]
    assert titles == sorted(titles, key=str.casefold)
    assert len(titles) == len(kb.answerable)
    many = {
        f"t{n}": Topic(id=f"t{n}", title="T" * 90, kind="faq", answer="a", questions=("q",))
        for n in range(150)
    }
    big = topic_picker(replace(kb, topics=many))
    assert len(big["options"]) == 100
    assert len(big["options"][0]["text"]["text"]) == 75


def test_nothing_unanswered(kb: KnowledgeBase) -> None:
    assert unanswered_message([], kb) == {
        "text": NOTHING,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": NOTHING}}],
    }
