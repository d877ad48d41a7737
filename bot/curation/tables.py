"""The curators' tables: phrasings taught to topics, unanswered questions dismissed,
topics saved from Slack; and the schema steps that added them (registered with the
migrations)."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table, Text

from bot.store.engine import metadata
from bot.store.migrations import Migration, creates, register
from bot.store.tables import QUESTION_TEXT_LIMIT

taught = Table(
    "pmbot_taught",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(100), nullable=False),
    Column("question", String(QUESTION_TEXT_LIMIT), nullable=False),
    Column("phrase_key", String(QUESTION_TEXT_LIMIT), nullable=False, unique=True),
    Column("taught_by", String(32), nullable=False),
    Column("taught_at", Float, nullable=False),
)
dismissed = Table(
    "pmbot_dismissed",
    metadata,
    Column("phrase_key", String(QUESTION_TEXT_LIMIT), primary_key=True),
    Column("dismissed_by", String(32), nullable=False),
    Column("dismissed_at", Float, nullable=False),
)

curated_topics = Table(
    "pmbot_curated_topics",
    metadata,
    Column("topic_id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("answer", Text, nullable=False),
    Column("questions", Text, nullable=False),  # one per line
    Column("maintainer", String(32), nullable=False),
    Column("reviewed", String(10), nullable=False),  # YYYY-MM-DD
    Column("saved_at", Float, nullable=False),  # what other processes poll (live.py)
)

# Serving every workspace: the curators `/pm curators add` added (besides whoever
# installed pmbot and the workspace's admins, who always are).
curators = Table(
    "pmbot_curators",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("added_by", String(32), nullable=False),
    Column("added_at", Float, nullable=False),
)

register(
    3,
    Migration("curators: taught phrasings and dismissed questions", creates(taught, dismissed)),
)
register(7, Migration("curators: topics saved from Slack", creates(curated_topics)))
register(10, Migration("curators added with /pm curators add", creates(curators)))
