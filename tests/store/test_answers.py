"""Answers given, against real databases (SQLite; PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest

from bot.store.answers import AnswerStore, Given
from bot.store.database import Store
from tests.store.conftest import Clock


@pytest.fixture
def answers(store: Store) -> AnswerStore:
    return AnswerStore(store)


def test_an_answer_is_found_by_its_message(answers: AnswerStore) -> None:
    answers.record("C1", "1.1", "2.1", "who owns   the budget?")
    assert answers.find("C1", "1.1") == Given("2.1", "who owns the budget?")
    assert answers.find("C1", "1.2") is None
    assert answers.find("C2", "1.1") is None


def test_recording_again_moves_the_row_on(answers: AnswerStore) -> None:
    answers.record("C1", "1.1", "2.1", "who owns the budget?")
    answers.record("C1", "1.1", "2.1", "who owns the roadmap?")
    assert answers.find("C1", "1.1") == Given("2.1", "who owns the roadmap?")


def test_long_questions_are_kept_to_500_characters(answers: AnswerStore) -> None:
    answers.record("C1", "1.1", "2.1", "x" * 40_000)
    found = answers.find("C1", "1.1")
    assert found is not None and found.question == "x" * 500


def test_old_answers_are_forgotten(answers: AnswerStore, clock: Clock) -> None:
    answers.record("C1", "1.1", "2.1", "q")
    clock.now += 100
    answers.record("C1", "1.2", "2.2", "q")
    assert answers.forget(older_than_seconds=50) == 1
    assert answers.find("C1", "1.1") is None
    assert answers.find("C1", "1.2") == Given("2.2", "q")


def test_a_database_made_before_answers_were_kept_gets_the_table(database_url: str) -> None:
    """Version 1 had no answers table; opening it with this code adds the table."""
    from sqlalchemy import insert, inspect

    from bot.store.engine import make_engine, metadata
    from bot.store.migrations import schema_version
    from bot.store.tables import answers_given

    engine = make_engine(database_url)
    older = [t for t in metadata.sorted_tables if t is not answers_given]
    metadata.create_all(engine, tables=older)
    with engine.begin() as conn:
        conn.execute(insert(schema_version).values(version=1))
    assert "pmbot_answers_given" not in inspect(engine).get_table_names()
    engine.dispose()
    store = Store(database_url)
    AnswerStore(store).record("C1", "1.1", "2.1", "q")
    assert AnswerStore(store).find("C1", "1.1") == Given("2.1", "q")
    store.close()
