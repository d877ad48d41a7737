"""The pieces that keep answers independent of the store and of Slack."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy.exc import DataError, OperationalError

from bot.slack.resilience import FallbackDeduper, ReplyPool, StoreGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FlakyStore:
    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.seen: set[str] = set()

    def first_time(self, event_id: str) -> bool:
        self.calls += 1
        if self.down:
            raise OSError("database unreachable")
        fresh = event_id not in self.seen
        self.seen.add(event_id)
        return fresh


def test_guard_skips_the_store_for_its_cooldown_then_tries_again() -> None:
    clock, store = Clock(), FlakyStore()
    guard = StoreGuard(cooldown=5, clock=clock)
    store.down = True
    assert guard.run("x", lambda: store.first_time("a")) == (False, None)
    assert guard.run("x", lambda: store.first_time("b")) == (False, None)
    assert store.calls == 1  # skipped while cooling down
    store.down = False
    clock.now = 5
    assert guard.run("x", lambda: store.first_time("c")) == (True, True)


def test_one_warning_line_per_outage(caplog: pytest.LogCaptureFixture) -> None:
    clock, store = Clock(), FlakyStore()
    guard = StoreGuard(cooldown=5, clock=clock)
    store.down = True
    with caplog.at_level("DEBUG", logger="pmbot.resilience"):
        for second in range(0, 30, 5):  # six tries across a 30-second outage
            clock.now = second
            guard.run("questions", lambda: store.first_time("a"))
        store.down = False
        clock.now = 30
        guard.run("questions", lambda: store.first_time("a"))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "store unavailable (questions): OSError: database unreachable; answering without it",
        "store is back (questions)",
    ]
    assert store.calls == 7


def locked() -> OperationalError:
    return OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))


def test_a_locked_write_is_retried_and_opens_no_breaker() -> None:
    attempts: list[int] = []

    def write() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise locked()
        return "stored"

    guard = StoreGuard(cooldown=5, clock=Clock())
    assert guard.run("vote", write) == (True, "stored")
    assert len(attempts) == 3
    always = lambda: (_ for _ in ()).throw(locked())  # noqa: E731
    assert guard.run("vote", always) == (False, None)  # contention that outlasts the retries
    assert guard.available  # …fails that call only


def test_bad_data_fails_that_call_and_nobody_elses(caplog: pytest.LogCaptureFixture) -> None:
    too_long = DataError("INSERT …", {}, ValueError("value too long for type varchar(500)"))
    guard = StoreGuard(cooldown=5, clock=Clock())
    with caplog.at_level("WARNING", logger="pmbot.resilience"):
        assert guard.run("teach", lambda: (_ for _ in ()).throw(too_long)) == (False, None)
    assert guard.run("vote", lambda: "stored") == (True, "stored")  # the next user's vote
    assert [r.getMessage() for r in caplog.records] == [
        "store refused (teach): bad-data: value too long for type varchar(500)"
    ]


def test_dedupe_falls_back_to_memory_and_remembers_across_the_outage() -> None:
    clock, store = Clock(), FlakyStore()
    dedupe = FallbackDeduper(store, StoreGuard(cooldown=1, clock=clock))
    store.down = True
    assert dedupe.first_time("Ev1") is True
    assert dedupe.first_time("Ev1") is False  # a retry during the outage
    store.down, clock.now = False, 2
    assert dedupe.first_time("Ev1") is False  # handled here while the store was away
    assert dedupe.first_time("Ev2") is True
    store.seen.add("Ev3")  # handled by another process
    assert dedupe.first_time("Ev3") is False


def test_reply_pool_is_bounded_and_hands_back_what_it_could_not_finish(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()
    pool = ReplyPool(threads=1, max_pending=2)
    assert pool.submit(release.wait, "mention reply", "Ev1")
    assert pool.submit(lambda: None, "mention reply", "Ev2")
    assert not pool.submit(lambda: None, "mention reply", "Ev3")  # full: refused, logged
    left = pool.close(timeout=0.2)
    assert left == [("mention reply", "Ev1"), ("mention reply", "Ev2")]
    assert not pool.submit(lambda: None, "mention reply", "Ev4")  # closed
    release.set()
    assert "mention reply for Ev3 not sent: too many replies waiting" in caplog.text
    assert "mention reply for Ev4 not sent: shutting down" in caplog.text


def test_reply_pool_logs_a_failed_reply_with_its_id(caplog: pytest.LogCaptureFixture) -> None:
    def fail() -> None:
        raise TimeoutError("slow")

    pool = ReplyPool(threads=2)
    pool.submit(fail, "mention reply", "Ev9")
    assert pool.close(timeout=5) == []
    assert "mention reply for Ev9 failed for good: TimeoutError: slow" in caplog.text


def test_background_question_log_writes_in_batches_and_flushes_on_close(sqlite_url: str) -> None:
    from bot.slack.resilience import QuestionLog
    from bot.store.database import Store

    store = Store(sqlite_url)
    log = QuestionLog(store, StoreGuard(), background=True)
    for _ in range(3):
        log.add("salary", "answer", "which pm earns more", "U1", None)
    log.add(None, "decline", "lunch?", "U2", "decline")
    log.close(timeout=5)
    assert store.most_asked() == [("salary", 3)]
    assert [r["question"] for r in store.recent_unanswered()] == ["lunch?"]
    store.close()
