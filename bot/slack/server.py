"""Serving the Bolt app: HTTP (Starlette under uvicorn) or Socket Mode.

Why Starlette + uvicorn: a production ASGI server that starts in milliseconds,
runs in-process for tests on a loopback port, and lets /healthz sit beside
/slack/events. Bolt's dispatch is synchronous, so it runs in a worker thread:
a slow database or Slack call never stalls the event loop for other requests.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.config import ConfigError, Settings
from bot.slack.connections import (
    MAX_CONNECTIONS,
    AcceptErrorLog,
    bounded_protocol,
    connection_cap,
)
from bot.slack.resilience import first_line

if TYPE_CHECKING:
    import uvicorn

MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few KB; refuse anything absurd
BODY_READ_SECONDS = 2.0  # Slack sends a whole body at once; a trickle is not Slack
SHUTDOWN_SECONDS = 10.0  # platforms allow about 30 s between SIGTERM and SIGKILL
log = logging.getLogger("pmbot.server")


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


# Parts of a payload Bolt reads as objects when they are there at all.
OBJECT_PARTS = ("user", "team", "channel", "container", "view", "message", "enterprise")


def _shape_problem(body: dict[str, object]) -> str | None:
    """What Bolt would trip over (with a 500 and a traceback) in a parsed body, before
    it runs: a signed request of the wrong shape is a 400, not a crash."""
    kind = body.get("type")
    if kind == "event_callback" and not isinstance(body.get("event"), dict):
        return "event_callback without an event object"
    for part in OBJECT_PARTS:
        if body.get(part) is not None and not isinstance(body.get(part), dict):
            return f"{part} is not an object"
    if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
        return f"{kind} without a view object"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(
            isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions
        ):
            return "block_actions without a list of actions"
    return None


class BodyTooLarge(Exception):
    """More than MAX_BODY_BYTES came in: nothing more is read."""


async def read_body(request: Request) -> bytes:
    """The body, read as it arrives and given up past MAX_BODY_BYTES, whatever the
    transfer encoding says: a chunked upload of gigabytes costs one megabyte."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_slack_request(request: Request) -> BoltRequest | Response:
    """The request as Bolt takes it, or the 4xx that refuses it before Bolt runs."""
    declared = request.headers.get("content-length")  # none: chunked, say
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        return _error(413, "request too large")
    # Bolt turns the timestamp into an int before it checks the signature; a
    # non-numeric one is simply not a signed Slack request.
    stamp = request.headers.get("x-slack-request-timestamp")
    if stamp is not None and not (stamp.isascii() and stamp.isdigit()):
        return _error(401, "invalid request timestamp")
    try:
        async with asyncio.timeout(BODY_READ_SECONDS):  # no extra task, unlike wait_for
            body = await read_body(request)
    except TimeoutError:  # a Content-Length larger than what was sent, or a trickle
        return _error(408, "request body incomplete")
    except BodyTooLarge:
        return _error(413, "request too large")
    try:
        bolt_request = to_bolt_request(request, body)
    except (ValueError, AttributeError, TypeError, KeyError, RecursionError):
        # Bolt parses before it verifies; junk (a JSON list, bad UTF-8, JSON
        # nested thousands deep) lands here.
        return _error(400, "malformed request")
    problem = _shape_problem(bolt_request.body)
    return bolt_request if problem is None else _error(400, problem)


def http_app(bolt_app: App, ready: Callable[[], str | None] | None = None) -> Starlette:
    """/slack/events, /healthz (liveness: the process answers; no I/O) and /readyz
    (readiness: `ready()` returns None when the store answers, else what is wrong)."""

    async def slack_events(request: Request) -> Response:
        bolt_request = await _read_slack_request(request)
        if isinstance(bolt_request, Response):
            return bolt_request  # refused before Bolt sees it
        try:
            bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        except Exception as error:  # a shape Bolt trips over that the checks missed
            log.error("request failed: %s: %s", type(error).__name__, first_line(error))
            return _error(500, "internal error")
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(request: Request) -> Response:
        problem = await run_in_threadpool(ready) if ready is not None else None
        if problem is not None:
            return JSONResponse({"ok": False, "problem": problem}, status_code=503)
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *_oauth_routes(bolt_app),
        ]
    )


