"""`python -m bot.local.standin`: Slack played on this machine, to try HTTP mode
without a workspace (docs/deploy.md, "Deploying") and for CI's deployment check.

    python -m bot.local.standin api --port 8901
        Slack's Web API on 127.0.0.1:8901 (what pmbot calls: auth.test,
        chat.postMessage, …); point SLACK_API_URL at the URL it prints.
    python -m bot.local.standin ask http://127.0.0.1:3000 "who owns the roadmap?"
        a `/pm` request to pmbot, signed as Slack signs it with
        $SLACK_SIGNING_SECRET; prints the status and the answer's text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.local.local_api import TEAM_ID, WebApiStandIn


def signed_command(
    base_url: str, secret: str, text: str, timeout: float = 10.0
) -> tuple[int, dict[str, object]]:
    """POST a `/pm text` slash command as Slack would; (HTTP status, JSON reply)."""
    body = urlencode(
        {
            "command": "/pm",
            "text": text,
            "user_id": "USTANDIN01",
            "channel_id": "CSTANDIN01",
            "team_id": TEAM_ID,
            "response_url": "http://127.0.0.1:9/response/standin",
            "trigger_id": "1.2.standin",
            "api_app_id": "ASTANDIN01",
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    request = urllib.request.Request(
        base_url.rstrip("/") + "/slack/events",
        data=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def run_api(port: int) -> None:
    with WebApiStandIn(port=port) as api:
        print(f"Slack Web API stand-in: SLACK_API_URL={api.base_url}", flush=True)
        threading.Event().wait()  # until Ctrl-C or SIGTERM


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.local.standin")
    commands = parser.add_subparsers(dest="command", required=True)
    api = commands.add_parser("api", help="serve Slack's Web API on 127.0.0.1")
    api.add_argument("--port", type=int, default=8901)
    ask = commands.add_parser("ask", help="send pmbot a signed /pm")
    ask.add_argument("url", help="pmbot's base URL, e.g. http://127.0.0.1:3000")
    ask.add_argument("question", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "api":
        try:
            run_api(args.port)
        except KeyboardInterrupt:
            return 0
    secret = os.environ.get("SLACK_SIGNING_SECRET", "")
    if not secret:
        print("standin: set SLACK_SIGNING_SECRET to pmbot's", file=sys.stderr)
        return 2
    status, reply = signed_command(args.url, secret, " ".join(args.question))
    print(f"HTTP {status}")
    print(str(reply.get("text", "")))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
