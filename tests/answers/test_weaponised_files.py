"""Knowledge files made as weapons (issue 19): refused or skipped quickly, through the
real `pmbot validate` and a real hot reload, in bounded time and memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.answers.live import snapshot
from tests.answers.test_live import ROOM, live_on
from tests.conftest import REPO

LEVELS = "\n".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10))
ALIAS_VALUES = f"l0: &l0 [x, x, x, x, x, x, x, x, x]\n{LEVELS}\n"  # 9**10 leaves, 2 KB
ALIAS_KEY = "base: &base [a, b]\ntopics:\n  - id: a\n    *base : boom\n"  # str() of the key


# `pmbot validate` in a process of its own, which reports its own peak memory: Linux's
# VmHWM (ru_maxrss would include the peak of the test process it was forked from).
VALIDATE = """\
import resource, sys
from pathlib import Path
from bot.cli import main
code = main(["validate", sys.argv[1]])
status = Path("/proc/self/status")
lines = status.read_text().splitlines() if status.exists() else []
hwm = [line for line in lines if line.startswith("VmHWM:")]
kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kb //= 1024 if not hwm and sys.platform == "darwin" else 1  # bytes there
print("peak-kb", kb, file=sys.stderr)
sys.exit(code)
"""


def validate(folder: Path) -> tuple[int, str, float, float]:
    """Exit code, stderr (without the peak line), seconds, peak MB."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", VALIDATE, str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
        env={**os.environ, "PMBOT_KNOWLEDGE_DIR": str(folder)},
    )
    took = time.monotonic() - started
    lines = done.stderr.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("peak-kb "))
    err = "\n".join(line for line in lines if not line.startswith("peak-kb "))
    return done.returncode, err, took, peak / 1024


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", path)
    return path


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (ALIAS_KEY, 4, "a key must be plain text, not a list or an alias"),
        (ALIAS_VALUES, 6, "invalid YAML: more than 50 aliases"),
    ],
)
def test_aliases_cannot_blow_up_a_load(folder: Path, text: str, line: int, problem: str) -> None:
    (folder / "bomb.yaml").write_text(text, encoding="utf-8")
    code, err, took, peak = validate(folder)
    assert code == 2
    assert f"{folder}/bomb.yaml:{line}: {problem}" in err.splitlines()
    assert took < 5 and peak < 200, (took, peak)


def test_a_file_over_a_megabyte_is_refused(folder: Path) -> None:
    (folder / "big.yaml").write_text("# padding\n" * 150_000, encoding="utf-8")
    code, err, took, _ = validate(folder)
    assert code == 2
    assert f"{folder}/big.yaml:1: larger than 1,000,000 bytes: split it" in err.splitlines()
    assert took < 5


def test_pipes_devices_and_loops_are_skipped_with_one_warning_each(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    code, err, took, peak = validate(folder)
    assert code == 0, err
    assert took < 5 and peak < 200, (took, peak)
    skipped = sorted(line for line in err.splitlines() if ": skipped: " in line)
    assert skipped == [
        f"{folder}/loop.yaml: skipped: a symlink loop",
        f"{folder}/pipe.yaml: skipped: not a regular file (a pipe, a device or a folder)",
        f"{folder}/zero.yaml: skipped: not a regular file (a pipe, a device or a folder)",
    ]


def test_hot_reload_keeps_seeing_edits_beside_a_symlink_loop(folder: Path) -> None:
    live = live_on(folder)
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    before = snapshot(folder)
    assert before  # the loop does not blank the snapshot: the other files are seen
    (folder / "room.yaml").write_text(ROOM, encoding="utf-8")
    assert snapshot(folder) != before
    assert live.reload_files()
    assert live.current.answer("where is the kiwi room").topic == "team-room"
