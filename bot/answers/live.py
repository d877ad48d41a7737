"""Knowledge that changes while pmbot runs: the knowledge directory is edited, or a
curator teaches a phrasing or saves a topic in Slack.

`LiveEngine` holds the current `Engine` and swaps it for a new one, built from the
knowledge files plus the taught phrasings, in one reference assignment. Building
happens on a background thread (or the curator's reply thread); answering only
reads the reference, so it never waits for a rebuild, a file or the store.

- Files are polled (sizes and modification times, every `files_every` seconds,
  no dependency): a change that has settled for one poll is loaded; a broken
  change keeps the last good knowledge and logs one line, `file:line: problem`.
- Taught phrasings and curated topics come from a `TaughtSource` (the store): its cheap version
  (row count and newest id) is polled every `taught_every` seconds, and the
  phrasings are read only when it changed. Other processes' teaching arrives so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from bot.answers.curated import CuratedTopic, merge_curated
from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, KnowledgeError, knowledge_files
from bot.answers.result import Result
from bot.answers.schema import phrase_key

log = logging.getLogger("pmbot.knowledge")
FILES_EVERY_SECONDS = 0.5
TAUGHT_EVERY_SECONDS = 2.0

Taught = Mapping[str, Sequence[str]]  # topic id -> taught questions, oldest first
Snapshot = tuple[tuple[str, int, int], ...]


class TaughtSource(Protocol):
    def taught_version(self) -> object: ...

    def taught_phrasings(self) -> dict[str, list[str]]: ...

    def curated_topics(self) -> list[CuratedTopic]: ...


def merge_taught(kb: KnowledgeBase, taught: Taught) -> tuple[KnowledgeBase, dict[str, str]]:
    """`kb` with each taught question added to its topic, and the phrase keys added
    (key -> topic id). A question some topic already has (an exported phrasing now
    in the files) is not added again; a topic that is gone, or is a decline, takes
    none (the files are the source of truth)."""
    owned = {phrase_key(q) for topic in kb.topics.values() for q in topic.questions}
    topics = dict(kb.topics)
    added: dict[str, str] = {}
    for topic_id, questions in taught.items():
        topic = topics.get(topic_id)
        if topic is None or topic.declines:
            continue
        new: list[str] = []
        for question in questions:
            key = phrase_key(question)
            if key and key not in owned:
                owned.add(key)
                added[key] = topic_id
                new.append(question)
        if new:
            topics[topic_id] = replace(topic, questions=(*topic.questions, *new))
    return replace(kb, topics=topics), added


class TaughtEngine(Engine):
    """An Engine whose knowledge includes taught phrasings. A question asked as it
    was taught (same words, any case or punctuation) gets its topic outright: a
    curator said so, while the role rules would otherwise keep a duty topic from
    answering a phrasing that does not name its subject. Reworded, it is matched
    like any other phrasing."""

    def __init__(self, kb: KnowledgeBase, taught: Taught, threshold: float) -> None:
        merged, self.taught_keys = merge_taught(kb, taught)
        super().__init__(merged, threshold)

    def answer(self, text: str) -> Result:
        topic = self.taught_keys.get(phrase_key(text or "")) if self.taught_keys else None
        found = self.result_for(topic, text) if topic is not None else None
        return found if found is not None else super().answer(text)


def snapshot(path: Path) -> Snapshot:
    """What a change to the knowledge files changes: names, sizes, modification times."""
    found = []
    try:
        files = knowledge_files(path)
    except OSError:  # the directory vanished: poll again
        return ()
    for file in files:
        try:
            stat = file.stat()
        except OSError:  # vanished (or turned into a loop) since the listing: not there
            continue
        found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class LiveEngine:
    """The current Engine, replaced whole when the knowledge changes (see module doc)."""

    def __init__(
        self,
        engine: Engine,
        load: Callable[[], KnowledgeBase] | None = None,
        watch: Path | None = None,
        taught: TaughtSource | None = None,
    ) -> None:
        self._engine = engine
        self._base = engine.kb  # the files' knowledge, without taught phrasings
        self._taught: Taught = {}
        self._curated: list[CuratedTopic] = []
        self._taught_version: object = None
        self.load = load
        self.watch = watch
        self.taught = taught
        self._lock = threading.Lock()  # one rebuild at a time; answering never takes it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._files = snapshot(watch) if watch is not None else ()
        self._store_down = False

    @property
    def current(self) -> Engine:
        return self._engine

    @property
    def base(self) -> KnowledgeBase:
        """The knowledge files as last loaded, without taught phrasings."""
        return self._base

    def _swap(self) -> None:
        """Build the engine for the current files and taught phrasings; hold the lock."""
        kb = merge_curated(self._base, self._curated)
        engine = TaughtEngine(kb, self._taught, self._engine.threshold)
        self._engine = engine  # one reference assignment: answers see old or new, whole

    def reload_files(self) -> bool:
        """Load the knowledge files again; on a mistake keep the last good ones."""
        if self.load is None:
            return False
        try:
            kb = self.load()
        except KnowledgeError as error:
            first = error.problems[0] if error.problems else "unknown problem"
            more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
            log.warning(
                "knowledge not reloaded, still answering from the last good: %s%s", first, more
            )
            return False
        with self._lock:
            self._base = kb
            self._swap()
        log.info("knowledge reloaded: %d topics from %d files", len(kb.topics), len(kb.files))
        return True

    def follow(self, base: KnowledgeBase) -> bool:
        """Take the files' knowledge another LiveEngine loaded (each workspace's engine
        follows the one that watches the files); True when it was new."""
        if base is self._base:
            return False
        with self._lock:
            self._base = base
            self._swap()
        return True

    def refresh_taught(self, force: bool = False) -> bool:
        """Read the taught phrasings if their version changed (or `force`); True when
        the engine was rebuilt. Store errors propagate (the poller logs them)."""
        if self.taught is None:
            return False
        # Read under the lock: a slower reader (the poller) must not swap in an
        # older set after a curator's teaching was swapped in.
        with self._lock:
            version = self.taught.taught_version()
            if version == self._taught_version and not force:
                return False
            phrasings = self.taught.taught_phrasings()
            self._curated = self.taught.curated_topics()
            self._taught, self._taught_version = phrasings, version
            self._swap()
        taught = sum(len(q) for q in phrasings.values())
        log.info("taught phrasings in use: %d; curated topics: %d", taught, len(self._curated))
        return True

    # --- the background poller ---------------------------------------------------
    def start(
        self, files_every: float = FILES_EVERY_SECONDS, taught_every: float = TAUGHT_EVERY_SECONDS
    ) -> LiveEngine:
        self._thread = threading.Thread(
            target=self._run, args=(files_every, taught_every), name="pmbot-knowledge", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, files_every: float, taught_every: float) -> None:
        settling: Snapshot | None = None
        waited = 0.0
        while not self._stop.wait(files_every):
            if self.watch is not None:
                now = snapshot(self.watch)
                # Load a change once it has stood still for one poll: an editor's
                # save in two writes is not read half-written.
                if now != self._files and now == settling:
                    self._files = now
                    self.reload_files()
                settling = now
            waited += files_every
            if waited >= taught_every:
                waited = 0.0
                self.poll_taught()

    def poll_taught(self) -> None:
        """Refresh the taught phrasings; a store that fails is logged once, not raised."""
        try:
            self.refresh_taught()
        except Exception as error:  # any driver error: keep the phrasings we have
            if not self._store_down:
                log.warning(
                    "taught phrasings not refreshed (store unavailable): %s", type(error).__name__
                )
            self._store_down = True
            return
        self._store_down = False
