"""The tip tables: subscriptions, and the per-channel, per-day claim table whose
primary key is the exactly-once guarantee (see poster.py)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, PrimaryKeyConstraint, String, Table

from bot.store.engine import metadata

subscriptions = Table(
    "pmbot_subscriptions",
    metadata,
    Column("channel_id", String(32), primary_key=True),
    Column("post_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("weekdays_only", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("paused_reason", String(64)),
    Column("created_by", String(32), nullable=False),
    Column("active_since", Float, nullable=False),  # first tip: the first slot after this
    Column("updated_at", Float, nullable=False),
)
tip_posts = Table(
    "pmbot_tip_posts",
    metadata,
    Column("channel_id", String(32), nullable=False),
    Column("local_date", String(10), nullable=False),
    Column("tip_id", String(100), nullable=False),
    Column("round", Integer, nullable=False),
    Column("state", String(10), nullable=False),  # claimed, posted, failed
    Column("claim_token", String(36), nullable=False),
    Column("claimed_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Float),
    Column("posted_at", Float),
    Column("message_ts", String(32)),
    Column("error", String(64)),
    # The exactly-once guarantee: one row per channel and local day, ever.
    PrimaryKeyConstraint("channel_id", "local_date"),
)
