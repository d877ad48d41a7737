"""The stand-in's HTTP side: requests in (form or JSON, as WebClient and Bolt's
`respond` send them), recorded calls' answers out."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

Answer = tuple[int, dict[str, str], dict[str, Any]]


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to one
    params: dict[str, Any]
    path: str = ""
    response: dict[str, Any] = field(default_factory=dict)
    token: str = ""  # the bearer token it came with (each workspace has its own)


def decode(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        data = json.loads(raw)
        return data if isinstance(data, dict) else {"payload": data}
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (a killed process, a timeout) is part of the tests.
        return


def handler_class(record: Callable[[Call], Answer]) -> type[BaseHTTPRequestHandler]:
    """A request handler that answers each call with `record(call)`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                params = decode(self.headers.get("Content-Type", ""), raw)
            except ValueError:
                self._send(400, {}, {"ok": False, "error": "invalid_json"})
                return
            if self.path.startswith("/api/"):
                method = self.path[len("/api/") :].split("?")[0]
            elif self.path.startswith("/response/"):
                method = "response_url"
            else:
                self._send(404, {}, {"ok": False, "error": "unknown_path"})
                return
            authorization = self.headers.get("Authorization") or ""
            if authorization.startswith("Basic "):  # oauth.v2.access: the app's id and secret
                pair = base64.b64decode(authorization[6:]).decode(errors="replace")
                params |= dict(
                    zip(("client_id", "client_secret"), pair.split(":", 1), strict=False)
                )
            bearer = authorization.removeprefix("Bearer ") if "Bearer " in authorization else ""
            token = bearer.strip() or str(params.get("token") or "")
            self._send(*record(Call(method, params, self.path, token=token)))

        def _send(self, status: int, headers: dict[str, str], body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the shell and tests read calls, not access logs

    return Handler
