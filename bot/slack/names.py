"""People by name: answers and hand-offs inform, they do not ping (role holders,
the asker of a hand-off, the colleague who answered it). A person's name comes from
`users.info`, a user group's handle from `usergroups.list` (one call gives them
all); both are kept for NAMES_SECONDS. Only replies sent after the ack look names
up; an answer in the ack itself (ephemeral, so nobody but the asker is notified)
keeps Slack's mention markup, which Slack shows as the name.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.mrkdwn import escape, printable

log = logging.getLogger("pmbot.slack")
# A user mention as Slack sends it (`<@U123>` or `<@U123|name>`); an id is about 11
# characters and the columns take 32, so a longer one is no id.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^<>]*)?>")
NAMES_SECONDS = 3600.0
MAX_CACHED_NAMES = 10_000


def mention(holder_id: str, kind: str) -> str:
    """A ping, as Slack writes one: `<@U…>` for a person, `<!subteam^S…>` for a user
    group (named, not pinged, is `Names.name`)."""
    return f"<!subteam^{holder_id}>" if kind == "usergroup" else f"<@{holder_id}>"


class Names:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._names: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def name(self, client: WebClient, holder_id: str, kind: str) -> str:
        """`@name` for a person or a user group, as plain text: it pings nobody.
        When Slack cannot say, the id stands in (`@U123`), still plain text."""
        with self._lock:
            known = self._names.get(holder_id)
        if known is None or known[0] < self.clock():
            found = self._look_up(client, holder_id, kind)
            if found is None:
                return f"@{holder_id}"
            known = self._keep(holder_id, found)
        return known[1]

    def _keep(self, holder_id: str, name: str) -> tuple[float, str]:
        entry = (self.clock() + NAMES_SECONDS, f"@{escape(printable(name))}")
        with self._lock:
            if len(self._names) >= MAX_CACHED_NAMES:
                self._names.clear()
            self._names[holder_id] = entry
        return entry

    def _look_up(self, client: WebClient, holder_id: str, kind: str) -> str | None:
        try:
            if kind == "usergroup":
                groups = client.usergroups_list().get("usergroups") or []
                for group in groups:  # one call names every group: keep them all
                    if group.get("id") and group.get("handle"):
                        self._keep(str(group["id"]), str(group["handle"]))
                found: dict[str, Any] = next((g for g in groups if g.get("id") == holder_id), {})
                return str(found.get("handle") or "") or None
            user = client.users_info(user=holder_id).get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name")
            return str(name) if name else None
        except (SlackApiError, OSError) as error:
            log.warning("cannot name %s: %s", holder_id, type(error).__name__)
            return None
