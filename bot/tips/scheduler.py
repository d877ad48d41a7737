"""The scheduler thread: `TipPoster.run_due` every minute, inside `pmbot serve`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

log = logging.getLogger("pmbot.tips")


class DueWork(Protocol):
    """A TipPoster, or what runs every workspace's (bot/workspaces/posting.py)."""

    def run_due(self, now: datetime, stopping: Callable[[], bool] = ...) -> object: ...


class TipScheduler:
    """Runs `run_due` every `interval` seconds in a daemon thread (one per process)."""

    def __init__(
        self,
        poster: DueWork,
        interval: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.poster = poster
        self.interval = interval
        self.clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pmbot-tips", daemon=True)

    def start(self) -> TipScheduler:
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Start no further run (and no further channel in this one)."""
        self._stop.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """Let a post in flight finish (within `timeout`); True if the thread ended.
        A post cut short is not lost: its claim's lease runs out and the next run
        takes it over, reading the channel first (see above)."""
        self._stop.set()
        self._thread.join(timeout=timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poster.run_due(self.clock(), stopping=self._stop.is_set)
            except Exception as error:  # the database may be briefly away; try next tick
                log.error("tip run failed: %s: %s", type(error).__name__, error)
            self._stop.wait(self.interval)
