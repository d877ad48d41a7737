from __future__ import annotations

import pytest

from bot.answers.engine import Engine
from bot.answers.rules import apply_rules, has_core, matched


def allowed(engine: Engine, question: str) -> set[str]:
    normalised = engine.normaliser.normalise(question)
    scores = apply_rules(engine.index, normalised, engine.index.score(normalised))
    return {engine.index.topics[i].id for i in scores}


def test_naming_a_neighbouring_role_leaves_only_its_topic_and_declines(engine: Engine) -> None:
    topics = allowed(engine, "is a scrum master just an agile project manager?")
    assert topics - {t.id for t in engine.kb.topics.values() if t.kind == "decline"} == {
        "scrum-master"
    }


def test_naming_one_of_our_roles_excludes_the_other(engine: Engine) -> None:
    topics = allowed(engine, "what does a project manager do all week")
    assert "project-manager" in topics
    assert not {"product-manager", "become-product-manager"} & topics


def test_an_unnamed_neighbour_needs_a_word_only_it_knows(engine: Engine) -> None:
    assert "scrum-master" not in allowed(engine, "agile become project manager")
    assert "scrum-master" in allowed(engine, "who removes impediments for the team")


@pytest.mark.parametrize(
    ("question", "topic", "core"),
    [
        ("who is the CEO", "owns-stakeholder-updates", False),  # generic words only
        ("who decides which features get built", "owns-releases", False),  # not its subject
        ("who decides which features get built", "owns-features", True),
        ("which pm earns more", "decline-salary-elsewhere", False),  # names no country
        ("what do PMs earn in Germany", "decline-salary-elsewhere", True),
        ("what does a product manager do", "product-manager", True),  # its own role
    ],
)
def test_core_evidence(engine: Engine, question: str, topic: str, core: bool) -> None:
    normalised = engine.normaliser.normalise(question)
    assert has_core(engine.index, normalised, engine.index.position[topic]) is core


def test_matched_counts_distinctive_words(engine: Engine) -> None:
    question = engine.normaliser.normalise("who owns the project budget")
    topic = engine.kb.topics["owns-budget"]
    assert matched(engine.index, question, topic) == 4  # who, own, project, budget
    assert matched(engine.index, question, topic, distinctive=True) == 1  # budget


@pytest.mark.parametrize(
    "question",
    [
        "what's the best way to rank a backlog?",
        "how should we run a kickoff for the new roadmap?",
        "how do I keep a risk register up to date?",
    ],
)
def test_a_how_to_question_borrows_a_duty_s_words(engine: Engine, question: str) -> None:
    duties = {t.id for t in engine.kb.topics.values() if t.kind == "duty"}
    assert not duties & allowed(engine, question)


def test_a_how_to_question_that_still_asks_who_keeps_its_duty(engine: Engine) -> None:
    assert "owns-budget" in allowed(engine, "how do I find out who owns the budget?")
