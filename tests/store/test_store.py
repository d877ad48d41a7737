"""The store against real databases: a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, insert, inspect, select

from bot.store import migrations
from bot.store.database import Store
from bot.store.engine import engine_url, make_engine, metadata
from bot.store.migrations import MIGRATIONS, Migration, recorded_version, schema_version
from tests.store.conftest import Clock

SCHEMA_VERSION = len(MIGRATIONS)


def version_of(store: Store) -> int | None:
    with store.connect() as conn:
        return recorded_version(conn)


def test_schema_is_created_and_versioned(store: Store) -> None:
    assert version_of(store) == SCHEMA_VERSION == len(migrations.MIGRATIONS)


def test_reopening_keeps_data_and_version(database_url: str, store: Store) -> None:
    store.record_vote("owns-risk", "up", "U1", "q")
    again = Store(database_url)
    assert again.vote_counts("owns-risk") == (1, 0)
    with again.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    again.close()


def test_newer_schema_is_upgraded_by_registered_migrations(
    database_url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[int] = []
    step = Migration("test step", lambda conn: ran.append(SCHEMA_VERSION + 1))
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, step])
    upgraded = Store(database_url)
    assert ran == [SCHEMA_VERSION + 1]
    assert version_of(upgraded) == SCHEMA_VERSION + 1
    upgraded.close()


def test_database_at_the_previous_version_is_upgraded_to_the_current_tables(
    database_url: str,
) -> None:
    """A database made by the code one step back gets the last step, and ends with
    the tables and columns a fresh database has."""
    engine = make_engine(database_url)
    previous = len(MIGRATIONS) - 1
    metadata.create_all(engine, tables=[schema_version])
    with engine.begin() as conn:
        for step in MIGRATIONS[:previous]:
            step.upgrade(conn)
        conn.execute(insert(schema_version).values(version=previous))
    engine.dispose()
    upgraded = Store(database_url)
    assert version_of(upgraded) == len(MIGRATIONS)
    found = inspect(upgraded.engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())
    upgraded.close()


def test_event_ids_are_first_once_across_processes(database_url: str, store: Store) -> None:
    other = Store(database_url)
    assert store.first_time("Ev1", ttl_seconds=600)
    assert not other.first_time("Ev1", ttl_seconds=600)
    assert not store.first_time("Ev1", ttl_seconds=600)
    other.close()


def test_event_ids_expire(store: Store, clock: Clock) -> None:
    assert store.first_time("Ev1", ttl_seconds=600)
    clock.now += 601
    assert store.first_time("Ev1", ttl_seconds=600)
    assert not store.first_time("Ev1", ttl_seconds=600)
    clock.now += 10_000
    assert store.forget_events(older_than_seconds=600) == 1


def test_votes_and_down_votes_feed_the_unanswered_log(store: Store) -> None:
    store.record_vote("owns-scope", "up", "U1", "who owns scope")
    store.record_vote("owns-scope", "down", "U2", "who owns  scope\\n?")
    store.record_vote("salary", "down", "U3", "pay?")
    assert store.vote_counts("owns-scope") == (1, 1)
    assert store.vote_counts("nothing") == (0, 0)
    assert store.most_down_voted() == [("owns-scope", 1, 1), ("salary", 1, 0)]
    reasons = [(r["reason"], r["user_id"], r["topic"]) for r in store.recent_unanswered()]
    assert sorted(reasons) == [("downvote", "U2", "owns-scope"), ("downvote", "U3", "salary")]


def test_one_vote_per_user_and_answer(store: Store) -> None:
    """👍 twice counts once; switching to 👎 moves the vote, and logs the question once."""
    for vote in ("up", "up", "down", "down"):
        store.record_vote("owns-scope", vote, "U1", "who owns scope", "C1:1.000001")
    store.record_vote("owns-scope", "up", "U2", "who owns scope", "C1:1.000001")
    store.record_vote("owns-scope", "up", "U1", "who owns scope", "C1:2.000002")
    assert store.vote_counts("owns-scope") == (2, 1)
    assert [r["user_id"] for r in store.recent_unanswered()] == ["U1"]


def test_a_database_from_before_one_vote_per_answer_is_upgraded(database_url: str) -> None:
    """Step 5 on the votes table as step 4's code made it: the column, the index."""
    engine = make_engine(database_url)
    before = MetaData()
    old_feedback = Table(
        "pmbot_feedback",
        before,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("topic", String(100)),
        Column("vote", String(4), nullable=False),
        Column("user_id", String(32), nullable=False),
        Column("voted_at", Float, nullable=False),
    )
    before.create_all(engine)
    metadata.create_all(engine, [t for t in metadata.sorted_tables if t.name != "pmbot_feedback"])
    with engine.begin() as conn:
        conn.execute(
            insert(old_feedback).values(topic="salary", vote="up", user_id="U1", voted_at=1)
        )
        conn.execute(insert(schema_version).values(version=4))
    engine.dispose()
    upgraded = Store(database_url)
    found = inspect(upgraded.engine)
    assert "answer_ref" in {c["name"] for c in found.get_columns("pmbot_feedback")}
    assert "pmbot_feedback_one_vote" in {i["name"] for i in found.get_indexes("pmbot_feedback")}
    upgraded.record_vote("salary", "up", "U1", "pay?", "C1:1.1")
    upgraded.record_vote("salary", "down", "U1", "pay?", "C1:1.1")
    assert upgraded.vote_counts("salary") == (1, 1)  # the old vote, and the one switched
    upgraded.close()


def test_unanswered_questions_are_truncated_and_keep_ids_only(store: Store) -> None:
    store.log_unanswered("x " * 2000, "U9", "decline")
    (row,) = store.recent_unanswered()
    assert len(row["question"]) == 500
    assert set(row) == {"id", "question", "user_id", "reason", "topic", "logged_at"}


def test_most_asked(store: Store) -> None:
    for topic in ["salary", "salary", "owns-risk", None]:
        store.record_question(topic, "answer" if topic else "decline")
    assert store.most_asked() == [("salary", 2), ("owns-risk", 1)]


def test_schema_version_table_is_single_row(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
    assert store.migrate() == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_engine_url(url: str, expected: str) -> None:
    assert engine_url(url) == expected


def test_sqlite_directory_is_created(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path}/deep/er/pmbot.sqlite3")
    assert (tmp_path / "deep" / "er" / "pmbot.sqlite3").is_file()
    store.close()


def test_a_schema_step_number_is_given_once() -> None:
    other = Migration("another first step", lambda conn: None)
    with pytest.raises(ValueError, match="schema step 1 is registered twice"):
        migrations.register(1, other)
    assert migrations.MIGRATIONS[0] is not other


def test_a_missing_step_stops_the_upgrade_before_anything_runs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feature whose tables were never imported leaves a hole: no database is
    marked past it, and the error says what to import."""
    ran: list[str] = []
    after = Migration("a step after the hole", lambda conn: ran.append("after"))
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, None, after])
    with pytest.raises(RuntimeError, match=rf"schema step {SCHEMA_VERSION + 1} is not registered"):
        Store(database_url)
    assert ran == []
