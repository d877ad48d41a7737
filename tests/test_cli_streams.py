"""`pmbot ask --json` as a real process: bad bytes in, a reader that stops early."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

# Strict UTF-8 streams, as under a person's en_US.UTF-8 terminal (a C locale, as
# here, would let bad bytes through as surrogates instead of failing).
ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "PYTHONPATH": str(REPO),
    "PYTHONIOENCODING": "utf-8:strict",
}


def test_invalid_utf8_on_stdin_is_answered_not_a_traceback(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_bytes(b"who owns \xff\xfe scope\nwho owns the roadmap\n")
    with questions.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json"],
            stdin=stdin,
            capture_output=True,
            env=ENV,
            cwd=REPO,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stderr) == (0, b"")
    assert len(done.stdout.splitlines()) == 2


def test_a_closed_stdout_pipe_ends_quietly(tmp_path: Path) -> None:
    """`pmbot ask --json < file | head -1`"""
    questions = tmp_path / "q.txt"
    questions.write_text("who owns the roadmap\n" * 5_000, encoding="utf-8")
    with questions.open("rb") as stdin:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "ask", "--json"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
            cwd=REPO,
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # what `head -1` does after its line
        err = process.stderr.read()
        code = process.wait(60)
    assert json.loads(first)["topic"] == "owns-roadmap"
    assert (code, err) == (0, b"")
