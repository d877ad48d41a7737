"""A cold `pmbot ask "..."` as a whole process: wall time and peak memory, with the
engine cache warm (built by an earlier run) and cold (an empty cache directory).

    python -m bench.cli [--runs 20]

Targets (issue 20): warm median <= 120 ms, peak <= 30 MiB. Each run is a new
interpreter, as a user's shell starts it; the cache lives in a temporary
XDG_CACHE_HOME, so the user's own is never touched.

pmbot's own modules are byte-compiled first, as `pip install` of a wheel does: an
editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every
module on every run (about 30 ms), which no installed copy ever does.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(command: list[str], cache: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return (time.perf_counter() - started) * 1000


def peak_kib(command: list[str], cache: Path) -> int:
    """One more run's peak RSS, in a child of its own (ru_maxrss of the children is the
    largest so far, so it is measured in a fresh process that runs the command)."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, env=env
    )
    return int(done.stdout.strip() or 0)


def report(name: str, timings: list[float], peak: int) -> str:
    timings.sort()
    return (
        f"{name}: median {statistics.median(timings):.0f} ms, max {timings[-1]:.0f} ms; "
        f"peak memory {peak / 1024:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "bot", quiet=1)
    pmbot = shutil.which("pmbot") or ""
    command = [pmbot] if pmbot else [sys.executable, "-m", "bot"]
    command += ["ask", "who is in charge of the roadmap?"]
    with tempfile.TemporaryDirectory() as warm_dir:
        warm = Path(warm_dir)
        run(command, warm)  # builds the cache
        warm_runs = [run(command, warm) for _ in range(args.runs)]
        warm_peak = peak_kib(command, warm)
        cold_runs = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as empty:
                cold_runs.append(run(command, Path(empty)))
        with tempfile.TemporaryDirectory() as empty:
            cold_peak = peak_kib(command, Path(empty))
    print(report(f"`pmbot ask` x{args.runs}, engine cache warm", warm_runs, warm_peak))
    print(report(f"`pmbot ask` x{args.runs}, engine cache cold", cold_runs, cold_peak))


if __name__ == "__main__":
    main()
