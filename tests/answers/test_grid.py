"""The grid of subjects by asks (bot/answers/grid.py), on the shipped knowledge."""

from __future__ import annotations

import pytest

from bot.answers.engine import Engine
from bot.answers.grid import subjects


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How do I become a product manager?", "become-product-manager"),
        ("how did you become a project manager?", "become-project-manager"),
        # no topic of its own: the ask falls back on the certificates it takes
        ("How do I become a scrum master?", "certifications"),
        ("what comes after scrum master?", "career-paths"),
        ("is CSM worth it?", "certifications"),
        ("can one person be both product owner and scrum master?", "combined-roles"),
        ("can a product manager be a project manager?", "switch-roles"),
        ("What is an OKR?", "term-kpi-okr"),
        ("what is scope creep?", "term-scope-creep"),
    ],
)
def test_the_cell_of_the_ask_answers(engine: Engine, question: str, topic: str) -> None:
    result = engine.answer(question)
    assert (result.status, result.topic) == ("answer", topic), question


def test_how_to_become_x_is_never_what_x_is(engine: Engine) -> None:
    for role in ("scrum master", "product owner", "agile coach", "delivery manager", "PMO"):
        (named,) = engine.normaliser.normalise(role).neighbours
        result = engine.answer(f"how do I become a {role}?")
        assert result.topic != engine.grid.role_topics[named].id, role


def test_an_empty_cell_is_declined_by_name_offering_the_role(engine: Engine) -> None:
    result = engine.answer("is being a scrum master stressful?")
    assert (result.status, result.declined) == ("decline", "ask:opinion")
    first, offer, _ = result.text.split("\n", 2)
    assert first == (
        "Whether it's a good, hard or stressful job is a matter of opinion, "
        "and I stick to who does what."
    )
    assert offer == "Here is what I do know about the scrum master:"
    assert result.alternatives == ("scrum-master",)


def test_interview_questions_are_declined_by_name(engine: Engine) -> None:
    result = engine.answer("why should we hire you as a product manager?")
    assert (result.status, result.declined) == ("decline", "ask:interview")
    assert result.text.startswith("I don't answer interview questions")


def test_a_role_pmbot_does_not_cover_is_declined_with_nothing_to_offer(engine: Engine) -> None:
    result = engine.answer("how do I become a tech lead?")
    assert (result.status, result.text, result.alternatives) == (
        "decline",
        "I don't cover how to become a tech lead.",
        (),
    )


def test_what_a_term_means_is_never_who_owns_something(engine: Engine) -> None:
    result = engine.answer("what is a user story?")
    assert (result.status, result.alternatives) == ("decline", ())
    assert result.text.startswith("I don't know that one.")


def test_who_is_asking_is_not_the_subject(engine: Engine) -> None:
    result = engine.answer("eng manager here. who owns the schedule, PdM or PjM?")
    assert (result.status, result.topic) == ("answer", "owns-delivery")


def test_subjects_are_the_neighbours_first_then_ours(engine: Engine) -> None:
    question = engine.normaliser.normalise("can a project manager become a scrum master")
    assert subjects(question) == ["scrum-master", "project"]
    assert subjects(engine.normaliser.normalise("how do I become a PM")) == ["product", "project"]


def test_a_confident_who_answer_stands_whatever_the_cues(engine: Engine) -> None:
    for question, topic in [
        ("how do I find out who owns the budget?", "owns-budget"),
        ("can you walk me through who owns the roadmap?", "owns-roadmap"),
    ]:
        assert engine.answer(question).topic == topic, question


def test_the_first_role_named_is_the_subject(engine: Engine) -> None:
    question = "what degree does a project manager need, like a product manager?"
    assert engine.answer(question).topic == "become-project-manager"
    named = engine.normaliser.normalise("a scrum master after being a business analyst")
    assert subjects(named) == ["scrum-master", "business-analyst"]


def test_a_duty_word_in_an_interview_question_is_no_who_question(engine: Engine) -> None:
    """ "Manage" is a duty word; "a project you managed" still asks no "who"."""
    interview = engine.answer("Can you tell me about a project you managed that failed?")
    assert interview.status == "decline" and interview.topic is None
    # (a real "who" inside a how-to keeps its duty: the cases above)
