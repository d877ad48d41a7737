"""What the capabilities need from a store, one small protocol each, so a second
backend implements these and nothing else (`Store` implements them all)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

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
    def record_vote(self, topic: str | None, vote: str, user: str, question: str) -> None: ...


HolderKind = Literal["user", "usergroup"]


@dataclass(frozen=True)
class Holder:
    """One person or user group holding a role in a channel."""

    channel_id: str
    role: str
    holder_id: str
    kind: str  # a HolderKind
    set_by: str
    set_at: float


class RoleHolders(Protocol):
    """Who holds each role per channel (`/pm team`)."""

    def holders(self, channel: str) -> list[Holder]: ...

    def set_holders(
        self, channel: str, role: str, holders: list[tuple[str, HolderKind]], set_by: str
    ) -> None: ...

    def clear_holders(self, channel: str, role: str | None = None) -> int: ...

    def roles_held_by(self, holder_id: str) -> list[tuple[str, str]]: ...
