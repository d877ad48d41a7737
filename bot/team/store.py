"""Who holds each role in a channel (`/pm team`): one row per channel, role and holder.

Read on the answer path of a channel question whose topic names a role; the primary
key makes that read one index range. On PostgreSQL (several processes) every read goes
to the database, so a change made through one process is seen by the others at once.
On SQLite (one process, docs/deploy.md "State") a read opens a connection (about 1 ms quiet,
5 ms on a loaded machine, which halved `bench.http`'s throughput), so reads are cached
for `cache_seconds`, and this process's own writes update the cache: a change is still
seen at the next question. Rows are removed with the channel (the bot leaves, or it
is archived).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import delete, insert, select

from bot.store.database import Store
from bot.store.protocols import SqlDatabase
from bot.team.records import Holder, HolderKind
from bot.team.tables import role_holders

MAX_CACHED_CHANNELS = 10_000
# SQLite serves one process: its role holders are cached this long.
SQLITE_CACHE_SECONDS = 5.0


class HolderStore:
    """The `RoleHolders` protocol over SQL (SQLite or PostgreSQL)."""

    def __init__(
        self,
        db: SqlDatabase,
        cache_seconds: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self.monotonic = monotonic
        self._cache: dict[str, tuple[float, list[Holder]]] = {}
        self._lock = threading.Lock()

    def holders(self, channel: str) -> list[Holder]:
        if self.cache_seconds > 0:
            with self._lock:
                cached = self._cache.get(channel)
            if cached is not None and cached[0] > self.monotonic():
                return list(cached[1])
        found = self._read(channel)
        if self.cache_seconds > 0:
            with self._lock:
                if len(self._cache) >= MAX_CACHED_CHANNELS:
                    self._cache.clear()
                self._cache[channel] = (self.monotonic() + self.cache_seconds, found)
        return list(found)

    def _forget_cached(self, channel: str) -> None:
        with self._lock:
            self._cache.pop(channel, None)

    def _read(self, channel: str) -> list[Holder]:
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
        self._forget_cached(channel)

    def clear_holders(self, channel: str, role: str | None = None) -> int:
        """Forget one role's holders here, or every role's (`role` None); how many rows went."""
        query = delete(role_holders).where(role_holders.c.channel_id == channel)
        if role is not None:
            query = query.where(role_holders.c.role == role)
        with self.db.begin() as conn:
            removed = int(conn.execute(query).rowcount)
        self._forget_cached(channel)
        return removed

    def roles_held_by(self, holder_id: str) -> list[tuple[str, str]]:
        """(channel, role) pairs where `holder_id` is a holder, by channel."""
        query = (
            select(role_holders.c.channel_id, role_holders.c.role)
            .where(role_holders.c.holder_id == holder_id)
            .order_by(role_holders.c.channel_id, role_holders.c.role)
        )
        with self.db.connect() as conn:
            return [(str(c), str(r)) for c, r in conn.execute(query).all()]


def holder_store(store: Store) -> HolderStore:
    """The holder store as pmbot runs it: cached on SQLite, read through on PostgreSQL."""
    sqlite = store.engine.dialect.name == "sqlite"
    return HolderStore(store, SQLITE_CACHE_SECONDS if sqlite else 0.0)
