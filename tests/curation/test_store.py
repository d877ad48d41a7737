"""The curators' tables: taught phrasings and dismissed questions, on SQLite and
PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import inspect

from bot.answers.curated import CuratedTopic
from bot.curation.store import TaughtStore
from bot.store.database import Store
from tests.store import conftest as store_fixtures
from tests.store.conftest import Clock

# The store tests' fixtures (every real database), not the listener tests' of conftest.py.
store, clock = store_fixtures.store, store_fixtures.clock


def test_teaching_is_read_back_by_topic_and_changes_the_version(store: Store) -> None:
    taught = TaughtStore(store)
    assert taught.taught_version() == (0, 0, 0, 0.0)
    taught.teach("owns-roadmap", "Who  sets the plan?", "who sets the plan", "U1")
    taught.teach("owns-risk", "what could go wrong", "what could go wrong", "U2")
    first = taught.taught_version()
    assert first[0] == 2
    assert taught.taught_phrasings() == {
        "owns-roadmap": ["Who sets the plan?"],
        "owns-risk": ["what could go wrong"],
    }
    # Taught again, to another topic: moved, and the version still changes.
    taught.teach("owns-scope", "who sets the plan?", "who sets the plan", "U1")
    assert taught.taught_version() != first
    assert taught.taught_phrasings() == {
        "owns-risk": ["what could go wrong"],
        "owns-scope": ["who sets the plan?"],
    }
    assert [r["taught_by"] for r in taught.taught_rows()] == ["U2", "U1"]


def test_clear_forgets_every_phrasing(store: Store) -> None:
    taught = TaughtStore(store)
    taught.teach("owns-roadmap", "a b", "a b", "U1")
    taught.teach("owns-roadmap", "c d", "c d", "U1")
    assert taught.clear() == 2
    assert taught.taught_phrasings() == {}
    assert taught.taught_version() == (0, 0, 0, 0.0)


def test_unanswered_rows_newest_first_and_curated_times(store: Store, clock: Clock) -> None:
    taught = TaughtStore(store)
    store.log_unanswered("where is the coffee", "U1", "decline")
    clock.now += 10
    store.log_unanswered("who owns it", "U2", "clarify")
    rows = taught.unanswered_rows(10)
    assert [(r["question"], r["reason"]) for r in rows] == [
        ("who owns it", "clarify"),
        ("where is the coffee", "decline"),
    ]
    assert taught.unanswered_row(rows[1]["id"])["question"] == "where is the coffee"
    assert taught.unanswered_row(999_999) is None
    clock.now += 5
    taught.dismiss("where is the coffee", "U9")
    clock.now += 5
    taught.dismiss("where is the coffee", "U9")  # twice: one row, the later time
    taught.teach("owns-risk", "who owns it", "who owns it", "U9")
    assert taught.curated_at() == {
        "where is the coffee": clock.now,
        "who owns it": clock.now,
    }


def test_tables_exist_after_migration(store: Store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert {"pmbot_taught", "pmbot_dismissed"} <= names


def test_saved_topics_are_replaced_retired_and_change_the_version(store: Store) -> None:
    taught = TaughtStore(store)
    topic = CuratedTopic(
        "dress-code", "Dress code", "Anything.", ("q one", "q two"), "U1", "2026-12-08"
    )
    before = taught.taught_version()
    taught.save_topic(topic)
    assert taught.curated_topics() == [topic]
    saved = taught.taught_version()
    assert saved != before
    edited = replace(topic, answer="Smart casual.", questions=("q one",))
    taught.save_topic(edited)
    assert taught.curated_topics() == [edited]
    assert taught.retire_topic("dress-code") is True
    assert taught.retire_topic("dress-code") is False
    assert taught.curated_topics() == []
    assert taught.taught_version() != saved
    taught.save_topic(topic)
    assert taught.clear_topics() == 1
