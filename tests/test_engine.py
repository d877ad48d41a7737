from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import HELP_TEXT, Engine
from bot.knowledge import KnowledgeBase

PRODUCT_NAMES = ["product manager", "PdM", "prod mgr", "product management", "prodcut manager"]
PROJECT_NAMES = ["project manager", "PjM", "proj mgr", "project management", "projcet manager"]


def about(engine: Engine, question: str) -> str | None:
    topic = engine.answer(question).topic
    return engine.kb.topics[topic].about if topic else None


# --- role safety ------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "product_topic", "project_topic"),
    [
        ("what does a {} do", "product-manager", "project-manager"),
        ("what does a {} do all day", "product-manager", "project-manager"),
        ("main goal of a {}", "product-manager", "project-manager"),
        ("how do i become a {}", "become-product-manager", "become-project-manager"),
        ("what degree does a {} need", "become-product-manager", "become-project-manager"),
        ("skills of a good {}", "become-product-manager", "become-project-manager"),
    ],
)
@pytest.mark.parametrize("index", range(len(PRODUCT_NAMES)))
def test_role_questions_get_their_own_role(
    engine: Engine, template: str, product_topic: str, project_topic: str, index: int
) -> None:
    assert engine.answer(template.format(PRODUCT_NAMES[index])).topic == product_topic
    assert engine.answer(template.format(PROJECT_NAMES[index])).topic == project_topic


def test_every_duty_question_keeps_its_duty_whichever_role_is_named(
    engine: Engine, kb: KnowledgeBase
) -> None:
    for role in kb.roles.values():
        for duty in role.duties:
            for task in duty.tasks:
                for name in ("product manager", "project manager"):
                    question = f"does the {name} own {task}?"
                    result = engine.answer(question)
                    assert result.topic == duty.topic, (question, result.topic)


@given(
    filler=st.lists(
        st.sampled_from(
            "what who how does do the a job role day goal "
            "skills degree pay roadmap risk scope team agile sprint become career".split()
        ),
        max_size=6,
    ),
    name=st.sampled_from(PRODUCT_NAMES + PROJECT_NAMES),
)
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_never_answers_about_the_role_not_named(
    engine: Engine, filler: list[str], name: str
) -> None:
    question = " ".join([*filler[:3], name, *filler[3:]])
    named = "product" if name in PRODUCT_NAMES else "project"
    assert about(engine, question) in (None, named)


def test_bare_pm_never_silently_picks_a_role(engine: Engine) -> None:
    for question in ("what does a PM do", "how do I become a PM", "what does a pm do all week"):
        result = engine.answer(question)
        assert result.topic in ("pm-acronym", "difference"), question
        assert about(engine, question) is None


def test_bare_pm_offers_both_roles_as_alternatives(engine: Engine) -> None:
    result = engine.answer("how do I become a PM?")
    assert result.topic == "pm-acronym"
    assert set(result.alternatives) == {"become-product-manager", "become-project-manager"}


# --- abstention ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how much does a dentist earn",
        "who owns the building",
        "what's the budget for the christmas party",
        "who is more senior, a colonel or a major",
        "what does a plumber do",
        "banana",
        "asdf qwerty zxcv",
    ],
)
def test_out_of_scope_abstains(engine: Engine, question: str) -> None:
    result = engine.answer(question)
    assert result.topic is None
    assert result.status == "decline"
    assert result.text.startswith("I don't know that one.")
    assert len(result.suggestions) >= 3
    assert all(s in result.text for s in result.suggestions)


def test_abstention_confidence_is_below_threshold(engine: Engine) -> None:
    assert engine.answer("how much does a dentist earn").confidence < engine.threshold


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_gets_help(engine: Engine, question: str) -> None:
    result = engine.answer(question)
    assert (result.status, result.topic, result.text) == ("help", None, HELP_TEXT)


# --- answers -----------------------------------------------------------------


def test_answer_carries_topic_text_title_and_confidence(engine: Engine, kb: KnowledgeBase) -> None:
    result = engine.answer("who owns the roadmap?")
    assert result.status == "answer"
    assert result.topic == "owns-roadmap"
    assert result.text == kb.topics["owns-roadmap"].answer
    assert result.title == "The roadmap"
    assert 0.45 <= result.confidence <= 1.0


def test_close_runner_up_is_offered_as_alternative(engine: Engine) -> None:
    result = engine.answer("who makes sure we ship on schedule")
    assert result.topic in ("owns-delivery", "owns-releases")
    assert {result.topic, *result.alternatives} >= {"owns-delivery", "owns-releases"}


def test_clear_answer_has_no_alternatives(engine: Engine) -> None:
    assert engine.answer("which pm earns more money").alternatives == ()


def test_slack_markup_and_emoji_do_not_change_the_answer(engine: Engine) -> None:
    plain = engine.answer("who owns the roadmap").topic
    dressed = engine.answer("<@U012AB3CD> :wave: who owns the <https://x.io|roadmap> 🚀?").topic
    assert plain == dressed == "owns-roadmap"


def test_to_json_shape(engine: Engine) -> None:
    data = engine.answer("who owns scope").to_json()
    assert set(data) == {"status", "topic", "confidence", "text", "alternatives"}
    assert data["status"] == "answer"
    assert data["topic"] == "owns-scope"


# --- bad input ---------------------------------------------------------------


def test_very_long_question_is_answered(engine: Engine) -> None:
    question = "who owns the roadmap? " + "blah " * 8_000
    assert len(question) > 40_000
    assert engine.answer(question).topic == "owns-roadmap"


def test_long_noise_abstains(engine: Engine) -> None:
    assert engine.answer("x" * 40_000).topic is None


@given(st.text(max_size=300))
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_unicode_gives_a_result(engine: Engine, text: str) -> None:
    result = engine.answer(text)
    assert result.status in ("answer", "clarify", "decline", "help")
    assert (result.topic is None) == (result.status != "answer")
    assert 0.0 <= result.confidence <= 1.0


def _no_letters_inside(ch: str) -> bool:
    # "㏘" is a symbol, but it decomposes to the letters "PM": that one may answer.
    return not any(c.isalnum() for c in unicodedata.normalize("NFKD", ch))


@given(
    st.text(
        alphabet=st.characters(categories=["So", "Cc", "Cf", "Zs"]).filter(_no_letters_inside),
        max_size=80,
    )
)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_emoji_and_control_characters_never_answer(engine: Engine, text: str) -> None:
    assert engine.answer(text).topic is None
