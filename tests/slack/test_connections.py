from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

import pytest

from bot.slack.connections import AcceptErrorLog


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_running_out_of_descriptors_is_one_line_a_second(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    handler = AcceptErrorLog(clock)
    loop = asyncio.new_event_loop()
    error = OSError(24, "Too many open files")
    context = {"message": "socket.accept() out of system resource", "exception": error}
    with caplog.at_level(logging.WARNING, logger="pmbot.server"):
        for _ in range(500):  # a busy accept loop: hundreds of failures a second
            handler(loop, context)
            clock.now += 0.001
        clock.now += 1.0
        handler(loop, context)
    loop.close()
    assert [r.getMessage() for r in caplog.records] == [
        "cannot accept connections: [Errno 24] Too many open files",
        "cannot accept connections: [Errno 24] Too many open files (499 more since the last line)",
    ]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback


def test_other_loop_errors_still_reach_asyncio(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        AcceptErrorLog()(loop, {"message": "Task exception was never retrieved"})
    loop.close()
    assert [r.getMessage() for r in caplog.records] == ["Task exception was never retrieved"]


def test_the_cap_leaves_half_the_descriptors_to_the_rest() -> None:
    """A process allowed 100 files takes at most 50 connections."""
    code = (
        "import resource\n"
        "_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (100, hard))\n"
        "from bot.slack.connections import connection_cap\n"
        "print(connection_cap(512), connection_cap(30))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["50", "30"]
