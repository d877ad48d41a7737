"""Hand-offs over SQL (SQLite or PostgreSQL): each effect is one statement whose
result says whether it happened, so replays, retries and two processes racing
each get one outcome: one question asked once, one reply told once."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.handoff.tables import handoffs
from bot.store.protocols import SqlDatabase


@dataclass(frozen=True)
class Waiting:
    """A hand-off whose thread nobody but the asker has replied in yet."""

    id: int
    asker: str
    source_channel: str


@dataclass(frozen=True)
class HandoffSummary:
    asked: int
    answered: int
    median_seconds: float | None  # to the first reply by someone else; None: none yet

    def line(self) -> str:
        """ "7 asked, 5 answered (median time to a person's answer: 42 min)"."""
        line = f"{self.asked} asked, {self.answered} answered"
        if self.median_seconds is None:
            return line
        return f"{line} (median time to a person's answer: {_duration(self.median_seconds)})"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class HandoffStore:
    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def claim(
        self, key: str, asker: str, channel: str, topic: str | None, target: str
    ) -> int | None:
        """Record a question about to be handed on; None when it already was."""
        row: dict[str, object] = {"question_key": key[:120], "asker": asker}
        row |= {"source_channel": channel, "topic": topic, "target": target}
        row["asked_at"] = self.db.clock()
        try:
            with self.db.begin() as conn:
                created = conn.execute(insert(handoffs), row).inserted_primary_key
        except IntegrityError:
            return None
        return int(created[0]) if created else None

    def posted(self, handoff: int, channel: str, thread_ts: str) -> None:
        """Where the people were asked: replies in that thread are watched for."""
        query = update(handoffs).where(handoffs.c.id == handoff)
        with self.db.begin() as conn:
            conn.execute(query.values(post_channel=channel, thread_ts=thread_ts))

    def release(self, handoff: int) -> None:
        """Nobody could be asked after all (the post failed): the asker may try again."""
        with self.db.begin() as conn:
            conn.execute(delete(handoffs).where(handoffs.c.id == handoff))

    def asked_within(self, seconds: float, asker: str, channel: str) -> tuple[int, int]:
        """How many hand-offs in the last `seconds`: (by this asker, from this channel)."""
        c = handoffs.c
        since = self.db.clock() - seconds
        recent = select(func.count()).select_from(handoffs).where(c.asked_at >= since)
        with self.db.connect() as conn:
            mine = conn.execute(recent.where(c.asker == asker)).scalar_one()
            here = conn.execute(recent.where(c.source_channel == channel)).scalar_one()
        return int(mine), int(here)

    def asker_of(self, key: str) -> str | None:
        """Who first handed this question on."""
        query = select(handoffs.c.asker).where(handoffs.c.question_key == key[:120])
        with self.db.connect() as conn:
            found = conn.execute(query).scalar()
        return str(found) if found is not None else None

    def asked_in(self, channel: str, thread_ts: str) -> bool:
        """Did pmbot ask people in this thread (answered since, or not)?"""
        c = handoffs.c
        query = select(c.id).where(c.post_channel == channel, c.thread_ts == thread_ts).limit(1)
        with self.db.connect() as conn:
            return conn.execute(query).first() is not None

    def waiting_in(self, channel: str, thread_ts: str) -> list[Waiting]:
        c = handoffs.c
        query = (
            select(c.id, c.asker, c.source_channel)
            .where(c.post_channel == channel, c.thread_ts == thread_ts, c.answered_at.is_(None))
            .order_by(c.id)
        )
        with self.db.connect() as conn:
            return [Waiting(int(i), str(a), str(s)) for i, a, s in conn.execute(query).all()]

    def summary(self, since: float = 0.0) -> HandoffSummary:
        """Hand-offs asked since `since`: how many, how many a person answered, and the
        median time to that answer."""
        c = handoffs.c
        query = select(c.asked_at, c.answered_at).where(c.asked_at >= since)
        with self.db.connect() as conn:
            rows = conn.execute(query).all()
        waits = sorted(a - q for q, a in rows if a is not None)
        median = statistics.median(waits) if waits else None
        return HandoffSummary(len(rows), len(waits), median)

    def purge(self, before: float) -> int:
        """Forget hand-offs asked before `before` (`pmbot purge`); how many went."""
        with self.db.begin() as conn:
            return int(conn.execute(delete(handoffs).where(handoffs.c.asked_at < before)).rowcount)

    def answered(self, handoff: int, by: str) -> bool:
        """Mark the first reply; True only for the one call that marked it."""
        query = (
            update(handoffs)
            .where(handoffs.c.id == handoff, handoffs.c.answered_at.is_(None))
            .values(answered_at=self.db.clock(), answered_by=by)
        )
        with self.db.begin() as conn:
            return int(conn.execute(query).rowcount) == 1
