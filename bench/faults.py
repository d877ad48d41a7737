"""The issue-8 figures, against the real `pmbot serve` process (about 40 s):

    python -m bench.faults [--questions 200] [--vote-runs 5]

- the share of /pm answered within Slack's 3 s with the store gone (SQLite folder
  replaced by a file);
- the share of 50 concurrent /pm answered within 3 s while 10 mention replies are
  stuck on a slow (10 s) or rate-limited (429, Retry-After: 10) Web API;
- acknowledged votes that were not stored, over runs of kill -9 during a vote burst.

It uses the fault suite's helpers (tests/e2e/process.py), so run it from a checkout.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bot.local.local_api import Fault, WebApiStandIn
from tests.e2e.process import ServeProcess, answered_in_time, burst
from tests.e2e.test_faults import acked, mention, questions, stored_votes, vote


def _url(folder: Path) -> str:
    return f"sqlite:///{folder}/pmbot.sqlite3"


def store_down(count: int) -> str:
    with WebApiStandIn() as api:
        folder = Path(tempfile.mkdtemp()) / "db"
        folder.mkdir()
        with ServeProcess(api.base_url, _url(folder)) as server:
            shutil.rmtree(folder)
            folder.write_text("gone")
            results = burst(questions(server.sender, api, count))
    slowest = max(took for took, _ in results)
    return f"{answered_in_time(results)}/{count} within 3 s (slowest {slowest:.3f} s)"


def stuck(fault: Fault) -> str:
    with WebApiStandIn() as api:
        api.fail("chat.postMessage", fault)
        with ServeProcess(api.base_url, _url(Path(tempfile.mkdtemp()))) as server:
            for n in range(10):
                server.sender.event(mention(n))
            api.wait_for("chat.postMessage", count=10)
            results = burst(questions(server.sender, api, 50))
    slowest = max(took for took, _ in results)
    return f"{answered_in_time(results)}/50 within 3 s (slowest {slowest:.3f} s)"


def _vote_run() -> tuple[int, int]:
    """(acknowledged, stored) for one burst of votes cut by kill -9."""
    with WebApiStandIn() as api:
        folder = Path(tempfile.mkdtemp())
        with ServeProcess(api.base_url, _url(folder)) as server:
            sender, results = server.sender, []
            calls = [lambda n=n: sender.action(vote(api, n)) for n in range(600)]
            voting = threading.Thread(target=lambda: results.extend(burst(calls)))
            voting.start()
            deadline = time.monotonic() + 20
            while len(api.calls_to("response_url")) < 150 and time.monotonic() < deadline:
                time.sleep(0.005)
            server.kill9()
            voting.join(30)
        return acked(results), stored_votes(folder)


def kill_9_votes(runs: int) -> str:
    counts = [_vote_run() for _ in range(runs)]
    lost = sum(max(0, a - s) for a, s in counts)
    return f"{lost} of {sum(a for a, _ in counts)} acknowledged votes lost over {runs} runs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--vote-runs", type=int, default=5)
    args = parser.parse_args()
    print(f"store gone: /pm answered {store_down(args.questions)}")
    slow = Fault(status=200, delay=10, deliver=True, times=10)
    print(f"10 mention replies on a 10 s Web API: /pm answered {stuck(slow)}")
    limited = Fault(status=429, retry_after=10, times=10)
    print(f"10 mention replies on 429 Retry-After 10: /pm answered {stuck(limited)}")
    print(f"kill -9 during vote bursts: {kill_9_votes(args.vote_runs)}")


if __name__ == "__main__":
    main()
