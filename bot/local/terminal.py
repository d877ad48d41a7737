"""Lines typed at a terminal, as a terminal gives them: line editing and history
(readline: arrows, Ctrl-R), the history kept between sessions in the user's state
directory ($XDG_STATE_HOME/pmbot, else ~/.local/state/pmbot)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

from bot.answers.location import user_dir

HISTORY_LINES = 1_000


def history_file(env: Mapping[str, str]) -> Path | None:
    folder = user_dir(env, "XDG_STATE_HOME")
    return folder / "shell_history" if folder else None


class AbovePrompt(logging.Handler):
    """A log line (a hot reload's warning, say) printed above the prompt, which is
    then drawn again with what was being typed, instead of landing in the middle."""

    def __init__(self, prompt: str, typed: Callable[[], str], stream: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.prompt, self.typed, self.stream = prompt, typed, stream
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        self.stream.write(f"\r\x1b[2K{line}\n{self.prompt}{self.typed()}")
        self.stream.flush()


def typed_lines(prompt: str, history: Path | None) -> Iterator[str]:
    """What is typed, a line at a time, until end of input (Ctrl-D)."""
    try:
        import readline  # input() gains line editing once it is loaded
    except ImportError:  # a Python without it: plain lines still work
        readline = None  # type: ignore[assignment]
    typed = readline.get_line_buffer if readline is not None else str
    above = AbovePrompt(prompt, typed, sys.stderr)
    logging.getLogger().addHandler(above)
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
        logging.getLogger().removeHandler(above)
        if readline is not None and history is not None:
            with contextlib.suppress(OSError):  # a read-only home: no history, same shell
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
