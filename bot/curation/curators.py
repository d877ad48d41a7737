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

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.curation.roster import CuratorRoster
from bot.slack.resilience import first_line

log = logging.getLogger("pmbot.curators")
MEMBERS_SECONDS = 60.0


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
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
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
        now = self.clock()
        with self._lock:
            cached = self._members.get(group)
        if cached is not None and now - cached[0] < self.members_seconds:
            return cached[1]
        try:
            users = client.usergroups_users_list(usergroup=group).get("users") or []
        except (SlackApiError, OSError) as error:
            # Fail closed: without the list, nobody is a curator through this group.
            log.warning("cannot read user group %s from Slack (%s)", group, first_line(error))
            return cached[1] if cached is not None else frozenset()
        members = frozenset(str(u) for u in users)
        with self._lock:
            self._members[group] = (now, members)
        return members


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
        self._admins: dict[str, tuple[float, bool]] = {}
        self._added: tuple[float, frozenset[str]] | None = None

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
        if self._roster is None:
            return frozenset()
        now, cached = self.clock(), self._added
        if cached is not None and now - cached[0] < self.members_seconds:
            return cached[1]
        try:
            ids = self._roster.ids()
        except SQLAlchemyError as error:
            log.warning("cannot read the added curators (%s)", first_line(error))
            return cached[1] if cached is not None else frozenset()
        self._added = (now, ids)
        return ids

    def changed(self) -> None:
        """`/pm curators add` or `remove` ran here: read them again."""
        self._added = None

    def allows(self, user: str, client: WebClient) -> bool:
        return super().allows(user, client) or (bool(user) and self._is_admin(user, client))

    def _is_admin(self, user: str, client: WebClient) -> bool:
        now = self.clock()
        with self._lock:
            cached = self._admins.get(user)
        if cached is not None and now - cached[0] < self.members_seconds:
            return cached[1]
        try:
            found = client.users_info(user=user).get("user") or {}
        except (SlackApiError, OSError) as error:  # fail closed, as for a user group
            log.warning("cannot read user %s from Slack (%s)", user, first_line(error))
            return False
        admin = bool(found.get("is_admin") or found.get("is_owner"))
        with self._lock:
            self._admins[user] = (now, admin)
        return admin
