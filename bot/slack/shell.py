"""`pmbot shell`: chat with the real Bolt app in a terminal, no workspace needed.

Each line becomes the payload Slack would send (`/pm`, `app_mention`, `message.im`,
`block_actions`, `app_home_opened`, the "Ask pmbot" `message_action`, the AI-app
pane's `assistant_thread_started`) and goes through `app.dispatch` exactly as Socket
Mode delivers it. The app's Web API calls go to a stand-in server on 127.0.0.1
inside this process, and what they would have posted is printed.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
import uuid
from collections.abc import Iterable
from typing import Any, TextIO

from slack_bolt import BoltRequest

from bot.config import Settings
from bot.slack.app import build_app, web_client
from bot.slack.local_api import TEAM_ID, Call, WebApiStandIn
from bot.slack.payloads import (
    Workspace,
    assistant_thread_started,
    block_action,
    escape_mentions,
    event_callback,
    message_shortcut,
    slash_command,
)
from bot.slack.render import Place, render_blocks
from bot.slack.resilience import InlineExecutor
from bot.slack.services import Deps, tip_poster
from bot.slack.subcommands import banner_names

USER, CHANNEL, DM, APP_ID = "ULOCALUSER", "CLOCALCHAN", "DLOCALDMCH", "ALOCALAPP1"
WORKSPACE = Workspace(TEAM_ID, "local", CHANNEL, "local", USER, "you", APP_ID, "local")
BANNER = f"""pmbot local shell: the real Slack app, with Slack played by this terminal.
  /pm <question>     slash command (only you see the answer); /pm {banner_names()}
  @pmbot <question>  mention in #local (answered in a thread)
  ^ @pmbot <question>  follow-up in the last thread
  <question>         direct message
  <number>           click that button     home   App Home tab     quit   leave
  tips               post the daily tips that are due now (after /pm tips on)
  shortcut: <text>   "Ask pmbot" on a message someone wrote in #local (private answer)
  assistant          open pmbot's AI-app pane (prompts numbered); assistant: <question>
  /pm unanswered, /pm teach TOPIC-ID QUESTION   curate (here you are a curator)
"""


class Shell:
    def __init__(self, deps: Deps, out: TextIO) -> None:
        self.out = out
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
        self.buttons: dict[int, tuple[dict[str, Any], str, Place]] = {}
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1)
        self._last_thread: str | None = None
        self._pane: str | None = None  # the open AI-app thread's ts
        self.prompts: dict[int, str] = {}  # suggested prompt number -> its message
        self._seen_calls = 0

    def close(self) -> None:
        self.api.stop()

    # --- input ---------------------------------------------------------------
    def run(self, lines: Iterable[str], prompt: bool = False) -> None:
        self.out.write(BANNER)
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
        elif line == "tips":
            self._run_due_tips()
        elif line.startswith("shortcut:"):
            self._shortcut(line.removeprefix("shortcut:").strip())
        elif line == "assistant":
            self._open_pane()
        elif line.startswith("assistant:"):
            self._ask_pane(line.removeprefix("assistant:").strip())
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

    def _run_due_tips(self) -> None:
        if self.deps.tips is None:
            self.out.write("(daily tips need a database)\n")
            return
        poster = tip_poster(self.deps.tips, self.app.client, self.deps.engine.kb)
        report = poster.run_due(self.deps.clock())
        self.out.write(f"(daily tips: {report.summary()})\n")

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _dispatch(self, body: dict[str, Any]) -> str:
        return str(self.app.dispatch(BoltRequest(body=body, mode="socket_mode")).body or "")

    def _command(self, text: str) -> None:
        acked = self._dispatch(
            slash_command(
                WORKSPACE,
                escape_mentions(text),  # as Slack does: /pm has should_escape on
                self.api.response_url(f"command-{next(self._ids)}"),
                f"trigger-{next(self._ids)}",
            )
        )
        if acked:  # the answer came back in the ack, as Slack shows it to the asker
            self._print_message(
                "pmbot (only you can see this):", json.loads(acked), Place(CHANNEL, True)
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

    def _shortcut(self, text: str) -> None:
        self._dispatch(
            message_shortcut(
                WORKSPACE,
                text,
                message_ts=self._ts(),
                author="ULOCALPEER",
                response_url=self.api.response_url(f"shortcut-{next(self._ids)}"),
                trigger_id=f"trigger-{next(self._ids)}",
                action_ts=self._ts(),
            )
        )

    def _open_pane(self) -> None:
        self._pane = self._ts()
        self._event(assistant_thread_started(WORKSPACE, DM, self._pane))

    def _ask_pane(self, text: str) -> None:
        if self._pane is None:
            self._open_pane()
            self._print_new_calls()
        message = {"type": "message", "channel_type": "im", "user": USER, "text": text}
        self._event({**message, "ts": self._ts(), "channel": DM, "thread_ts": self._pane})

    def _click(self, number: int) -> None:
        if number in self.prompts:  # a suggested prompt: sent as the user's message
            self._ask_pane(self.prompts[number])
            return
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
            if p.get("thread_ts") and p.get("thread_ts") == self._pane:
                where = "the AI-app pane"
            if p.get("metadata"):
                where += " (daily tip)"
            thread = " (in the thread)" if p.get("thread_ts") else ""
            place = Place(str(p.get("channel")), False, call.response.get("ts"), p.get("thread_ts"))
            self._print_message(f"pmbot in {where}{thread}:", p, place)
        elif call.method == "response_url":
            if p.get("delete_original"):
                self.out.write("(pmbot removed its private answer)\n")
                return
            public = p.get("response_type") == "in_channel"
            heading = "pmbot in #local:" if public else "pmbot (only you can see this):"
            if p.get("replace_original"):
                heading = heading[:-1] + ", updated:"
            self._print_message(heading, p, Place(CHANNEL, not public, self._ts()))
        elif call.method == "chat.update":
            self._print_message("pmbot updated its answer:", p, Place(str(p.get("channel")), False))
        elif call.method == "assistant.threads.setStatus":
            self.out.write(f"(pmbot {p.get('status')})\n")
        elif call.method == "assistant.threads.setSuggestedPrompts":
            lines = []
            for prompt in p.get("prompts") or []:
                n = next(self._numbers)
                self.prompts[n] = str(prompt.get("message"))
                lines.append(f"  [{n}] {prompt.get('title')}")
            self.out.write(
                f"{p.get('title') or 'Suggested prompts'}:\n" + "\n".join(lines) + "\n\n"
            )
        elif call.method == "views.publish":
            view = p.get("view") or {}
            self._print_message("App Home:", view, Place(DM, True))

    def _prompt_number(self, message: str) -> int:
        n = next(self._numbers)
        self.prompts[n] = message
        return n

    def _print_message(self, heading: str, payload: dict[str, Any], place: Place) -> None:
        blocks = payload.get("blocks") or []
        place.blocks = blocks

        def number(element: dict[str, Any], block_id: str) -> int:
            n = next(self._numbers)
            self.buttons[n] = (element, block_id, place)
            return n

        lines = render_blocks(blocks, number) if blocks else [str(payload.get("text", ""))]
        self.out.write(heading + "\n" + "\n".join(f"  {line}" for line in lines) + "\n\n")
        self.out.flush()
