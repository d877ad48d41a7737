"""Serving the Bolt app: HTTP (Starlette under uvicorn) or Socket Mode.

Why Starlette + uvicorn: a production ASGI server that starts in milliseconds,
runs in-process for tests on a loopback port, and lets /healthz sit beside
/slack/events. Bolt's dispatch is synchronous, so it runs in a worker thread:
a slow database or Slack call never stalls the event loop for other requests.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.config import Settings

MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few KB; refuse anything absurd
log = logging.getLogger("pmbot.server")


def http_app(bolt_app: App) -> Starlette:
    async def slack_events(request: Request) -> Response:
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            return JSONResponse({"error": "request too large"}, status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "request too large"}, status_code=413)
        try:
            bolt_request = to_bolt_request(request, body)
        except (ValueError, AttributeError, TypeError, KeyError):
            # Bolt parses before it verifies; junk (a JSON list, bad UTF-8) lands here.
            return JSONResponse({"error": "malformed request"}, status_code=400)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


class BackgroundServer:
    """uvicorn serving an ASGI app from a thread on 127.0.0.1 (tests, benchmarks)."""

    def __init__(self, asgi_app: Starlette, port: int = 0) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        config = uvicorn.Config(asgi_app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
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


def serve_http(bolt_app: App, settings: Settings) -> None:
    import uvicorn

    log.info("serving HTTP on %s:%d at /slack/events", settings.host, settings.port)
    uvicorn.run(
        http_app(bolt_app),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=settings.log_level == "DEBUG",
    )


def serve_socket_mode(bolt_app: App, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("connecting to Slack in Socket Mode")
    SocketModeHandler(bolt_app, settings.app_token).start()
