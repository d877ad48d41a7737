"""`pmbot serve` as a real process on 127.0.0.1, for the fault suite."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import IO

from tests.conftest import REPO
from tests.e2e.conftest import SECRET, Reply, SlackSender


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pmbot_env(api_url: str, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": "xoxb-faults",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "INFO",
        **extra,
    }


class ServeProcess:
    """Started by `with`; stderr is collected (read it with `.log`)."""

    def __init__(self, api_url: str, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.env = pmbot_env(api_url, database_url, PORT=str(self.port), **env)
        self.sender = SlackSender(f"http://127.0.0.1:{self.port}")
        self._log: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in __exit__)  # noqa: SIM115 (closed in __exit__)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServeProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http"],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"pmbot serve exited at start:\n{self.log}")
            try:
                if self.sender.get("/healthz").status == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"pmbot serve did not start:\n{self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._log.close()

    @property
    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def signal(self, number: int = signal.SIGTERM) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def kill9(self) -> None:
        self.signal(signal.SIGKILL)
        assert self.process is not None
        self.process.wait(10)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout)


def timed(call: Callable[[], Reply]) -> tuple[float, Reply | None]:
    """(seconds, reply), or a None reply when the request failed outright."""
    started = time.monotonic()
    try:
        reply: Reply | None = call()
    except (OSError, urllib.error.URLError):
        reply = None
    return time.monotonic() - started, reply


def burst(calls: list[Callable[[], Reply]], threads: int = 8) -> list[tuple[float, Reply | None]]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(timed, calls))


def answered_in_time(results: list[tuple[float, Reply | None]], limit: float = 3.0) -> int:
    return sum(1 for took, reply in results if reply and reply.status == 200 and took < limit)


def healthz_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


class TcpProxy:
    """Forwards 127.0.0.1:port to a target; `stop()` drops every connection, as a
    database host that vanished would."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._stopped:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            with contextlib.suppress(OSError):  # shutdown wakes the blocked accept()
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
