"""`pmbot shell`: chat with the real Bolt app in a terminal, no workspace needed.

Each line becomes the payload Slack would send (a `/pm` command, an
`app_mention`, a `message.im`, a `block_actions` click, `app_home_opened`) and
goes through `app.dispatch` exactly as Socket Mode delivers it. The app's Web
API calls go to a stand-in server on 127.0.0.1 inside this process, and what
they would have posted is printed.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from slack_bolt import BoltRequest

from bot.config import Settings
from bot.slack.app import build_app, web_client
from bot.slack.local_api import TEAM_ID, Call, WebApiStandIn
from bot.slack.payloads import Workspace, block_action, event_callback, slash_command
from bot.slack.render import plain, render_blocks
from bot.slack.resilience import InlineExecutor
from bot.slack.services import Deps, tip_poster
from bot.slack.subcommands import banner_names

EXAMPLE_TIME = "2027-03-29T09:05Z"
USER, CHANNEL, DM, APP_ID = "ULOCALUSER", "CLOCALCHAN", "DLOCALDMCH", "ALOCALAPP1"
WORKSPACE = Workspace(TEAM_ID, "local", CHANNEL, "local", USER, "you", APP_ID, "local")
BANNER = f"""pmbot local shell: the real Slack app, with Slack played by this terminal.
  /pm <question>     slash command (only you see the answer); /pm {banner_names()}
  @pmbot <question>  mention in #local (answered in a thread)
  ^ @pmbot <question>  follow-up in the last thread
  <question>         direct message
  <number>           click that button     home   App Home tab     quit   leave
  tips [TIME]        post the daily tips due now, or at TIME (2027-03-29T09:05Z),
                     as the scheduler would (after /pm tips on)
