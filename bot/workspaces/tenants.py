"""Each workspace's services (its store, its features, its taught phrasings), built
on the first request from it and kept: the answer path then only looks up a dict.

A workspace is keyed by its team id, or by its org's enterprise id for an org-wide
install (one installation answers in every workspace of the org, and channels are
shared across them). A request that names neither, or whose store cannot be opened
now (the database is down), is answered from services without a store: answering
is the last thing to fail, and the store is tried again on the next request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import BoltContext

from bot.answers.live import TAUGHT_EVERY_SECONDS, LiveEngine
from bot.slack.resilience import first_line
from bot.slack.services import Deps
from bot.store.database import Store
from bot.workspaces.stores import KEY, drop_workspace_data, open_workspace_store

log = logging.getLogger("pmbot.workspaces")
RETRY_SECONDS = 30.0  # a workspace whose store failed to open is tried again after this


def workspace_key(
    team_id: str | None, enterprise_id: str | None, is_enterprise_install: bool | None
) -> str | None:
    """Whose data a request touches: the org's for an org-wide install, else the team's;
    None for an id Slack would not send (a forged or missing one)."""
    key = enterprise_id if is_enterprise_install else team_id
    return key if key and KEY.fullmatch(key) else None


def key_of(context: BoltContext) -> str | None:
    return workspace_key(context.team_id, context.enterprise_id, context.is_enterprise_install)


@dataclass
class Workspace:
    key: str
    store: Store
    deps: Deps


# (key, its store) -> its services; bot/compose.py builds them as for one workspace.
Build = Callable[[str, Store], Deps]


class Workspaces:
    def __init__(
        self,
        main: Store,
        url: str,
        live: LiveEngine,
        build: Build,
        storeless: Deps,
        clock: Callable[[], float],
    ) -> None:
        self.main, self.url, self.live = main, url, live
        self.build, self.storeless, self.clock = build, storeless, clock
        self._open: dict[str, Workspace] = {}
        self._failed: dict[str, float] = {}  # key -> when its store last failed to open
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def deps_for(self, key: str | None) -> Deps:
        if key is None:
            return self.storeless
        found = self._open.get(key)
        if found is not None:
            return found.deps
        opened = self.open(key)
        return opened.deps if opened is not None else self.storeless

    def open(self, key: str) -> Workspace | None:
        """Workspace `key`, opened (and its schema migrated) if it was not yet."""
        with self._lock:  # one opening at a time: two requests must not build it twice
            found = self._open.get(key)
            if found is not None:
                return found
            if self.clock() - self._failed.get(key, -RETRY_SECONDS) < RETRY_SECONDS:
                return None
            try:
                store = open_workspace_store(self.main, self.url, key)
            except Exception as error:  # any driver's failure: answer without a store
                self._failed[key] = self.clock()
                log.warning("workspace %s: store not opened: %s", key, first_line(error))
                return None
            self._failed.pop(key, None)
            opened = self._open[key] = Workspace(key, store, self.build(key, store))
        try:
            opened.deps.live.refresh_taught(force=True)
        except Exception as error:  # the poller tries again
            log.warning("workspace %s: taught phrasings not read: %s", key, first_line(error))
        return opened

    def opened(self) -> list[str]:
        """The workspaces served since start-up (their stores open)."""
        with self._lock:
            return sorted(self._open)

    def forget(self, key: str, timeout: float = 2.0) -> None:
        """Workspace `key` uninstalled: its services closed and its data deleted."""
        with self._lock:
            found = self._open.pop(key, None)
        if found is not None:
            _close(found, timeout)
        drop_workspace_data(self.main, self.url, key)
        log.info("workspace %s: uninstalled; its data is deleted", key)

    # --- the one thread that keeps every workspace's engine current ----------------
    def start(self, every: float = TAUGHT_EVERY_SECONDS) -> Workspaces:
        self._thread = threading.Thread(
            target=self._run, args=(every,), name="pmbot-workspaces", daemon=True
        )
        self._thread.start()
        return self

    def refresh(self) -> None:
        """Each open workspace takes the files' knowledge when it changed, and its own
        taught phrasings (a store failure is logged once per workspace)."""
        with self._lock:
            opened = list(self._open.values())
        for workspace in opened:
            workspace.deps.live.follow(self.live.base)
            workspace.deps.live.poll_taught()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.refresh()

    def close(self, timeout: float) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for workspace in opened:
            _close(workspace, timeout / max(1, len(opened)))


def _close(workspace: Workspace, timeout: float) -> None:
    if workspace.deps.questions is not None:
        workspace.deps.questions.close(timeout)  # the reply pool is shared: not closed here
    workspace.store.close()
