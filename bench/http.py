"""Throughput of signed `/pm` requests against pmbot's server, beside two bare Bolt
apps that only ack: one on the same server (Starlette + uvicorn) and settings, and
the stock production anchor, Flask under gunicorn with 1 worker and 8 threads
(bench/flask_anchor.py; `pip install -e '.[bench]'` brings flask and gunicorn).

    python -m bench.http [--requests 2000] [--concurrency 8] [--seconds 20] [--rounds 3]
                         [--mixed] [--workspaces]

With --workspaces: pmbot serving one workspace (SLACK_BOT_TOKEN) beside pmbot serving
every workspace that installs it (SLACK_CLIENT_ID: the request's installation looked
up, its workspace's own database), target: within 10 %.

Each server runs in its own process on 127.0.0.1; the Web API stand-in (which
pmbot answers every command through, via its response_url, as in Slack) runs in
a third, as Slack is not inside the bot's process either; the load comes from
this process over keep-alive connections. Bounded by --requests and
--seconds. Prints requests/s and p50/p99 latency of each, and the ratio.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SECRET = "bench0signing0secret00000000abcd"
TEAM = "T0BENCH01"  # a workspace id as Slack writes them
QUESTIONS = ["who owns the roadmap", "which pm earns more", "what does a pjm do", "lunch?"]


def _stand_in(ready: multiprocessing.Queue) -> None:
    from bot.local.local_api import WebApiStandIn

    api = WebApiStandIn().start()
    ready.put((api.base_url, api.response_url("bench")))
    threading.Event().wait()


def _serve(kind: str, port: int, api_url: str) -> None:
    import logging

    import uvicorn
    from slack_bolt import App

    from bot import compose
    from bot.answers.engine import Engine
    from bot.answers.knowledge import load_knowledge
    from bot.config import Settings
    from bot.slack.app import build_app, web_client
    from bot.slack.server import http_app, serve_http
    from bot.store.database import Store

    logging.disable(logging.WARNING)
    settings = Settings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url)
    serving = replace(settings, host="127.0.0.1", port=port, log_level="WARNING")
    if kind == "pmbot":
        # As `pmbot serve` runs it: the store (a SQLite file) records every question,
        # and the same server function serves it.
        store = Store(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
        app = build_app(settings, compose.for_serving(Engine(load_knowledge()), store))
        serve_http(app, serving)
        return
    if kind == "pmbot-workspaces":
        serve_http(_every_workspace(settings), serving)
        return
    app = App(client=web_client(settings), signing_secret=SECRET)
    app.command("/pm")(lambda ack: ack())
    uvicorn.run(http_app(app), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _every_workspace(settings: Any) -> Any:
    """The app as `pmbot serve` runs it with SLACK_CLIENT_ID, the bench's team installed."""
    from slack_sdk.oauth.installation_store import Installation

    from bot.answers.engine import Engine
    from bot.answers.knowledge import load_knowledge
    from bot.answers.live import LiveEngine
    from bot.distributed import build_distributed
    from bot.store.database import Store

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    settings = replace(settings, bot_token=None, client_id="1.2", client_secret="s" * 32)
    settings = replace(settings, database_url=url)
    served = build_distributed(settings, LiveEngine(Engine(load_knowledge())), Store(url))
    bot = {"bot_token": "xoxb-bench", "bot_id": "B1", "bot_user_id": "UBOT", "user_id": "U0"}
    served.posting.installations.save(Installation(app_id="A1", team_id=TEAM, **bot))
    return served.app


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(mixed: bool, worker: int, n: int, response_url: str) -> tuple[str, str]:
    """The n-th request of a worker: a `/pm` question; with `mixed`, every third an
    @mention (answered through chat.postMessage) and every third a 👍 click."""
    question = QUESTIONS[n % len(QUESTIONS)]
    form = "application/x-www-form-urlencoded"
    if mixed and n % 3 == 1:
        event = {"type": "app_mention", "user": f"U{worker}", "text": f"<@UBOT> {question}"}
        event |= {"channel": "C1", "ts": f"{time.time():.6f}", "event_ts": f"{n}.{worker}"}
        body = {"type": "event_callback", "team_id": TEAM, "api_app_id": "A1", "event": event}
        return json.dumps(body | {"event_id": f"Ev{worker}x{n}"}), "application/json"
    if mixed and n % 3 == 2:
        value = json.dumps({"t": "owns-roadmap", "q": question})
        action = {"action_id": "feedback_up", "block_id": "pm_feedback", "value": value}
        payload = {"type": "block_actions", "user": {"id": f"U{worker}"}, "api_app_id": "A1"}
        payload |= {"team": {"id": TEAM}, "channel": {"id": "C1"}, "actions": [action]}
        payload |= {"container": {"message_ts": f"{worker}.{n}", "channel_id": "C1"}}
        payload |= {"response_url": response_url, "trigger_id": f"{worker}.{n}"}
        return urlencode({"payload": json.dumps(payload)}), form
    fields = {"command": "/pm", "text": question, "user_id": f"U{worker}", "channel_id": "C1"}
    fields |= {"team_id": TEAM, "api_app_id": "A1", "response_url": response_url}
    return urlencode(fields | {"trigger_id": f"{worker}.{n}"}), form