"""


@dataclass
class _Place:
    """Where a rendered message lives, so a click on it can say so."""

    channel: str
    ephemeral: bool
    ts: str | None = None
    thread_ts: str | None = None
    blocks: list[dict[str, Any]] = field(default_factory=list)


class Shell:
    def __init__(self, deps: Deps, out: TextIO, ansi: bool | None = None) -> None:
        self.out = out
        # Slack's *bold* and _italic_ as terminal styles; piped, just the words.
        self.ansi = out.isatty() if ansi is None else ansi
        self.deps = deps
        self.api = WebApiStandIn().start()
        settings = Settings(
            bot_token="xoxb-local-shell",
            signing_secret=secrets.token_hex(16),
            api_url=self.api.base_url,
        )
        self.app = build_app(
            settings, deps, client=web_client(settings), listener_executor=InlineExecutor()
        )
        self.buttons: dict[int, tuple[dict[str, Any], str, _Place]] = {}
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1)
        self._last_thread: str | None = None
        self._seen_calls = 0

    def close(self) -> None:
        self.api.stop()

    # --- input ---------------------------------------------------------------
    def run(self, lines: Iterable[str], prompt: bool = False, notes: Iterable[str] = ()) -> None:
        self.out.write(BANNER)
        for note in notes:  # which knowledge and database this session uses
            self.out.write(f"  {note}\n")
        self._prompt(prompt)
        for line in lines:
            if not self.handle(line.strip()):
                break
            self._prompt(prompt)

    def _prompt(self, prompt: bool) -> None:
        if prompt:
            self.out.write("you> ")
            self.out.flush()

    def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        if line in ("quit", "exit", ":q"):
            return False
        if not line:
            return True
        if line.isdigit():
            self._click(int(line))
        elif line == "tips" or line.startswith("tips "):
            self._run_due_tips(line[4:].strip())
        elif line == "home":
            self._event({"type": "app_home_opened", "user": USER, "channel": DM, "tab": "home"})
        elif line.startswith("/pm"):
            self._command(line[3:].strip())
        elif line.startswith(("@pmbot", "^")):
            follow_up = line.startswith("^")
            text = line.lstrip("^").strip().removeprefix("@pmbot").strip()
            self._mention(text, follow_up)
        else:
            self._dm(line)
        self._print_new_calls()
        return True

    def _run_due_tips(self, at: str = "") -> None:
        """The scheduler's run, now or at `at`: what a channel would be posted then."""
        if self.deps.tips is None:
            self.out.write("(daily tips need a database)\n")
            return
        now = self.deps.clock()
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError:
                now = None  # type: ignore[assignment]
            if now is None or now.tzinfo is None:
                self.out.write(f"(tips TIME: ISO-8601 with a zone, e.g. {EXAMPLE_TIME})\n")
                return
        poster = tip_poster(self.deps.tips, self.app.client, self.deps.engine.kb)
        report = poster.run_due(now)
        self._print_new_calls()  # the tips as posted, then the summary
        when = f" at {now:%Y-%m-%d %H:%M %Z}" if at else ""
        self.out.write(f"(daily tips{when}: {report.summary()})\n")

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _dispatch(self, body: dict[str, Any]) -> str:
        return str(self.app.dispatch(BoltRequest(body=body, mode="socket_mode")).body or "")

    def _command(self, text: str) -> None:
        acked = self._dispatch(
            slash_command(
                WORKSPACE,
                text,
                self.api.response_url(f"command-{next(self._ids)}"),
                f"trigger-{next(self._ids)}",
            )
        )
        if acked:  # the answer came back in the ack, as Slack shows it to the asker
            self._print_message(
                "pmbot (only you can see this):", json.loads(acked), _Place(CHANNEL, True)
            )

    def _event(self, event: dict[str, Any]) -> None:
        self._dispatch(
            event_callback(
                WORKSPACE,
                {**event, "event_ts": event.get("ts", self._ts())},
                f"EvLOCAL{uuid.uuid4().hex[:20].upper()}",  # unique across runs
                [{"team_id": TEAM_ID, "user_id": self.api.bot_user_id}],
            )
        )

    def _mention(self, text: str, follow_up: bool) -> None:
        ts = self._ts()
        event = {
            "type": "app_mention",
            "user": USER,
            "text": f"<@{self.api.bot_user_id}> {text}",
            "ts": ts,
            "channel": CHANNEL,
        }
        if follow_up and self._last_thread:
            event["thread_ts"] = self._last_thread
        else:
            self._last_thread = ts
        self._event(event)

    def _dm(self, text: str) -> None:
        self._event(
            {
                "type": "message",
                "channel_type": "im",
                "user": USER,
                "text": text,
                "ts": self._ts(),
                "channel": DM,
            }
        )

    def _click(self, number: int) -> None:
        found = self.buttons.get(number)
        if found is None:
            self.out.write(f"(there is no button [{number}])\n")
            return
        element, block_id, place = found
        body = block_action(
            WORKSPACE,
            element,
            block_id=block_id,
            channel=place.channel,
            message_ts=place.ts or self._ts(),
            ephemeral=place.ephemeral,
            response_url=self.api.response_url(f"action-{next(self._ids)}"),
            trigger_id=f"trigger-{next(self._ids)}",
            action_ts=self._ts(),
        )
        if not place.ephemeral:
            body["message"] = {
                "type": "message",
                "user": self.api.bot_user_id,
                "ts": place.ts,
                "thread_ts": place.thread_ts,
                "blocks": place.blocks,
            }
        self._dispatch(body)

    # --- output --------------------------------------------------------------
    def _print_new_calls(self) -> None:
        calls = self.api.calls
        for call in calls[self._seen_calls :]:
            self._print_call(call)
        self._seen_calls = len(calls)

    def _print_call(self, call: Call) -> None:
        p = call.params
        if call.method == "chat.postMessage":
            where = "your DM" if str(p.get("channel", "")).startswith("D") else "#local"
            if p.get("metadata"):
                where += " (daily tip)"
            thread = " (in the thread)" if p.get("thread_ts") else ""
            place = _Place(
                str(p.get("channel")), False, call.response.get("ts"), p.get("thread_ts")
            )
            self._print_message(f"pmbot in {where}{thread}:", p, place)
        elif call.method == "response_url":
            if p.get("delete_original"):
                self.out.write("(pmbot removed its private answer)\n")
                return
            public = p.get("response_type") == "in_channel"
            heading = "pmbot in #local:" if public else "pmbot (only you can see this):"
            if p.get("replace_original"):
                heading = heading[:-1] + ", updated:"
            self._print_message(heading, p, _Place(CHANNEL, not public, self._ts()))
        elif call.method == "views.publish":
            view = p.get("view") or {}
            self._print_message("App Home:", view, _Place(DM, True))

    def _print_message(self, heading: str, payload: dict[str, Any], place: _Place) -> None:
        blocks = payload.get("blocks") or []
        place.blocks = blocks

        def number(element: dict[str, Any], block_id: str) -> int:
            n = next(self._numbers)
            self.buttons[n] = (element, block_id, place)
            return n

        lines = (
            render_blocks(blocks, number, self.ansi)
            if blocks
            else plain(str(payload.get("text", "")), self.ansi).splitlines()
        )
        self.out.write(heading + "\n" + "\n".join(f"  {line}" for line in lines) + "\n\n")
        self.out.flush()
