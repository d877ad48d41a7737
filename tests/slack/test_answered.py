"""Answers given: the store when it answers, this process's memory when it does not."""

from __future__ import annotations

from pathlib import Path

from bot.slack.answered import (
    KEPT_SECONDS,
    MemoryAnswers,
    StoredAnswers,
    same_question,
)
from bot.slack.resilience import StoreGuard
from bot.store.answers import AnswerStore, Given
from bot.store.database import Store


def test_same_question_ignores_spacing_and_case_only() -> None:
    assert same_question("Who owns the budget?", "who  owns the budget?")
    assert not same_question("who owns the budget?", "who owns the roadmap?")
    assert same_question("x" * 500 + "a", "x" * 500 + "b")  # compared as stored


def test_memory_keeps_the_most_recent() -> None:
    memory = MemoryAnswers(limit=2)
    for n in range(3):
        memory.record("C1", f"1.{n}", f"2.{n}", "q")
    assert memory.find("C1", "1.0") is None
    assert memory.find("C1", "1.2") == Given("2.2", "q")


def test_a_dead_store_falls_back_to_memory(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/pmbot.sqlite3")
    answers = StoredAnswers(AnswerStore(store), StoreGuard())
    answers.record("C1", "1.1", "2.1", "who owns the budget?")
    assert AnswerStore(store).find("C1", "1.1") == Given("2.1", "who owns the budget?")
    (tmp_path / "pmbot.sqlite3").unlink()
    store.engine.dispose()
    (tmp_path / "pmbot.sqlite3").mkdir()  # a directory where the file was: every call fails
    answers.record("C1", "1.2", "2.2", "who owns the roadmap?")
    assert answers.find("C1", "1.1") == Given("2.1", "who owns the budget?")
    assert answers.find("C1", "1.2") == Given("2.2", "who owns the roadmap?")
    store.close()


def test_expired_answers_are_purged_every_so_often(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    store = Store(f"sqlite:///{tmp_path}/pmbot.sqlite3", clock=lambda: now[0])
    answers = StoredAnswers(AnswerStore(store), StoreGuard(), purge_every=3)
    answers.record("C1", "0.1", "2.1", "old")
    now[0] += KEPT_SECONDS + 1
    answers.record("C1", "1.1", "2.2", "new")
    assert AnswerStore(store).find("C1", "0.1") == Given("2.1", "old")  # not yet
    for n in range(2, 3):
        answers.record("C1", f"1.{n}", "2.2", "new")
    assert AnswerStore(store).find("C1", "0.1") is None
    assert AnswerStore(store).find("C1", "1.2") == Given("2.2", "new")
    store.close()
