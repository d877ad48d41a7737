"""A stand-in for Slack's Web API on 127.0.0.1, for the local shell and for tests.

It answers the methods pmbot calls the way Slack documents them, records every
call (including posts to a `response_url`), and can be told to fail a method a
number of times (429 with Retry-After, 5xx, or an `ok: false` error) so fault
handling is tested against real HTTP.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.local.standin_http import Call, QuietServer, handler_class
from bot.local.standin_oauth import OAuthStandIn

# How often the idle server looks for a stop: stopping waits up to this long, once
# per test that starts one (hundreds), so it is short.
POLL_SECONDS = 0.005
BOT_USER_ID = "UPMBOT0001"
TEAM_ID = "TLOCAL0001"


@dataclass
class Fault:
    """How to fail the next `times` calls of a method. With `delay`, the answer
    waits that long first (a process can be killed meanwhile); with `deliver`,
    a posted message counts as delivered before the wait, as when Slack got the
    post but its answer never came back."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1
    delay: float = 0.0
    deliver: bool = False


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    user_time_zones: dict[str, str] = field(default_factory=dict)
    channels_without_bot: set[str] = field(default_factory=set)
    missing_channels: set[str] = field(default_factory=set)
    archived_channels: set[str] = field(default_factory=set)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    user_groups: dict[str, list[str]] = field(default_factory=dict)  # S… -> members
    # users.info's display name; by default the id without its U, lower case (the
    # shell's `@alice` is UALICE); usergroups.list's handle, by default the id.
    user_names: dict[str, str] = field(default_factory=dict)
    group_handles: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)  # users.info's is_admin


