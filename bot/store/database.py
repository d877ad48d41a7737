"""The one store: SQLAlchemy Core over SQLite (one machine) or PostgreSQL (several
processes). Slack event de-duplication, questions asked, feedback and the unanswered
log; it is also the `SqlDatabase` the tip store uses.

Times are UTC epoch seconds (floats): the same on both databases, no time-zone
conversions in SQL. Tables are prefixed `pmbot_` so a shared database is safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.store.engine import count_by, make_engine
from bot.store.migrations import check_writable, migrate
from bot.store.protocols import Asked
from bot.store.tables import (
    ANSWER_REF_LIMIT,
    QUESTION_TEXT_LIMIT,
    AskedStatus,
    UnansweredReason,
    answers_given,
    events_seen,
    feedback,
    questions,
    unanswered,
)


class Store:
    def __init__(
        self, url: str, clock: Callable[[], float] = time.time, engine: Engine | None = None
    ) -> None:
        """The store at `url`, or on `engine` when given (another store's, in a schema
        of its own: `in_schema`), which closing it leaves open."""
        self.clock = clock
        self._owns_engine = engine is None
        self.engine = engine if engine is not None else make_engine(url)
        self.migrate()

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def begin(self) -> AbstractContextManager[Connection]:
        return self.engine.begin()

    def connect(self) -> AbstractContextManager[Connection]:
        return self.engine.connect()

    def migrate(self) -> int:
        """Create or upgrade the schema; return the version now recorded."""
        return migrate(self.engine)

    def ping(self) -> None:
        """Raise unless the database answers a trivial query (/readyz)."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def check_writable(self) -> None:
        """Raise unless the store takes a write (start-up: a read-only file must
        stop the server with one line, not fail every vote later)."""
        check_writable(self.engine)

    # --- event de-duplication ------------------------------------------------------
    def first_time(self, event_id: str, ttl_seconds: float) -> bool:
        """True once per event id (within `ttl_seconds`), across every process."""
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(events_seen).values(event_id=event_id, seen_at=now))
            return True
        except IntegrityError:
            pass
        with self.engine.begin() as conn:
            # An id seen long ago has expired: take it again, but only once.
            taken = conn.execute(
                update(events_seen)
                .where(events_seen.c.event_id == event_id)
                .where(events_seen.c.seen_at < now - ttl_seconds)
                .values(seen_at=now)
            ).rowcount
        return taken == 1

    def forget_events(self, older_than_seconds: float) -> int:
        with self.engine.begin() as conn:
            cutoff = self.clock() - older_than_seconds
            return conn.execute(delete(events_seen).where(events_seen.c.seen_at < cutoff)).rowcount

    # --- questions, feedback, unanswered ----------------------------------------------
    def record_question(self, topic: str | None, status: AskedStatus) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(questions).values(topic=topic, status=status, asked_at=self.clock())
            )

    def record_asked(self, rows: list[Asked]) -> None:
        """(topic, status, question, user, reason) rows in one transaction; a row with
        a reason also goes to the unanswered log."""
        now = self.clock()
        asked = [{"topic": t, "status": s, "asked_at": now} for t, s, _, _, _ in rows]
        missed = [
            {
                "question": " ".join(q.split())[:QUESTION_TEXT_LIMIT],
                "user_id": u,
                "reason": r,
                "topic": None,
                "logged_at": now,
            }
            for _, _, q, u, r in rows
            if r is not None
        ]
        with self.engine.begin() as conn:
            conn.execute(insert(questions), asked)
            if missed:
                conn.execute(insert(unanswered), missed)

    def log_unanswered(
        self, question: str, user: str, reason: UnansweredReason, topic: str | None = None
    ) -> None:
        text = " ".join(question.split())[:QUESTION_TEXT_LIMIT]
        with self.engine.begin() as conn:
            conn.execute(
                insert(unanswered).values(
                    question=text, user_id=user, reason=reason, topic=topic, logged_at=self.clock()
                )
            )

    def record_vote(
        self, topic: str | None, vote: str, user: str, question: str, answer: str = ""
    ) -> None:
        """Store `user`'s vote on `answer` (channel:ts): a second click, or a switch,
        updates their one vote. A new 👎 also puts the question in the unanswered log."""
        ref = answer[:ANSWER_REF_LIMIT] or None
        values = {"topic": topic, "vote": vote, "user_id": user, "voted_at": self.clock()}
        mine = (feedback.c.user_id == user) & (feedback.c.answer_ref == ref)
        for attempt in range(2):  # a concurrent first vote may win the insert: then update
            try:
                with self.engine.begin() as conn:
                    found = conn.execute(select(feedback.c.vote).where(mine)) if ref else None
                    before = found.scalar() if found is not None else None
                    if before is None:
                        conn.execute(insert(feedback).values(**values, answer_ref=ref))
                    else:
                        conn.execute(update(feedback).where(mine).values(**values))
                break
            except IntegrityError:
                if attempt:
                    raise
        if vote == "down" and before != "down":
            self.log_unanswered(question, user, "downvote", topic)

    def purge(self, before: float) -> dict[str, int]:
        """Forget what was logged before `before` (`pmbot purge`): questions asked,
        the unanswered log, votes, answers given and event ids. Rows deleted, per table."""
        kept = (
            (questions, questions.c.asked_at),
            (unanswered, unanswered.c.logged_at),
            (feedback, feedback.c.voted_at),
            (answers_given, answers_given.c.answered_at),
            (events_seen, events_seen.c.seen_at),
        )
        with self.engine.begin() as conn:
            return {
                table.name: int(conn.execute(delete(table).where(when < before)).rowcount)
                for table, when in kept
            }

    def vote_counts(self, topic: str) -> tuple[int, int]:
        return self._votes(feedback.c.topic == topic)

    def _votes(self, which: ColumnElement[bool]) -> tuple[int, int]:
        """(up, down) among the votes `which` selects."""
        counts = count_by(self.engine.connect, feedback.c.vote, which)
        return counts.get("up", 0), counts.get("down", 0)

    # --- reading for `pmbot report` (each from `since`, a timestamp; 0: all) ----------
    def status_counts(self, since: float = 0.0) -> dict[str, int]:
        """How many questions got each status (answer, clarify, decline, …)."""
        return count_by(self.engine.connect, questions.c.status, questions.c.asked_at >= since)

    def vote_totals(self, since: float = 0.0) -> tuple[int, int]:
        return self._votes(feedback.c.voted_at >= since)

    def top_unanswered(self, since: float = 0.0, limit: int = 10) -> list[tuple[str, str, int]]:
        """(question, why, times): declined and clarified questions, most asked first."""
        count = func.count().label("n")
        query = (
            select(unanswered.c.question, unanswered.c.reason, count)
            .where(unanswered.c.logged_at >= since, unanswered.c.reason != "downvote")
            .group_by(unanswered.c.question, unanswered.c.reason)
            .order_by(count.desc(), unanswered.c.question)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(str(q), str(r), int(n)) for q, r, n in conn.execute(query).all()]

    def most_asked(self, limit: int = 10, since: float = 0.0) -> list[tuple[str, int]]:
        count = func.count().label("n")
        query = (
            select(questions.c.topic, count)
            .where(questions.c.topic.is_not(None), questions.c.asked_at >= since)
            .group_by(questions.c.topic)
            .order_by(count.desc(), questions.c.topic)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(str(t), int(n)) for t, n in conn.execute(query).all()]

    def recent_unanswered(self, limit: int = 10, since: float = 0.0) -> list[dict[str, Any]]:
        query = (
            select(unanswered)
            .where(unanswered.c.logged_at >= since)
            .order_by(unanswered.c.logged_at.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query).all()]

    def most_down_voted(self, limit: int = 10, since: float = 0.0) -> list[tuple[str, int, int]]:
        down = func.sum((feedback.c.vote == "down").cast(Integer)).label("down")
        up = func.sum((feedback.c.vote == "up").cast(Integer)).label("up")
        query = (
            select(feedback.c.topic, down, up)
            .where(feedback.c.topic.is_not(None), feedback.c.voted_at >= since)
            .group_by(feedback.c.topic)
            .having(down > 0)
            .order_by(down.desc(), feedback.c.topic)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(str(t), int(d), int(u)) for t, d, u in conn.execute(query).all()]
