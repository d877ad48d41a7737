"""Whom a question is about (bot/answers/subjects.py)."""

from __future__ import annotations

from bot.answers.engine import Engine
from bot.answers.subjects import read_subject, without_asker


def read(engine: Engine, text: str):
    whole = engine.normaliser.normalise(text)
    return read_subject(engine.asks, engine.normaliser, text, whole, engine.asks.read(text))


def test_our_role_as_the_asker_is_context_when_another_is_asked_about(engine: Engine) -> None:
    text = "project manager here. what does a product manager do?"
    whole = without_asker(engine.asks, engine.normaliser, text, engine.normaliser.normalise(text))
    assert whole.roles == frozenset({"product"}) and "@project" not in whole.tokens
    # Asking about the very role you hold keeps it.
    same = "I'm a project manager, how do I become a project manager?"
    kept = without_asker(engine.asks, engine.normaliser, same, engine.normaliser.normalise(same))
    assert kept.roles == frozenset({"project"})


def test_the_role_an_ask_names_is_the_subject(engine: Engine) -> None:
    assert read(engine, "how does a product manager become a project manager?").subject == "project"
    assert (
        read(engine, "how does a scrum master become a product owner?").subject == "product-owner"
    )
    assert read(engine, "who owns the roadmap?").subject is None


def test_who_is_a_drops_its_who_and_who_is_the_keeps_it(engine: Engine) -> None:
    assert "who" not in read(engine, "Who is a project manager?").tokens
    assert "who" in read(engine, "who is the sponsor here?").tokens
