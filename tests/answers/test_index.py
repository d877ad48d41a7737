from __future__ import annotations

from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.knowledge import load_knowledge


def test_generic_words_are_the_ones_most_topics_share(engine: Engine) -> None:
    generic = engine.index.generic
    assert {"who", "own", "@product", "@project", "product", "project"} <= generic
    assert "@pm" not in generic  # a bare "PM" asks which PM: informative
    assert "budget" not in generic and "roadmap" not in generic


def test_a_word_only_one_topic_knows_is_owned_by_it(engine: Engine) -> None:
    index = engine.index
    assert index.topics[index.owner_of["capm"]].id == "certifications"
    assert index.topics[index.owner_of["impediment"]].id == "scrum-master"
    assert "budget" not in index.owner_of  # a duty of both roles, and of salaries' neighbours


def test_filler_is_dropped_unless_a_keyword_uses_it(engine: Engine) -> None:
    tokens = engine.normaliser.tokens
    assert tokens("at a mid-size startup these days, ballpark") == ("startup",)  # a keyword
    assert tokens("at a mid-size company these days, ballpark") == ()
    assert "softwar" in tokens("which software do PMs use")  # a decline keyword: evidence
    assert tokens("who owns our mobile app") == ("who", "own")  # "app" alone is context


def test_unknown_words_weigh_less_and_less(engine: Engine) -> None:
    question = engine.normaliser.normalise("zork")
    one = engine.index.query_weight(question, [])
    four = engine.index.query_weight(engine.normaliser.normalise("zork blarg quux fnord"), [])
    assert one == engine.index.unknown_weight
    assert one < four < 4 * one


def test_a_bare_pm_is_scored_as_either_role_not_both(engine: Engine) -> None:
    question = engine.normaliser.normalise("how do I become a PM")
    scores = engine.index.score(question)
    topics = {engine.index.topics[i].id: v for i, v in scores.items()}
    assert topics["become-product-manager"] > topics["switch-roles"]


def test_a_one_topic_knowledge_base_answers_its_own_question(tmp_path: Path) -> None:
    # With one topic every word is in "most topics"; none of them may count as generic.
    (tmp_path / "k.yaml").write_text(
        "topics:\n  - id: kiwi\n    title: Kiwi room\n    answer: Floor 3.\n"
        "    questions: [where is the kiwi room]\n",
        "utf-8",
    )
    engine = Engine(load_knowledge(tmp_path))
    assert engine.index.generic.isdisjoint({"kiwi", "room"})
    assert engine.answer("where is the kiwi room?").topic == "kiwi"
    assert engine.answer("how much does a dentist earn?").status == "decline"