def _oauth_routes(bolt_app: App) -> list[Route]:
    """With OAuth: the install page (an "Add to Slack" button) and the redirect that
    completes an install, both Bolt's own flow (state checked, installation stored)."""
    flow = bolt_app.oauth_flow
    if flow is None:
        return []

    def route(path: str, handle: Callable[[BoltRequest], BoltResponse]) -> Route:
        async def endpoint(request: Request) -> Response:
            bolt_request = to_bolt_request(request, b"")
            return to_starlette_response(await run_in_threadpool(handle, bolt_request))

        return Route(path, endpoint, methods=["GET"])

    return [
        route(flow.install_path, flow.handle_installation),
        route(flow.redirect_uri_path, flow.handle_callback),
    ]


def bounded_server(
    asgi_app: Starlette, max_connections: int | None = None, **config: Any
) -> uvicorn.Server:
    """uvicorn as pmbot serves, in production and in the tests alike: connections
    bounded (bot/slack/connections.py), descriptor exhaustion logged once a second."""
    import uvicorn

    protocol = bounded_protocol(connection_cap(max_connections or MAX_CONNECTIONS))
    settings = uvicorn.Config(asgi_app, http=protocol, lifespan="off", **config)

    class BoundedServer(uvicorn.Server):
        async def serve(self, sockets: list[socket.socket] | None = None) -> None:
            asyncio.get_running_loop().set_exception_handler(AcceptErrorLog())
            await super().serve(sockets)

    return BoundedServer(settings)


class BackgroundServer:
    """uvicorn serving an ASGI app from a thread on 127.0.0.1 (tests, benchmarks)."""

    def __init__(
        self, asgi_app: Starlette, port: int = 0, max_connections: int | None = None
    ) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self._server = bounded_server(
            asgi_app, max_connections, log_level="warning", access_log=False
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


def _on_stop_signals(handler: Callable[[int, FrameType | None], object]) -> None:
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, handler)


def serve_http(
    bolt_app: App, settings: Settings, ready: Callable[[], str | None] | None = None
) -> None:
    """Until SIGTERM or SIGINT: then uvicorn stops accepting connections and lets
    requests in flight finish (at most SHUTDOWN_SECONDS), and this returns."""
    log.info("serving HTTP on %s:%d at /slack/events", settings.host, settings.port)
    server = bounded_server(
        http_app(bolt_app, ready),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's lines go through our handler, in our one format
        access_log=settings.log_level == "DEBUG",
        timeout_graceful_shutdown=int(SHUTDOWN_SECONDS),
    )
    # uvicorn re-raises the signal it caught once it has shut down; with Python's
    # default handlers that would kill the process (exit -15) or raise
    # KeyboardInterrupt before the caller could finish the replies in flight. A
    # signal before uvicorn takes over (start-up) makes it stop at once.
    _on_stop_signals(lambda number, frame: setattr(server, "should_exit", True))
    # What start-up built (the engine's index, the app) lives as long as the process:
    # out of the collector's sight, a full collection no longer walks it mid-request.
    gc.collect()
    gc.freeze()
    server.run()
    log.info("HTTP server stopped")


def serve_socket_mode(bolt_app: App, settings: Settings) -> None:
    """Until SIGTERM or SIGINT: then the connection is closed (no new events) and
    this returns, so the caller can finish the replies in flight."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    stop = threading.Event()
    _on_stop_signals(lambda number, frame: stop.set())
    log.info("connecting to Slack in Socket Mode")
    handler = SocketModeHandler(bolt_app, settings.app_token)
    try:
        handler.connect()
    except Exception as error:  # a rejected xapp- token, or Slack out of reach
        raise ConfigError(
            f"SLACK_APP_TOKEN: cannot open a Socket Mode connection ({first_line(error)}); "
            "check the app-level token (connections:write) and the network"
        ) from error
    stop.wait()
    handler.close()
    log.info("Socket Mode connection closed")
