"""A cold `pmbot ask "..."` as a whole process: wall time and peak memory.

    python -m bench.cli [--runs 20]

Target: <= 300 ms. Each run is a new interpreter, as a user's shell starts it.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    pmbot = shutil.which("pmbot") or ""
    command = [pmbot] if pmbot else [sys.executable, "-m", "bot"]
    command += ["ask", "who is in charge of the roadmap?"]
    timings: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append((time.perf_counter() - started) * 1000)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    timings.sort()
    print(
        f"cold `pmbot ask` x{args.runs}: median {statistics.median(timings):.0f} ms, "
        f"max {timings[-1]:.0f} ms; peak memory {peak_kib / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