class WebApiStandIn:
    """Start with `with WebApiStandIn() as api:`; point WebClient at `api.base_url`."""

    def __init__(
        self,
        bot_user_id: str = BOT_USER_ID,
        clock: Callable[[], float] = time.time,
        port: int = 0,
    ) -> None:
        self.bot_user_id = bot_user_id
        self.clock = clock  # Slack's clock: message ts values come from it
        self.state = _State()
        self.oauth = OAuthStandIn()  # once it has issued a token, only its tokens work
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._stopping = threading.Event()
        self._server = QuietServer(("127.0.0.1", port), handler_class(self._record))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )

    # --- lifecycle -----------------------------------------------------------
    def start(self) -> WebApiStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers held by a `delay` fault
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"  # an IPv4 server: the host is a str

    @property
    def base_url(self) -> str:
        return self.url + "api/"

    def response_url(self, name: str = "1") -> str:
        return f"{self.url}response/{name}"

    # --- scripting and reading ---------------------------------------------------
    def fail(self, method: str, fault: Fault) -> None:
        with self._lock:
            self.state.faults.setdefault(method, []).append(fault)

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self.state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` arrived (listeners run after the ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.state.calls if c.method == method]
                if len(found) >= count or time.monotonic() >= deadline:
                    return found
                self._lock.wait(timeout=max(0.0, deadline - time.monotonic()))

    def clear(self) -> None:
        with self._lock:
            self.state.calls.clear()

    # --- answering -------------------------------------------------------------
    def _record(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            self.state.calls.append(call)
            self._lock.notify_all()
            queue = self.state.faults.get(call.method) or []
            fault = queue[0] if queue else None
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    queue.pop(0)
        if fault is not None:
            if fault.deliver:
                call.response = self._answer(call)
            self._stopping.wait(fault.delay)
            if fault.deliver:
                return 200, {}, call.response
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            call.response = {"ok": False, "error": fault.error or "fault"}
            return fault.status, headers, call.response
        call.response = self._answer(call)
        return 200, {}, call.response

    def _auth_test(self) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://local.slack.invalid/",
            "team": "Local",
            "user": "pmbot",
            "team_id": TEAM_ID,
            "user_id": self.bot_user_id,
            "bot_id": "BPMBOT0001",
        }

    def _answer(self, call: Call) -> dict[str, Any]:
        p, ts = call.params, f"{self.clock():.0f}.{next(self._ts):06d}"
        channel = str(p.get("channel") or "")
        state = self.state
        if call.method == "oauth.v2.access":
            return self.oauth.access(p)
        grant = self.oauth.owner(call.token)  # once OAuth issued a token, only those work
        if self.oauth.issued and call.method != "response_url" and grant is None:
            return {"ok": False, "error": "invalid_auth"}
        if call.method == "auth.test":
            return self._auth_test() if grant is None else self.oauth.auth_test(grant)
        if call.method in ("chat.postMessage", "conversations.info"):
            if channel in state.missing_channels:
                return {"ok": False, "error": "channel_not_found"}
            if channel in state.archived_channels:
                return {"ok": False, "error": "is_archived"}
        if call.method == "chat.postMessage":
            if channel in state.channels_without_bot:
                return {"ok": False, "error": "not_in_channel"}
            kept = ("text", "blocks", "thread_ts", "metadata")
            message = {**{k: v for k, v in p.items() if k in kept}, "ts": ts, "type": "message"}
            with self._lock:
                state.history.setdefault(channel, []).append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if call.method == "chat.update":  # an answer updated in place (an edited mention)
            return {"ok": True, "channel": channel, "ts": p.get("ts"), "text": p.get("text")}
        if call.method.startswith("conversations.") or call.method == "chat.getPermalink":
            return self._conversation(call.method, p, channel)
        if call.method == "users.info":
            user = str(p.get("user") or "")
            tz = state.user_time_zones.get(user, "America/New_York")
            name = state.user_names.get(user, user[1:].lower())
            profile = {"display_name": name, "real_name": name.title()}
            found = {"id": user, "tz": tz, "is_bot": False, "is_admin": user in state.admins}
            return {"ok": True, "user": found | {"profile": profile}}
        if call.method == "usergroups.list":
            handles = {g: state.group_handles.get(g, g.lower()) for g in state.user_groups}
            handles |= state.group_handles
            groups = [{"id": g, "handle": h} for g, h in handles.items()]
            return {"ok": True, "usergroups": groups}
        if call.method == "usergroups.users.list":
            members = state.user_groups.get(str(p.get("usergroup") or ""))
            if members is None:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": list(members)}
        if call.method == "views.publish":
            return {"ok": True, "view": {"id": "VLOCAL", **(p.get("view") or {})}}
        return {"ok": True}

    def _conversation(self, method: str, p: dict[str, Any], channel: str) -> dict[str, Any]:
        """conversations.history / replies / info / open, and chat.getPermalink."""
        state = self.state
        if method == "conversations.history":
            oldest = float(p.get("oldest") or 0)
            with self._lock:
                found = [m for m in state.history.get(channel, []) if float(m["ts"]) > oldest]
            if not p.get("include_all_metadata") or p.get("include_all_metadata") == "false":
                found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
            return {"ok": True, "messages": found[::-1], "has_more": False}
        if method == "conversations.replies":  # a thread: its first message, then replies
            root = str(p.get("ts") or "")
            with self._lock:
                kept = state.history.get(channel, [])
                thread = [m for m in kept if root in (m["ts"], m.get("thread_ts"))]
            return {"ok": True, "messages": thread[: int(p.get("limit") or 1000)]}
        if method == "conversations.info":
            member = channel not in state.channels_without_bot
            info = {"id": channel, "is_member": member, "name": channel}
            if channel.startswith("D"):  # the bot's own DM with someone (no is_member)
                info = {"id": channel, "is_im": True, "user": "U1"}
            return {"ok": True, "channel": info | {"is_private": channel.startswith("G")}}
        if method == "conversations.open":
            users = str(p.get("users") or "").split(",")
            return {"ok": True, "channel": {"id": "D" + "".join(u[1:] for u in users)[:20]}}
        if method == "chat.getPermalink":
            if channel in state.missing_channels:
                return {"ok": False, "error": "channel_not_found"}
            message = str(p.get("message_ts") or "").replace(".", "")
            link = f"https://local.slack.invalid/archives/{channel}/p{message}"
            return {"ok": True, "channel": channel, "permalink": link}
        return {"ok": True}
