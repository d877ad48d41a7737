"""A built engine kept on disk, so a cold `pmbot ask` starts in a blink: loading and
indexing the knowledge takes about 130 ms, reading the built engine back about 10.

The file is keyed by a hash of the knowledge files' bytes, the Python version, and
the answer code's files (name, size, modification time): any edit to either builds
a new one. It lives in the user's cache directory ($XDG_CACHE_HOME/pmbot, else
~/.cache/pmbot), created private to the user, and is read only when that directory
is the user's own and writable by nobody else (a pickle runs code when read). A
stale, corrupt or unreadable file is rebuilt; an unwritable directory (a read-only
home) is simply not used.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.knowledge import load_knowledge
from bot.answers.location import user_dir
from bot.answers.yamlfile import knowledge_files, read_text

log = logging.getLogger("pmbot.cache")
ANSWERS = Path(__file__).resolve().parent


def cache_key(knowledge: Path) -> str:
    """What the built engine depends on: the knowledge's bytes and the answer code."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(ANSWERS.glob("*.py")):
        found = source.stat()
        digest.update(f"{source.name}:{found.st_size}:{found.st_mtime_ns};".encode())
    for file in knowledge_files(knowledge):
        digest.update(file.name.encode() + b"\0" + read_text(file, str(file)).encode() + b"\0")
    return digest.hexdigest()[:32]


def _private(folder: Path) -> bool:
    """The folder is this user's, and nobody else may write to it."""
    try:
        found = folder.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return mine and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(file: Path) -> Engine | None:
    try:
        with file.open("rb") as handle:
            engine = pickle.load(handle)
    except Exception as error:  # missing, truncated, or from other code: rebuild
        if file.exists():
            log.debug("engine cache %s unreadable (%s): rebuilding", file, type(error).__name__)
        return None
    return engine if isinstance(engine, Engine) else None


def _write(folder: Path, file: Path, engine: Engine) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".engine-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(engine, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, file)  # whole or not at all, for a reader at the same time
        for old in folder.glob("engine-*.pickle"):  # one knowledge, one file
            if old != file:
                old.unlink(missing_ok=True)
    except OSError as error:  # a read-only home, a full disk: no cache, same answers
        log.debug("engine cache not written (%s)", type(error).__name__)


def cached_engine(knowledge: Path, env: Mapping[str, str]) -> Engine:
    """The engine for `knowledge`, from the cache when it was built from the same
    files by the same code; else built (raising KnowledgeError as ever) and kept."""
    folder = user_dir(env, "XDG_CACHE_HOME")
    if folder is None:
        return Engine(load_knowledge(knowledge))
    file = folder / f"engine-{cache_key(knowledge)}.pickle"
    engine = _read(file) if _private(folder) else None
    if engine is None:
        engine = Engine(load_knowledge(knowledge))
        _write(folder, file, engine)
    return engine
