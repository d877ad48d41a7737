"""The AI-app pane's suggested prompts come from the knowledge base's settings."""

from __future__ import annotations

from dataclasses import replace

from bot.answers.knowledge import KnowledgeBase
from bot.slack.prompts import as_question, suggested_prompts


def test_prompts_are_the_prompt_topics_first_questions(kb: KnowledgeBase) -> None:
    assert suggested_prompts(kb)[1] == {
        "title": "Which role is more senior, product or project manager?",
        "message": "Which role is more senior, product or project manager?",
    }


def test_which_topics_are_suggested_is_data(kb: KnowledgeBase) -> None:
    settings = replace(kb.settings, prompt_topics=("salary", "no-such-topic", "owns-risk"))
    prompts = suggested_prompts(replace(kb, settings=settings))
    assert [p["message"] for p in prompts] == [
        "How much does a product manager earn?",
        as_question(kb.topics["owns-risk"].questions[0]),
    ]
    unset = replace(settings, prompt_topics=(), suggested_topics=("owns-risk",))
    assert [p["message"] for p in suggested_prompts(replace(kb, settings=unset))] == [
        as_question(kb.topics["owns-risk"].questions[0])
    ]
    nothing = replace(unset, suggested_topics=())
    assert suggested_prompts(replace(kb, settings=nothing)) == []


def test_at_most_four_prompts(kb: KnowledgeBase) -> None:
    many = tuple(t.id for t in kb.answerable)[:9]
    prompts = suggested_prompts(replace(kb, settings=replace(kb.settings, prompt_topics=many)))
    assert len(prompts) == 4


def test_as_question() -> None:
    assert as_question("  who owns scope ") == "Who owns scope?"
    assert as_question("why?!") == "Why?"
    assert as_question("") == ""
