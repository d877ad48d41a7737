"""Reading knowledge files: only a regular file, at most MAX_FILE_BYTES of it, as
UTF-8 text, parsed by bot.answers.yamlparse (imported when a file is first parsed).

A knowledge folder is writable by whoever edits it, and a running server reloads
it, so a file cannot be made a weapon: a FIFO is not waited on, `/dev/zero` is not
read to the end, and whatever else is named *.yaml is skipped with a warning.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path
from typing import Any

from bot.answers.problems import unreadable_file

log = logging.getLogger("pmbot.knowledge")
MAX_FILE_BYTES = 1_000_000


def read_text(path: Path, name: str) -> str:
    """A regular file's text, at most MAX_FILE_BYTES: a FIFO is not waited on (opened
    without blocking), and `/dev/zero` is not read to the end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise unreadable_file(name, 1, f"cannot read file: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise unreadable_file(name, 1, "not a regular file (a pipe, a device or a folder)")
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise unreadable_file(name, 1, f"larger than {MAX_FILE_BYTES:,} bytes: split it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable_file(name, 1, f"not UTF-8 text ({exc.reason})") from exc


def load_yaml(path: Path, display_name: str | None = None) -> Any:
    """Parse one YAML file; raise KnowledgeError naming the line on any problem."""
    from bot.answers.yamlparse import parse_yaml

    name = display_name or str(path)
    return parse_yaml(read_text(path, name), name)


def knowledge_files(path: Path) -> list[Path]:
    """The YAML files of a knowledge folder (or the one file named). Whatever else
    is named *.yaml there (a FIFO, a device, a symlink loop or one to nothing) is
    skipped, with one warning each: it cannot stall a load or a reload."""
    if not path.is_dir():
        return [path]
    found = []
    for entry in sorted(path.iterdir()):
        if entry.suffix not in (".yaml", ".yml"):
            continue
        why = _not_a_file(entry)
        if why is None:
            found.append(entry)
        elif (entry, why) not in _WARNED:
            _WARNED.add((entry, why))
            log.warning("%s: skipped: %s", entry, why)
    return found


_WARNED: set[tuple[Path, str]] = set()


def _not_a_file(entry: Path) -> str | None:
    try:
        mode = entry.stat().st_mode  # follows symlinks, as reading would
    except OSError as error:
        return "a symlink loop" if error.errno == errno.ELOOP else f"unreadable ({error.strerror})"
    return None if stat.S_ISREG(mode) else "not a regular file (a pipe, a device or a folder)"
