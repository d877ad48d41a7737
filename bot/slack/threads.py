"""AI-app threads this process saw start, so a DM thread reply can tell a message in
the AI-app pane (answered with a status) from an ordinary DM thread reply."""

from __future__ import annotations

import threading
from collections import OrderedDict

THREADS_KEPT = 10_000


class AssistantThreads:
    def __init__(self, limit: int = THREADS_KEPT) -> None:
        self.limit = limit
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def started(self, channel: str, thread_ts: str) -> None:
        with self._lock:
            self._seen[(channel, thread_ts)] = None
            while len(self._seen) > self.limit:
                self._seen.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._seen
