"""Bounds on connections for a public endpoint, so slow or silent clients cannot
starve real requests of file descriptors (uvicorn has no header timeout).

- A client must send a request's headers within HEADER_SECONDS of connecting, or
  of its last response: else it is dropped. Slack sends a whole request at once.
- Past `max_connections`, the connection that has waited longest for headers is
  dropped to make room, so `/pm` is still answered while hundreds of clients hang.
- When the process still runs out of descriptors, asyncio's "socket.accept() out
  of system resource" is logged in one line at most once a second, not a traceback
  per attempt.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("pmbot.server")
HEADER_SECONDS = 5.0
MAX_CONNECTIONS = 512
ACCEPT_LOG_SECONDS = 1.0


def connection_cap(wanted: int = MAX_CONNECTIONS) -> int:
    """`wanted`, or fewer when the process may open fewer files (half of them, so
    the store, the Web API and the log keep theirs)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return wanted if soft == resource.RLIM_INFINITY else max(8, min(wanted, soft // 2))


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the bounds above (see bounded_protocol)."""

    max_connections = MAX_CONNECTIONS
    header_seconds = HEADER_SECONDS
    waiting_since: float | None = None  # loop time since headers are awaited
    header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()
        if len(self.connections) > self.max_connections:
            self._make_room()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a request's headers have arrived
            self._stop_waiting()

    def on_response_complete(self) -> None:
        self._await_headers()  # first: a pipelined request may follow at once
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._stop_waiting()
        self.waiting_since = self.loop.time()
        self.header_timer = self.loop.call_later(self.header_seconds, self._drop)

    def _stop_waiting(self) -> None:
        self.waiting_since = None
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _drop(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> None:
        waiting = [
            c
            for c in self.connections
            if isinstance(c, BoundedH11Protocol) and c is not self and c.waiting_since
        ]
        if waiting:
            min(waiting, key=lambda c: c.waiting_since or 0.0)._drop()


def bounded_protocol(
    max_connections: int, header_seconds: float = HEADER_SECONDS
) -> type[BoundedH11Protocol]:
    """The protocol with these bounds, as a class for uvicorn's `Config(http=...)`."""
    bounds = {"max_connections": max_connections, "header_seconds": header_seconds}
    return type("BoundedH11Protocol", (BoundedH11Protocol,), bounds)


class AcceptErrorLog:
    """A loop exception handler: running out of descriptors is one line a second."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self.last = float("-inf")
        self.dropped = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if "socket.accept() out of system resource" not in str(context.get("message")):
            loop.default_exception_handler(context)
            return
        now = self.clock()
        if now - self.last < ACCEPT_LOG_SECONDS:
            self.dropped += 1
            return
        self.last, dropped, self.dropped = now, self.dropped, 0
        error = context.get("exception")
        more = f" ({dropped} more since the last line)" if dropped else ""
        log.warning("cannot accept connections: %s%s", error or "out of resources", more)
