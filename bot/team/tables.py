"""The team's table, one row per channel, role and holder, and the schema step
that added it (registered with the store's migrations)."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, PrimaryKeyConstraint, String, Table

from bot.store.engine import metadata
from bot.store.migrations import Migration, creates, register

role_holders = Table(
    "pmbot_role_holders",
    metadata,
    Column("channel_id", String(32), nullable=False),
    Column("role", String(64), nullable=False),
    Column("holder_id", String(32), nullable=False, index=True),  # App Home: a user's channels
    Column("kind", String(10), nullable=False),  # user or usergroup
    Column("set_by", String(32), nullable=False),
    Column("set_at", Float, nullable=False),
    Column("position", Integer, nullable=False),  # the order they were named in
    PrimaryKeyConstraint("channel_id", "role", "holder_id"),
)

register(4, Migration("role holders per channel (/pm team)", creates(role_holders)))
