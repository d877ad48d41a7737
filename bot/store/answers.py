"""Answers pmbot gave, by the asking message (channel, ts): an edited @mention finds
pmbot's reply there and updates it instead of answering twice."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.protocols import SqlDatabase
from bot.store.tables import QUESTION_TEXT_LIMIT, answers_given


class Given(NamedTuple):
    """pmbot's reply to one message: where it is and what it answered."""

    reply_ts: str
    question: str


def _clip(question: str) -> str:
    return " ".join(question.split())[:QUESTION_TEXT_LIMIT]


class AnswerStore:
    """The `pmbot_answers_given` table, shared by every process."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def record(self, channel: str, message_ts: str, reply_ts: str, question: str) -> None:
        row = {"reply_ts": reply_ts, "question": _clip(question), "answered_at": self.db.clock()}
        key = (answers_given.c.channel == channel) & (answers_given.c.message_ts == message_ts)
        try:
            with self.db.begin() as conn:
                conn.execute(
                    insert(answers_given).values(channel=channel, message_ts=message_ts, **row)
                )
        except IntegrityError:  # an answer updated after an edit: the row moves on
            with self.db.begin() as conn:
                conn.execute(update(answers_given).where(key).values(**row))

    def find(self, channel: str, message_ts: str) -> Given | None:
        query = select(answers_given.c.reply_ts, answers_given.c.question).where(
            (answers_given.c.channel == channel) & (answers_given.c.message_ts == message_ts)
        )
        with self.db.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Given(str(row[0]), str(row[1]))

    def forget(self, older_than_seconds: float) -> int:
        cutoff = self.db.clock() - older_than_seconds
        with self.db.begin() as conn:
            return conn.execute(
                delete(answers_given).where(answers_given.c.answered_at < cutoff)
            ).rowcount
