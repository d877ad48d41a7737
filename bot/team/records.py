"""What the team feature keeps: who holds a role in a channel, and what it needs
from a store (`HolderStore` is the SQL one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

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
