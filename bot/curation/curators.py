"""Who may curate: PMBOT_CURATORS lists Slack user ids and user group ids.

A user group's members come from Slack (usergroups.users.list, scope
`usergroups:read`) and are kept for MEMBERS_SECONDS, so a curator's clicks do not
each cost a Web API call. Only curator commands ask; answering never does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.curation.roster import CuratorRoster
from bot.slack.resilience import first_line

log = logging.getLogger("pmbot.curators")
MEMBERS_SECONDS = 60.0
T = TypeVar("T")
ROSTER = "the curators added with /pm curators add"


class Curators:
    def __init__(
        self,
        ids: Sequence[str] = (),
        clock: Callable[[], float] = time.monotonic,
        members_seconds: float = MEMBERS_SECONDS,
    ) -> None:
        self._users = frozenset(i for i in ids if not i.startswith("S"))
        self.groups = tuple(i for i in ids if i.startswith("S"))
        self.clock = clock
        self.members_seconds = members_seconds
        self._cache: dict[str, tuple[float, object]] = {}  # what -> (when read, value)
        self._lock = threading.Lock()

    @property
    def users(self) -> frozenset[str]:
        return self._users

    @property
    def enabled(self) -> bool:
        return bool(self.users or self.groups)

    @property
    def roster(self) -> CuratorRoster | None:
        """Where `/pm curators add` keeps curators; None: PMBOT_CURATORS says, alone."""
        return None

    @property
    def installer(self) -> str | None:
        return None

    def how_to_join(self) -> str:
        return "Ask whoever runs pmbot to add you to PMBOT_CURATORS."

    def changed(self) -> None:
        """The added curators changed in this process (only a roster keeps them)."""

    def allows(self, user: str, client: WebClient) -> bool:
        if not user:
            return False
        if user in self.users:
            return True
        return any(user in self._group_members(group, client) for group in self.groups)

    def _group_members(self, group: str, client: WebClient) -> frozenset[str]:
        def read() -> frozenset[str]:
            users = client.usergroups_users_list(usergroup=group).get("users") or []
            return frozenset(str(u) for u in users)

        # Fail closed: without the list, nobody is a curator through this group.
        return self._kept(f"user group {group} from Slack", read, frozenset())

    def _kept(self, what: str, read: Callable[[], T], unknown: T) -> T:
        """`read()`, kept `members_seconds`; when it fails (Slack or the store away),
        what was read last, else `unknown`, and one warning line."""
        now = self.clock()
        with self._lock:
            cached = self._cache.get(what)
        if cached is not None and now - cached[0] < self.members_seconds:
            return cast(T, cached[1])
        try:
            value = read()
        except (SlackApiError, OSError, SQLAlchemyError) as error:
            log.warning("cannot read %s (%s)", what, first_line(error))
            return cast(T, cached[1]) if cached is not None else unknown
        with self._lock:
            self._cache[what] = (now, value)
        return value

    def _forget(self, what: str) -> None:
        with self._lock:
            self._cache.pop(what, None)


class WorkspaceCurators(Curators):
    """Serving every workspace that installs pmbot: its curators are whoever installed
    it, the workspace's admins and owners (users.info), and those a curator added
    (`/pm curators add`, kept in the workspace's database); each read is kept
    MEMBERS_SECONDS, and a change in this process is seen at once."""

    def __init__(
        self,
        installer: str | None,
        roster: CuratorRoster | None = None,
        clock: Callable[[], float] = time.monotonic,
        members_seconds: float = MEMBERS_SECONDS,
    ) -> None:
        super().__init__((installer,) if installer else (), clock, members_seconds)
        self._installer, self._roster = installer, roster

    @property
    def enabled(self) -> bool:
        return True  # an admin can always curate

    @property
    def roster(self) -> CuratorRoster | None:
        return self._roster

    @property
    def installer(self) -> str | None:
        return self._installer

    @property
    def users(self) -> frozenset[str]:
        return self._users | self.added()

    def how_to_join(self) -> str:
        return "Ask a curator or a workspace admin to run `/pm curators add @you`."

    def added(self) -> frozenset[str]:
        """Those `/pm curators add` added (none when the store cannot say: fail closed)."""
        roster = self._roster
        return frozenset() if roster is None else self._kept(ROSTER, roster.ids, frozenset())

    def changed(self) -> None:
        """`/pm curators add` or `remove` ran here: read them again."""
        self._forget(ROSTER)

    def allows(self, user: str, client: WebClient) -> bool:
        return super().allows(user, client) or (bool(user) and self._is_admin(user, client))

    def _is_admin(self, user: str, client: WebClient) -> bool:
        def read() -> bool:
            found = client.users_info(user=user).get("user") or {}
            return bool(found.get("is_admin") or found.get("is_owner"))

        return self._kept(f"user {user} from Slack", read, False)
