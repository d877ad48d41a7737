"""Who holds each role in a channel (`/pm team`): one row per channel, role and holder.

Read on the answer path of a channel question whose topic names a role, so every
process sees a change at once (no cache to go stale); the primary key makes that read
one index range. Rows are removed with the channel (the bot leaves, or it is archived).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    delete,
    insert,
    select,
)

from bot.store.engine import metadata
from bot.store.protocols import Holder, HolderKind, SqlDatabase

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


class HolderStore:
    """The `RoleHolders` protocol over SQL (SQLite or PostgreSQL)."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def holders(self, channel: str) -> list[Holder]:
        c = role_holders.c
        query = (
            select(c.channel_id, c.role, c.holder_id, c.kind, c.set_by, c.set_at)
            .where(c.channel_id == channel)
            .order_by(c.role, c.position)
        )
        with self.db.connect() as conn:
            return [Holder(**row._mapping) for row in conn.execute(query).all()]

    def set_holders(
        self, channel: str, role: str, holders: list[tuple[str, HolderKind]], set_by: str
    ) -> None:
        """The role's holders in this channel become exactly `holders` (one transaction)."""
        now = self.db.clock()
        rows = [
            {"channel_id": channel, "role": role, "holder_id": holder_id, "kind": kind}
            | {"set_by": set_by, "set_at": now, "position": position}
            for position, (holder_id, kind) in enumerate(dict(holders).items())  # named twice: once
        ]
        with self.db.begin() as conn:
            conn.execute(
                delete(role_holders)
                .where(role_holders.c.channel_id == channel)
                .where(role_holders.c.role == role)
            )
            if rows:
                conn.execute(insert(role_holders), rows)

    def clear_holders(self, channel: str, role: str | None = None) -> int:
        """Forget one role's holders here, or every role's (`role` None); how many rows went."""
        query = delete(role_holders).where(role_holders.c.channel_id == channel)
        if role is not None:
            query = query.where(role_holders.c.role == role)
        with self.db.begin() as conn:
            return int(conn.execute(query).rowcount)

    def roles_held_by(self, holder_id: str) -> list[tuple[str, str]]:
        """(channel, role) pairs where `holder_id` is a holder, by channel."""
        query = (
            select(role_holders.c.channel_id, role_holders.c.role)
            .where(role_holders.c.holder_id == holder_id)
            .order_by(role_holders.c.channel_id, role_holders.c.role)
        )
        with self.db.connect() as conn:
            return [(str(c), str(r)) for c, r in conn.execute(query).all()]