def _load(
    port: int, response_url: str, total: int, concurrency: int, seconds: float, mixed: bool
) -> dict:
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [total]
    deadline = time.monotonic() + seconds

    def worker(worker_id: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        n = 0
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            body, content_type = _request(mixed, worker_id, n, response_url)
            ts = str(int(time.time()))
            headers = {
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body),
            }
            started = time.perf_counter()
            conn.request("POST", "/slack/events", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += response.status != 200
            n += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
    }


def _start(kind: str, port: int, api_url: str) -> Any:
    """The server of `kind` in a process of its own (terminate() and join() stop it)."""
    if kind != "flask-gunicorn":
        process = multiprocessing.Process(target=_serve, args=(kind, port, api_url), daemon=True)
        process.start()
        return process
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "8"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    env = {**os.environ, "BENCH_API_URL": api_url, "BENCH_SECRET": SECRET}
    return subprocess.Popen([*command, "bench.flask_anchor:app"], env=env)


def _rss_mb(pid: int | None) -> float:
    """The server's resident memory after its round (Linux; 0 elsewhere)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(found[0]) / 1024 if found else 0.0


def measure(kind: str, args: argparse.Namespace, api_url: str, response_url: str) -> dict:
    port = _free_port()
    process = _start(kind, port, api_url)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        warm = min(200, args.requests)
        _load(port, response_url, warm, args.concurrency, args.seconds, args.mixed)
        result = _load(
            port, response_url, args.requests, args.concurrency, args.seconds, args.mixed
        )
        return result | {"rss_mb": _rss_mb(process.pid)}
    finally:
        process.terminate()
        if isinstance(process, subprocess.Popen):
            process.wait(timeout=10)
        else:
            process.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--mixed", action="store_true", help="a third each: /pm, @mentions, 👍 clicks"
    )
    parser.add_argument(
        "--workspaces", action="store_true", help="pmbot serving every workspace vs one"
    )
    args = parser.parse_args()
    ready: multiprocessing.Queue = multiprocessing.Queue()
    stand_in = multiprocessing.Process(target=_stand_in, args=(ready,), daemon=True)
    stand_in.start()
    try:
        api_url, response_url = ready.get(timeout=30)
        # Interleaved rounds, medians reported: a 2-core machine is noisy.
        runs: dict[str, list[dict]] = {"bare-ack": [], "pmbot": []}
        if args.workspaces:  # one workspace beside every workspace: nothing else
            runs = {"pmbot": [], "pmbot-workspaces": []}
        elif args.mixed:  # the bare apps only know /pm: pmbot alone, for its memory
            del runs["bare-ack"]
        elif importlib.util.find_spec("flask") and importlib.util.find_spec("gunicorn"):
            runs["flask-gunicorn"] = []
        else:
            print("flask-gunicorn skipped: pip install -e '.[bench]' to measure it")
        for _ in range(args.rounds):
            for kind, results in runs.items():
                results.append(measure(kind, args, api_url, response_url))
    finally:
        stand_in.terminate()
    medians = {}
    for kind, results in runs.items():
        medians[kind] = {k: statistics.median(r[k] for r in results) for k in results[0]}
        r = medians[kind]
        print(
            f"{kind:>14}: median of {args.rounds} rounds of {r['requests']:.0f} requests "
            f"({sum(x['errors'] for x in results)} errors): {r['rps']:.0f} req/s, "
            f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms"
            + (f", RSS {r['rss_mb']:.0f} MB after it" if kind == "pmbot" else "")
        )
    if "pmbot-workspaces" in medians:
        ratio = medians["pmbot-workspaces"]["rps"] / medians["pmbot"]["rps"]
        print(f"every workspace / one workspace throughput: {ratio:.2f} (target >= 0.90)")
    for anchor in ("bare-ack", "flask-gunicorn"):
        if anchor in medians:
            ratio = medians["pmbot"]["rps"] / medians[anchor]["rps"]
            print(f"pmbot / {anchor} throughput ratio: {ratio:.2f} (target >= 1.3)")


if __name__ == "__main__":
    main()
