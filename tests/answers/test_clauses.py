"""Clauses of a longer message, read in the light of the whole (bot/answers/clauses.py)."""

from __future__ import annotations

from bot.answers.clauses import read_clauses
from bot.answers.engine import Engine


def test_a_short_message_has_no_clauses(engine: Engine) -> None:
    whole = engine.normaliser.normalise("who owns the roadmap")
    assert read_clauses(engine.normaliser, "who owns the roadmap", whole) == []


def test_each_clause_sees_the_roles_of_the_whole(engine: Engine) -> None:
    text = "how do I become a PM? a product manager, I mean"
    whole = engine.normaliser.normalise(text)
    # "a product manager, I mean" names only a role: no clause of its own
    (clause,) = read_clauses(engine.normaliser, text, whole)
    assert clause.roles == frozenset({"product"}) and not clause.ambiguous_pm
    assert "@product" in clause.tokens


def test_a_clause_naming_only_the_two_roles_is_no_question(engine: Engine) -> None:
    text = "who decides when the new version ships? product mgr or project mgr?"
    whole = engine.normaliser.normalise(text)
    (clause,) = read_clauses(engine.normaliser, text, whole)
    assert clause.tokens[0] == "who" and clause.roles == frozenset({"product", "project"})


def test_a_role_the_whole_does_not_ask_about_is_dropped(engine: Engine) -> None:
    text = "eng manager here. who owns the schedule?"
    whole = engine.normaliser.normalise("who owns the schedule?")  # the asker removed
    clauses = read_clauses(engine.normaliser, text, whole)
    assert all("@engineering-manager" not in c.tokens for c in clauses)


def test_a_clause_asking_what_a_role_is_stays_a_question(engine: Engine) -> None:
    text = "What is a product manager? Definition, tasks and skills"
    whole = engine.normaliser.normalise(text)
    first, _rest = read_clauses(engine.normaliser, text, whole)
    assert first.tokens == ("@product",)
    # and that clause is what gets answered: the role, not how to become it
    assert engine.answer(text).topic == "product-manager"
