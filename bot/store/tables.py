"""The shared tables: event ids, questions asked, feedback votes and the unanswered
log (the tip tables are in bot/tips/tables.py; every table is on one `metadata`)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Column, Float, Index, Integer, String, Table

from bot.store.engine import metadata

QUESTION_TEXT_LIMIT = 500
ANSWER_REF_LIMIT = 100

AskedStatus = Literal["answer", "clarify", "decline", "help", "smalltalk"]  # the engine's Status
Vote = Literal["up", "down"]
UnansweredReason = Literal["decline", "clarify", "downvote"]

events_seen = Table(
    "pmbot_events_seen",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("seen_at", Float, nullable=False, index=True),
)
questions = Table(
    "pmbot_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(100)),
    Column("status", String(16), nullable=False),
    Column("asked_at", Float, nullable=False),
)
feedback = Table(
    "pmbot_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(100)),
    Column("vote", String(4), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("voted_at", Float, nullable=False),
    # The answer voted on (channel:message ts): one vote per user and answer, which a
    # second click or a switch from 👍 to 👎 updates. Votes from before: none.
    Column("answer_ref", String(ANSWER_REF_LIMIT)),
    Index("pmbot_feedback_one_vote", "user_id", "answer_ref", unique=True),
)
unanswered = Table(
    "pmbot_unanswered",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", String(QUESTION_TEXT_LIMIT), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("topic", String(100)),
    Column("logged_at", Float, nullable=False),
)
# What pmbot answered where (issue 12): an edited @mention finds its earlier answer
# by the asking message's channel and ts, and updates it in place.
answers_given = Table(
    "pmbot_answers_given",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("message_ts", String(32), primary_key=True),
    Column("reply_ts", String(32), nullable=False),
    Column("question", String(QUESTION_TEXT_LIMIT), nullable=False),
    Column("answered_at", Float, nullable=False, index=True),
)
