"""Answer each Slack event once, however often Slack retries it.

Slack redelivers an event it thinks timed out (up to three times, with
`X-Slack-Retry-Num`), always with the same `event_id`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.store.protocols import SeenEvents

DEFAULT_TTL_SECONDS = 15 * 60  # Slack retries within minutes; keep ids well past that


class EventDeduper(Protocol):
    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen (and records it), False afterwards."""
        ...


class MemoryDeduper:
    """A TTL set of event ids for one process; bounded in size."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        now = self.clock()
        with self._lock:
            while self._seen:
                oldest, seen_at = next(iter(self._seen.items()))
                if now - seen_at < self.ttl and len(self._seen) < self.max_entries:
                    break
                del self._seen[oldest]
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True


class StoreDeduper:
    """Event ids in the database, so several processes answer each event once.

    Expired ids are deleted every `purge_every` events, which keeps the table
    to about a TTL's worth of traffic without a separate cleanup job."""

    def __init__(
        self,
        store: SeenEvents,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        purge_every: int = 500,
    ) -> None:
        self.store = store
        self.ttl = ttl_seconds
        self.purge_every = purge_every
        self._calls = 0
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        with self._lock:
            self._calls += 1
            purge = self._calls % self.purge_every == 0
        if purge:
            self.store.forget_events(self.ttl)
        return self.store.first_time(event_id, self.ttl)
