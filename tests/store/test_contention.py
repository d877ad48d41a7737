"""Two processes on one SQLite file, writing at once (issue 19): contention is waited
out or retried, never turned into refusals for everyone after it."""

from __future__ import annotations

import multiprocessing
from functools import partial
from pathlib import Path
from typing import Any

import bot.schema  # noqa: F401  every table, as in a served process
from bot.curation.store import TaughtStore
from bot.slack.resilience import StoreGuard
from bot.store.database import Store
from bot.team.store import HolderStore

WRITES_PER_PROCESS = 550  # 1,100 in all


def mixed_writes(url: str, name: str, start: Any) -> int:
    """What users do at once: votes, role holders, teaching, unanswered questions.
    Returns how many of them a user would have been told failed."""
    start.wait(30)  # both processes write at the same moment
    store = Store(url)
    guard = StoreGuard()
    holders, taught = HolderStore(store), TaughtStore(store)

    def write(i: int) -> None:
        if i % 4 == 0:
            store.record_vote("owns-risk", "down", f"U{name}{i}", "who?", f"C1:{i}")
        elif i % 4 == 1:
            holders.set_holders(f"C{name}{i % 7}", "product", [(f"U{i}", "user")], "U1")
        elif i % 4 == 2:
            taught.teach("owns-roadmap", f"who plans {name} {i}", f"{name} {i}", "U1")
        else:
            store.log_unanswered(f"where is lunch {i}", f"U{name}", "decline")

    failed = sum(not guard.run("load", partial(write, i))[0] for i in range(WRITES_PER_PROCESS))
    store.close()
    return failed


def test_two_processes_on_one_sqlite_file_refuse_at_most_one_write_in_a_hundred(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    Store(url).close()  # created and migrated once, as `pmbot serve` does at start-up
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(2) as pool:
        start = manager.Barrier(2)
        jobs = [(url, "a", start), (url, "b", start)]
        failed = pool.starmap(mixed_writes, jobs, chunksize=1)
    assert sum(failed) <= 11, failed
    store = Store(url)
    assert sum(store.vote_counts("owns-risk")) >= 2 * WRITES_PER_PROCESS // 4 - 11
