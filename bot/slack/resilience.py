"""Answering is the last thing that fails: the store and Slack's Web API are
kept off the path that acknowledges and answers.

- `StoreGuard` runs a store call and turns any failure into one warning line;
  after an outage it skips the store for a few seconds, so a dead database
  costs a line per outage, not a timeout per request. A locked SQLite file is
  retried, and bad data fails that call alone (bot/store/failures.py).
- `FallbackDeduper` de-duplicates events in the store, and in this process's
  memory when the store is down (see docs/deploy.md, "When things break").
- `QuestionLog` counts questions from a background thread: an answer never
  waits for, or fails with, the database.
- `ReplyPool` runs everything that calls Slack after the ack on threads of its
  own, bounded, so a slow or rate-limited Web API cannot hold the threads that
  acks need. A reply that fails for good is logged with its event id.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from functools import partial
from typing import Any, Protocol, TypeVar

from bot.slack.dedupe import EventDeduper, MemoryDeduper
from bot.store.failures import failure_kind
from bot.store.protocols import Asked, AskedSink

log = logging.getLogger("pmbot.resilience")
T = TypeVar("T")
STORE_COOLDOWN_SECONDS = 5.0
# A locked SQLite write is tried again after these pauses, if it failed fast: one that
# waited out the busy timeout is not retried (the ack has 3 s).
LOCK_BACKOFF_SECONDS = (0.02, 0.08, 0.25)
LOCK_RETRY_WITHIN = 0.5
BATCH_SECONDS = 0.25


def first_line(error: BaseException) -> str:
    """An error in one line: SQLAlchemy appends the SQL and a help link, and a
    SlackApiError the whole response; its error code is what a person needs."""
    response: Any = getattr(error, "response", None)
    code = response.get("error") if hasattr(response, "get") else None
    if code:
        return str(code)
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class InlineExecutor(Executor):
    """Runs work at once, in the caller's thread (the shell and listener tests)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class StoreGuard:
    def __init__(
        self,
        cooldown: float = STORE_COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cooldown = cooldown
        self.clock = clock
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.clock() >= self._down_until

    def run(
        self,
        what: str,
        call: Callable[[], T],
        errors: tuple[type[Exception], ...] = (Exception,),
    ) -> tuple[bool, T | None]:
        """(True, value) when the store answered; (False, None) when it is down.
        `errors`: what counts as the store failing (narrower when `call` also talks
        to Slack, whose failures must not mark the store down)."""
        if not self.available:
            return False, None
        for pause in (*LOCK_BACKOFF_SECONDS, None):
            started = time.monotonic()
            try:
                value = call()
                break
            except errors as error:  # any driver or OS error: answering goes on without it
                kind = failure_kind(error)
                fast = time.monotonic() - started < LOCK_RETRY_WITHIN
                if kind == "contention" and pause is not None and fast:
                    time.sleep(pause)
                    continue
                self._failed(what, error, kind)
                return False, None
        if self._down:
            with self._lock:
                self._down = False
            log.warning("store is back (%s)", what)
        return True, value

    def _failed(self, what: str, error: Exception, kind: str) -> None:
        if kind != "outage":  # contention outlasting the retries, or bad data: this call
            log.warning("store refused (%s): %s: %s", what, kind, first_line(error))
            return
        with self._lock:
            self._down_until = self.clock() + self.cooldown
            first, self._down = not self._down, True
        # One warning per outage; while it lasts, each retry only at DEBUG.
        log.log(
            logging.WARNING if first else logging.DEBUG,
            "store unavailable (%s): %s: %s; answering without it",
            what,
            type(error).__name__,
            first_line(error),
        )


class SeenInStore(Protocol):
    def first_time(self, event_id: str) -> bool: ...


class FallbackDeduper:
    """The store decides across processes; this process's memory decides when the
    store is down, and also catches a retry of an event handled during an outage."""

    def __init__(
        self, store: SeenInStore, guard: StoreGuard, memory: EventDeduper | None = None
    ) -> None:
        self.store = store
        self.guard = guard
        self.memory = memory or MemoryDeduper()

    def first_time(self, event_id: str) -> bool:
        fresh_here = self.memory.first_time(event_id)
        ok, fresh = self.guard.run("event de-duplication", lambda: self.store.first_time(event_id))
        return bool(fresh) and fresh_here if ok else fresh_here


class QuestionLog:
    """`Asked` rows for `pmbot report`, written in batches by
    one daemon thread; with `background=False` written at once (tests, the shell)."""

    def __init__(
        self, sink: AskedSink, guard: StoreGuard, background: bool, max_pending: int = 10_000
    ) -> None:
        self.sink = sink
        self.guard = guard
        self._queue: queue.Queue[Asked | None] = queue.Queue(max_pending)
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="pmbot-questions", daemon=True)
            self._thread.start()

    def add(
        self, topic: str | None, status: str, question: str, user: str, reason: str | None
    ) -> None:
        row: Asked = (topic, status, question, user, reason)
        if self._thread is None:
            self.guard.run("question log", lambda: self.sink.record_asked([row]))
            return
        try:
            self._queue.put_nowait(row)
        except queue.Full:  # the store is far behind; counting is not worth blocking for
            log.warning("question log full; a question was not counted")

    def _run(self) -> None:
        while True:
            row = self._queue.get()
            # Gather for a moment: one transaction for a burst of questions costs
            # the server far less CPU than one per question (counts may lag 0.25 s).
            if row is not None:
                time.sleep(BATCH_SECONDS)
            batch = [row]
            while len(batch) < 5_000 and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            rows = [r for r in batch if r is not None]
            if rows:
                self.guard.run("question log", partial(self.sink.record_asked, rows))
            if None in batch:
                return

    def close(self, timeout: float) -> None:
        if self._thread is not None:
            try:
                self._queue.put(None, timeout=timeout)
            except queue.Full:
                return
            self._thread.join(timeout)


