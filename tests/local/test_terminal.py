"""`pmbot shell` at a real terminal (a pseudo-terminal): lines come through readline,
and what was typed is kept for the next session."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO


def read_until(fd: int, marker: bytes, seen: bytearray, after: int = 0, seconds: float = 30) -> int:
    """Read until `marker` appears in `seen` past `after` (a prompt seen before does
    not count: the next one is awaited); where that marker ends."""
    deadline = time.monotonic() + seconds
    while (found := seen.find(marker, after)) < 0:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {marker!r} in {bytes(seen[-300:])!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the other side closed
                break
    return found + len(marker)


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="no pseudo-terminals here")
def test_a_terminal_session_has_line_editing_and_keeps_its_history(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {"XDG_STATE_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "TERM": "xterm"}
    parent, child = pty.openpty()
    shell = subprocess.Popen(
        [sys.executable, "-m", "bot", "shell"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=REPO,
        env=env,
    )
    os.close(child)
    seen = bytearray()
    try:
        at = read_until(parent, b"you> ", seen)
        # Typed with a letter missing, then three steps left (the arrow key) to add it:
        # only line editing turns that into the question.
        os.write(parent, b"which pm earns ore\x1b[D\x1b[D\x1b[Dm\r")
        at = read_until(parent, b"Salaries", seen, at)
        read_until(parent, b"you> ", seen, at)  # the next prompt: ready for Ctrl-D
        os.write(parent, b"\x04")  # Ctrl-D: the end of input, as at any prompt
        assert shell.wait(timeout=30) == 0
    finally:
        shell.kill()
        os.close(parent)
    history = (tmp_path / "pmbot" / "shell_history").read_text("utf-8")
    assert history.splitlines()[-1] == "which pm earns more"


def test_a_log_line_goes_above_the_prompt_and_the_typing_is_drawn_again() -> None:
    import io
    import logging

    from bot.local.terminal import AbovePrompt

    stream = io.StringIO()
    handler = AbovePrompt("you> ", lambda: "who owns the ro", stream)
    logger = logging.getLogger("pmbot.test.above")
    logger.addHandler(handler)
    try:
        logger.warning("knowledge not reloaded")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == (
        "\r\x1b[2KWARNING pmbot.test.above: knowledge not reloaded\nyou> who owns the ro"
    )
