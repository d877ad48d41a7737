"""Which message pmbot answered with which reply, so an edited @mention updates its
answer (`chat.update`) instead of getting a second one.

Kept in the store when there is one (every process sees it), and always in this
process's memory too, so a store outage costs nothing but cross-process reach:
the store is asked through the `StoreGuard`, never on the way to an answer (a
reply is recorded after it was posted, on the reply pool's thread)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from bot.slack.resilience import StoreGuard
from bot.store.answers import AnswerStore, Given
from bot.store.tables import QUESTION_TEXT_LIMIT

MEMORY_LIMIT = 10_000  # recent answers kept per process; older edits answer afresh
KEPT_SECONDS = 30 * 24 * 3600  # an edit a month later is answered afresh
PURGE_EVERY = 1_000  # answers recorded between two purges of expired rows


def same_question(a: str, b: str) -> bool:
    """An edit that only touched spacing or case asks the same question (compared as
    stored: the store keeps a question's first 500 characters)."""

    def key(text: str) -> str:
        return " ".join(text.split())[:QUESTION_TEXT_LIMIT].casefold()

    return key(a) == key(b)


class AnswersGiven(Protocol):
    def record(self, channel: str, message_ts: str, reply_ts: str, question: str) -> None: ...

    def find(self, channel: str, message_ts: str) -> Given | None: ...


class MemoryAnswers:
    """The most recent answers of this process, bounded."""

    def __init__(self, limit: int = MEMORY_LIMIT) -> None:
        self.limit = limit
        self._given: OrderedDict[tuple[str, str], Given] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, channel: str, message_ts: str, reply_ts: str, question: str) -> None:
        with self._lock:
            self._given[(channel, message_ts)] = Given(reply_ts, question)
            self._given.move_to_end((channel, message_ts))
            while len(self._given) > self.limit:
                self._given.popitem(last=False)

    def find(self, channel: str, message_ts: str) -> Given | None:
        with self._lock:
            return self._given.get((channel, message_ts))


class StoredAnswers:
    """The store first, this process's memory when the store is down or has no row."""

    def __init__(
        self,
        store: AnswerStore,
        guard: StoreGuard,
        memory: MemoryAnswers | None = None,
        purge_every: int = PURGE_EVERY,
    ) -> None:
        self.purge_every = purge_every
        self.store = store
        self.guard = guard
        self.memory = memory or MemoryAnswers()
        self._recorded = 0
        self._lock = threading.Lock()

    def record(self, channel: str, message_ts: str, reply_ts: str, question: str) -> None:
        self.memory.record(channel, message_ts, reply_ts, question)
        self.guard.run(
            "answers given", lambda: self.store.record(channel, message_ts, reply_ts, question)
        )
        with self._lock:  # no cleanup job: every so often a recording purges old rows
            self._recorded += 1
            purge = self._recorded % self.purge_every == 0
        if purge:
            self.guard.run("answers given", lambda: self.store.forget(KEPT_SECONDS))

    def find(self, channel: str, message_ts: str) -> Given | None:
        ok, found = self.guard.run("answers given", lambda: self.store.find(channel, message_ts))
        return found if ok and found is not None else self.memory.find(channel, message_ts)
