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
        self.users = frozenset(i for i in ids if not i.startswith("S"))
        self.groups = tuple(i for i in ids if i.startswith("S"))
        self.clock = clock
        self.members_seconds = members_seconds
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.users or self.groups)

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
    it and the workspace's admins and owners (users.info, kept MEMBERS_SECONDS)."""

    def __init__(
        self,
        installer: str | None,
        clock: Callable[[], float] = time.monotonic,
        members_seconds: float = MEMBERS_SECONDS,
    ) -> None:
        super().__init__((installer,) if installer else (), clock, members_seconds)
        self._admins: dict[str, tuple[float, bool]] = {}

    @property
    def enabled(self) -> bool:
        return True  # an admin can always curate

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
