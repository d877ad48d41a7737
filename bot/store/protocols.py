"""What the capabilities need from a store, one small protocol each, so a second
backend implements these and nothing else (`Store` implements them all)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Connection

# (topic, status, question, user, reason): `reason` set puts the question in the
# unanswered log too (an abstention, say); None only counts it.
Asked = tuple[str | None, str, str, str, str | None]


class SqlDatabase(Protocol):
    """A SQLAlchemy database and its clock (the tip store's tables live beside ours)."""

    clock: Callable[[], float]

    def begin(self) -> AbstractContextManager[Connection]: ...

    def connect(self) -> AbstractContextManager[Connection]: ...


class SeenEvents(Protocol):
    def first_time(self, event_id: str, ttl_seconds: float) -> bool: ...

    def forget_events(self, older_than_seconds: float) -> int: ...


class AskedSink(Protocol):
    def record_asked(self, rows: list[Asked]) -> None: ...


class FeedbackSink(Protocol):
    def record_vote(
        self, topic: str | None, vote: str, user: str, question: str, answer: str = ""
    ) -> None: ...
