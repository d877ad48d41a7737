"""What curators did: phrasings taught to topics, and unanswered questions dismissed.

Questions are identified by their phrase key (lower-case words, see
bot/answers/schema.py phrase_key), computed by the caller: "Who owns the roadmap?"
and "who owns the roadmap" are one question. The version of the taught and curated
tables (row counts, newest id, last save) is what other processes poll to notice
new teaching cheaply.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import delete, func, insert, select

from bot.answers.curated import CuratedTopic
from bot.curation.tables import curated_topics, dismissed, taught
from bot.store.protocols import SqlDatabase
from bot.store.tables import QUESTION_TEXT_LIMIT, unanswered


class TaughtStore:
    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def teach(self, topic: str, question: str, key: str, user: str) -> None:
        """Make `question` a phrasing of `topic` (re-teaching moves it). Delete and
        insert, so the version other processes poll changes either way."""
        text = " ".join(question.split())[:QUESTION_TEXT_LIMIT]
        with self.db.begin() as conn:
            conn.execute(delete(taught).where(taught.c.phrase_key == key))
            conn.execute(
                insert(taught).values(
                    topic=topic,
                    question=text,
                    phrase_key=key,
                    taught_by=user,
                    taught_at=self.db.clock(),
                )
            )

    def taught_version(self) -> tuple[int, int, int, float]:
        """What changes when anything is taught, saved, edited or retired."""
        c = curated_topics.c
        with self.db.connect() as conn:
            count, newest = conn.execute(select(func.count(), func.max(taught.c.id))).one()
            topics, saved = conn.execute(select(func.count(), func.max(c.saved_at))).one()
        return int(count), int(newest or 0), int(topics), float(saved or 0.0)

    def save_topic(self, topic: CuratedTopic) -> None:
        """Save a curated topic, or replace the one with its id."""
        row = {f.name: getattr(topic, f.name) for f in fields(topic)}
        row["topic_id"], row["questions"] = row.pop("id"), "\n".join(topic.questions)
        with self.db.begin() as conn:
            conn.execute(delete(curated_topics).where(curated_topics.c.topic_id == topic.id))
            conn.execute(insert(curated_topics).values(saved_at=self.db.clock(), **row))

    def retire_topic(self, topic_id: str) -> bool:
        query = delete(curated_topics).where(curated_topics.c.topic_id == topic_id)
        with self.db.begin() as conn:
            return int(conn.execute(query).rowcount) == 1

    def clear_topics(self) -> int:
        with self.db.begin() as conn:
            return int(conn.execute(delete(curated_topics)).rowcount)

    def curated_topics(self) -> list[CuratedTopic]:
        """Every curated topic, by id."""
        with self.db.connect() as conn:
            rows = conn.execute(select(curated_topics).order_by(curated_topics.c.topic_id)).all()
        return [
            CuratedTopic(
                id=r.topic_id,
                title=r.title,
                answer=r.answer,
                questions=tuple(q for q in r.questions.split("\n") if q),
                maintainer=r.maintainer,
                reviewed=r.reviewed,
            )
            for r in rows
        ]

    def taught_phrasings(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self.taught_rows():
            out.setdefault(row["topic"], []).append(row["question"])
        return out

    def taught_rows(self) -> list[dict[str, Any]]:
        """Every taught phrasing, oldest first."""
        with self.db.connect() as conn:
            rows = conn.execute(select(taught).order_by(taught.c.id)).all()
        return [dict(row._mapping) for row in rows]

    def clear(self) -> int:
        with self.db.begin() as conn:
            return int(conn.execute(delete(taught)).rowcount)

    def dismiss(self, key: str, user: str) -> None:
        with self.db.begin() as conn:
            conn.execute(delete(dismissed).where(dismissed.c.phrase_key == key))
            conn.execute(
                insert(dismissed).values(
                    phrase_key=key, dismissed_by=user, dismissed_at=self.db.clock()
                )
            )

    def curated_at(self) -> dict[str, float]:
        """When each question was last taught or dismissed: asked again after that,
        it is unanswered again."""
        out: dict[str, float] = {}
        with self.db.connect() as conn:
            for key, at in conn.execute(select(taught.c.phrase_key, taught.c.taught_at)).all():
                out[key] = max(at, out.get(key, 0.0))
            query = select(dismissed.c.phrase_key, dismissed.c.dismissed_at)
            for key, at in conn.execute(query).all():
                out[key] = max(at, out.get(key, 0.0))
        return out

    def unanswered_rows(self, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` rows of the unanswered log, newest first."""
        query = (
            select(unanswered)
            .order_by(unanswered.c.logged_at.desc(), unanswered.c.id.desc())
            .limit(limit)
        )
        with self.db.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query).all()]

    def unanswered_row(self, row_id: int) -> dict[str, Any] | None:
        with self.db.connect() as conn:
            row = conn.execute(select(unanswered).where(unanswered.c.id == row_id)).first()
        return dict(row._mapping) if row is not None else None
