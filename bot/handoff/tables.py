"""The hand-offs table: one row per question handed to people, and the schema step
that added it (registered with the store's migrations).

It keeps who asked, where, whom pmbot asked and when someone replied: what rate
limits, "already asked" and the curators' report need. Never the question's text:
that stays in Slack, where the asker put it.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table

from bot.store.engine import metadata
from bot.store.migrations import Migration, creates, register

handoffs = Table(
    "pmbot_handoffs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The question's identity: its channel, its thread (else the message the button was
    # on) and a hash of its words. Unique, so a second click (anyone's), a replay or a
    # retry asks nobody twice.
    Column("question_key", String(120), nullable=False, unique=True),
    Column("asker", String(32), nullable=False, index=True),
    Column("source_channel", String(32), nullable=False, index=True),
    Column("topic", String(100)),
    Column("target", String(10), nullable=False),  # holders, experts, curators
    Column("post_channel", String(32)),  # where the people were asked ...
    Column("thread_ts", String(32)),  # ... and the thread their replies land in
    Column("asked_at", Float, nullable=False, index=True),
    Column("answered_at", Float),
    Column("answered_by", String(32)),
    Index("pmbot_handoffs_thread", "post_channel", "thread_ts"),
)

register(6, Migration("hand-offs to people (Ask a person)", creates(handoffs)))
