"""Lines typed at a terminal, as a terminal gives them: line editing and history
(readline: arrows, Ctrl-R), the history kept between sessions in the user's state
directory ($XDG_STATE_HOME/pmbot, else ~/.local/state/pmbot)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path

HISTORY_LINES = 1_000


def history_file(env: Mapping[str, str]) -> Path | None:
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]) / "pmbot" / "shell_history"
    return Path(env["HOME"]) / ".local/state/pmbot/shell_history" if env.get("HOME") else None


def typed_lines(prompt: str, history: Path | None) -> Iterator[str]:
    """What is typed, a line at a time, until end of input (Ctrl-D)."""
    try:
        import readline  # input() gains line editing once it is loaded
    except ImportError:  # a Python without it: plain lines still work
        readline = None  # type: ignore[assignment]
    if readline is not None and history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        readline.set_history_length(HISTORY_LINES)
    try:
        while True:
            try:
                yield input(prompt)
            except EOFError:
                return
    finally:
        if readline is not None and history is not None:
            with contextlib.suppress(OSError):  # a read-only home: no history, same shell
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