class ReplyPool:
    """Post-ack Slack work on `threads` daemon threads (or inline when threads=0).

    Daemon threads, not a ThreadPoolExecutor, because a process must be able to
    exit while a call is stuck on Slack: shutdown waits a bounded time, then
    logs what it hands back."""

    def __init__(self, threads: int = 0, max_pending: int = 1_000) -> None:
        self.max_pending = max_pending
        self._queue: queue.Queue[tuple[int, Callable[[], object], str, str]] = queue.Queue()
        self._pending: dict[int, tuple[str, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"pmbot-reply-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, work: Callable[[], object], what: str, ref: str = "-") -> bool:
        """Run `work` (a reply: `what`, for event or request `ref`); False if refused."""
        if not self._threads:
            self._call(work, what, ref)
            return True
        with self._lock:
            if self._closed or len(self._pending) >= self.max_pending:
                why = "shutting down" if self._closed else "too many replies waiting"
                log.error("%s for %s not sent: %s", what, ref, why)
                return False
            job = next(self._ids)
            self._pending[job] = (what, ref)
            self._queue.put((job, work, what, ref))
        return True

    def _work(self) -> None:
        while True:
            job, work, what, ref = self._queue.get()
            try:
                self._call(work, what, ref)
            finally:
                with self._lock:
                    self._pending.pop(job, None)
                    self._lock.notify_all()

    @staticmethod
    def _call(work: Callable[[], object], what: str, ref: str) -> None:
        try:
            work()
        except Exception as error:  # after the ack there is nobody to hand an error to
            log.error(
                "%s for %s failed for good: %s: %s",
                what,
                ref,
                type(error).__name__,
                first_line(error),
            )

    def close(self, timeout: float) -> list[tuple[str, str]]:
        """Stop taking replies, wait up to `timeout` for those in flight; return (and
        log) the ones still unfinished, which are handed back unanswered."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._closed = True
            while self._pending and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())
            left = list(self._pending.values())
        for what, ref in left:
            log.error("%s for %s not sent: shutting down", what, ref)
        return left
