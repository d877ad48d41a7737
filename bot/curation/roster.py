"""`/pm curators`: who may curate, and, serving every workspace, adding and removing
them. Whoever installed pmbot and the workspace's admins always are; the rest are
added by a curator (`/pm curators add @user`) and kept in the workspace's database.
With one workspace, PMBOT_CURATORS says who they are, and only it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.curation.tables import curators
from bot.slack.names import USER_MENTION, mention
from bot.store.protocols import SqlDatabase

CURATORS = "curators"
ACTIONS = ("add", "remove")
USAGE = "Try `/pm curators`, `/pm curators add @user` or `/pm curators remove @user`."
FIXED = "Curators here are set by PMBOT_CURATORS, by whoever runs pmbot (docs/curators.md)."
ADMINS = "workspace admins and owners"


class CuratorRoster:
    """The `pmbot_curators` table of one workspace's database."""

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    def ids(self) -> frozenset[str]:
        with self.db.connect() as conn:
            return frozenset(str(u) for u in conn.execute(select(curators.c.user_id)).scalars())

    def add(self, user: str, by: str) -> bool:
        """False when `user` already was one (a retried command changes nothing)."""
        row = {"user_id": user, "added_by": by, "added_at": self.db.clock()}
        try:
            with self.db.begin() as conn:
                conn.execute(insert(curators).values(**row))
        except IntegrityError:
            return False
        return True

    def remove(self, user: str) -> bool:
        with self.db.begin() as conn:
            return bool(conn.execute(delete(curators).where(curators.c.user_id == user)).rowcount)


def claims_curators(words: list[str]) -> bool:
    """`/pm curators`, `… add @x`, `… remove @x`; "curators of what" is a question."""
    first = words[0].lower() if words else ""
    return first == CURATORS and (len(words) == 1 or words[1].lower() in ACTIONS)


def listing(
    installer: str | None, users: frozenset[str], groups: tuple[str, ...], admins: bool
) -> dict[str, Any]:
    """`/pm curators`: who they are, the installer first (named, not pinged: ephemeral)."""
    named = [mention(u, "user") for u in ([installer] if installer else [])]
    named += [mention(u, "user") for u in sorted(users - {installer})]
    named += [mention(g, "usergroup") for g in groups]
    named += [ADMINS] if admins else []
    if not named:
        return {"text": "Nobody is a curator here yet. " + FIXED}
    return {"text": "Curators here: " + ", ".join(named) + "."}


def change(
    roster: CuratorRoster | None, installer: str | None, args: list[str], by: str
) -> dict[str, Any]:
    """`/pm curators add|remove @user` by a curator: the reply."""
    if roster is None:
        return {"text": FIXED}
    action = args[0].lower() if args else ""
    users = USER_MENTION.findall(" ".join(args[1:]))
    if action not in ACTIONS or len(users) != 1:
        return {"text": USAGE}
    user, who = users[0], mention(users[0], "user")
    if action == "add":
        done = roster.add(user, by)
        return {"text": f"{who} is now a curator." if done else f"{who} already is a curator."}
    if user == installer:
        return {"text": f"{who} installed pmbot here and stays a curator."}
    done = roster.remove(user)
    return {"text": f"{who} is no longer a curator." if done else f"{who} was not a curator."}
