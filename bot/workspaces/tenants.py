"""Each workspace's services (its store, its features, its taught phrasings), built
on the first request from it and kept: the answer path then only looks up a dict.

A workspace is keyed by its team id, or by its org's enterprise id for an org-wide
install (one installation answers in every workspace of the org, and channels are
shared across them). A request that names neither, whose store is still opening
after a second, or cannot be opened now (the database is down), is answered from
services without a store: answering is the last thing to fail; a failed store is
tried again RETRY_SECONDS later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import BoltContext

from bot.answers.live import TAUGHT_EVERY_SECONDS, LiveEngine
from bot.slack.resilience import first_line
from bot.slack.services import Deps
from bot.store.database import Store
from bot.workspaces.stores import KEY, drop_workspace_data, open_workspace_store

log = logging.getLogger("pmbot.workspaces")
RETRY_SECONDS = 30.0  # a workspace whose store failed to open is tried again after this
OPEN_WAIT_SECONDS = 1.0  # a request waits this long for its workspace's store to open
GONE_SECONDS = 60.0  # an uninstalled workspace is not reopened for this long
OPENERS = 2  # threads opening workspaces' stores


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
    """Each workspace's services by key. Opening one (its database created and
    migrated) runs on a thread of its own: a request waits for it at most
    OPEN_WAIT_SECONDS, then is answered without a store while it finishes. An
    uninstalled workspace is not reopened for GONE_SECONDS (a request in flight, or
    the other uninstall event, cannot bring its database back), and a workspace
    uninstalled through another process is closed here by the background thread."""

    def __init__(
        self,
        main: Store,
        url: str,
        live: LiveEngine,
        build: Build,
        storeless: Deps,
        clock: Callable[[], float],
        installed: Callable[[], set[str]] = set,
    ) -> None:
        self.main, self.url, self.live = main, url, live
        self.build, self.storeless, self.clock = build, storeless, clock
        self.installed = installed  # the keys installed now (pmbot's database says)
        self.open_wait = OPEN_WAIT_SECONDS
        self._open: dict[str, Workspace] = {}
        self._opening: dict[str, Future[Workspace | None]] = {}
        self._failed: dict[str, float] = {}  # key -> when its store last failed to open
        self._gone: dict[str, float] = {}  # key -> when it was uninstalled
        self._lock = threading.Lock()
        self._openers = ThreadPoolExecutor(OPENERS, thread_name_prefix="pmbot-workspace")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def deps_for(self, key: str | None) -> Deps:
        if key is None:
            return self.storeless
        try:
            opened = self._wait(key, self.open_wait)
        except TimeoutError:  # still opening: this request is answered without its store
            return self.storeless
        return opened.deps if opened is not None else self.storeless

    def open(self, key: str) -> Workspace | None:
        """Workspace `key`, opened if it was not yet, waited for (background work)."""
        return self._wait(key, None)

    def _wait(self, key: str, timeout: float | None) -> Workspace | None:
        found = self._open.get(key)
        if found is not None:
            return found
        opening = self._opening_of(key)
        return opening.result(timeout) if opening is not None else None

    def _opening_of(self, key: str) -> Future[Workspace | None] | None:
        with self._lock:  # one opening per workspace, however many requests ask
            now = self.clock()
            if now - self._gone.get(key, -GONE_SECONDS) < GONE_SECONDS:
                return None
            if now - self._failed.get(key, -RETRY_SECONDS) < RETRY_SECONDS:
                return None
            opening = self._opening.get(key)
            if opening is None:
                opening = self._opening[key] = self._openers.submit(self._open_now, key)
            return opening

    def _open_now(self, key: str) -> Workspace | None:
        started, store = self.clock(), None
        try:
            store = open_workspace_store(self.main, self.url, key)
            opened = Workspace(key, store, self.build(key, store))
        except Exception as error:  # any driver's failure: answered without a store
            if store is not None:
                store.close()
            with self._lock:
                self._failed[key] = self.clock()
                self._opening.pop(key, None)
            log.warning("workspace %s: store not opened: %s", key, first_line(error))
            return None
        try:
            opened.deps.live.refresh_taught(force=True)
        except Exception as error:  # the poller tries again
            log.warning("workspace %s: taught phrasings not read: %s", key, first_line(error))
        with self._lock:
            self._opening.pop(key, None)
            uninstalled = self._gone.get(key, -GONE_SECONDS) >= started
            if not uninstalled:
                self._failed.pop(key, None)
                self._open[key] = opened
        if uninstalled:  # while it opened: not kept, and what it wrote deleted again
            _close(opened, 1.0)
            drop_workspace_data(self.main, self.url, key)
            return None
        return opened

    def opened(self) -> list[str]:
        """The workspaces served since start-up (their stores open)."""
        with self._lock:
            return sorted(self._open)

    def forget(self, key: str, timeout: float = 2.0) -> None:
        """Workspace `key` uninstalled: its services closed and its data deleted."""
        with self._lock:
            self._gone[key] = self.clock()
            found = self._open.pop(key, None)
        if found is not None:
            _close(found, timeout)
        drop_workspace_data(self.main, self.url, key)
        log.info("workspace %s: uninstalled; its data is deleted", key)

    def close_uninstalled(self) -> None:
        """Close what another process uninstalled; forget the marks of reinstalled ones."""
        try:
            installed = self.installed()
        except Exception as error:  # pmbot's database away: try again next round
            log.debug("installations not read: %s", first_line(error))
            return
        with self._lock:
            closing = [self._open.pop(k) for k in list(self._open) if k not in installed]
            for key in [k for k in self._gone if k in installed]:
                del self._gone[key]
        for workspace in closing:
            _close(workspace, 1.0)

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
            self.close_uninstalled()
            self.refresh()

    def close(self, timeout: float) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._openers.shutdown(wait=True, cancel_futures=True)  # each bounded by timeouts
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for workspace in opened:
            _close(workspace, timeout / max(1, len(opened)))


def _close(workspace: Workspace, timeout: float) -> None:
    if workspace.deps.questions is not None:
        workspace.deps.questions.close(timeout)  # the reply pool is shared: not closed here
    workspace.store.close()
