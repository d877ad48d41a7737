"""`pmbot shell`: chat with the real Bolt app in a terminal, no workspace needed.

Each line becomes the payload Slack would send (`/pm`, `app_mention`, `message.im`,
`block_actions`, `app_home_opened`, the "Ask pmbot" `message_action`, the AI-app
pane's `assistant_thread_started`) and goes through `app.dispatch` exactly as Socket
Mode delivers it. The app's Web API calls go to a stand-in server on 127.0.0.1
inside this process, and what they would have posted is printed.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt import BoltRequest

from bot.config import Settings
from bot.local.local_api import TEAM_ID, WebApiStandIn
from bot.local.render import Place
from bot.local.shell_output import CHANNEL, DM, ShellOutput
from bot.slack.app import build_app, web_client
from bot.slack.payloads import (
    Workspace,
    assistant_thread_started,
    block_action,
    escape_mentions,
    event_callback,
    message_shortcut,
    slash_command,
)
from bot.slack.resilience import InlineExecutor
from bot.slack.services import Deps
from bot.slack.subcommands import banner_names

EXAMPLE_TIME = "2027-03-29T09:05Z"
USER, APP_ID = "ULOCALUSER", "ALOCALAPP1"
WORKSPACE = Workspace(TEAM_ID, "local", CHANNEL, "local", USER, "you", APP_ID, "local")
BANNER = f"""pmbot local shell: the real Slack app, with Slack played by this terminal.
  /pm <question>     slash command (only you see the answer); /pm {banner_names()}
  @pmbot <question>  mention in #local (answered in a thread)
  ^ @pmbot <question>  follow-up in the last thread
  <question>         direct message
  <number>           click that button     home   App Home tab     quit   leave
  tips [TIME]        post the daily tips due now, or at TIME (2027-03-29T09:05Z),
                     as the scheduler would (after /pm tips on)
  shortcut: <text>   "Ask pmbot" on a message someone wrote in #local (private answer)
  assistant          open pmbot's AI-app pane (prompts numbered); assistant: <question>
  /pm unanswered, /pm teach TOPIC-ID QUESTION   curate (here you are a curator)
  reply @name <text> a colleague's reply in the last thread in #local (how an
                     "Ask a person" gets its answer: /pm team product @name first)
"""


def machine_zone(env: Mapping[str, str], localtime: Path = Path("/etc/localtime")) -> str:
    """This machine's time zone by name (TZ, else where /etc/localtime points), else
    UTC: the shell's user lives where its terminal does."""
    names = [env.get("TZ", "").removeprefix(":")]
    with contextlib.suppress(OSError):
        names.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    for name in names:
        try:
            if name and ZoneInfo(name):
                return name
        except (ValueError, ZoneInfoNotFoundError):
            continue
    return "UTC"


class Shell(ShellOutput):
    def __init__(
        self,
        deps: Deps,
        out: TextIO,
        ansi: bool | None = None,
        zone: str | None = None,
        width: int | None = None,
    ) -> None:
        """`zone`: your time zone as Slack would tell pmbot (`/pm tips on` uses it);
        None keeps the stand-in's own. `width`: a terminal's columns (None: no wrap)."""
        super().__init__()
        self.out = out
        self.width = width
        # Slack's *bold* and _italic_ as terminal styles; piped, just the words.
        self.ansi = out.isatty() if ansi is None else ansi
        self.deps = deps
        self.api = WebApiStandIn().start()
        if zone:
            self.api.state.user_time_zones[USER] = zone
        settings = Settings(
            bot_token="xoxb-local-shell",
            signing_secret=secrets.token_hex(16),
            api_url=self.api.base_url,
        )
        self.app = build_app(
            settings, deps, client=web_client(settings), listener_executor=InlineExecutor()
        )
        self._last_thread: str | None = None

    def close(self) -> None:
        self.api.stop()

    # --- input ---------------------------------------------------------------
    def run(self, lines: Iterable[str], notes: Iterable[str] = ()) -> None:
        """Act on `lines` until one says quit; at a terminal they come with their
        prompt and line editing (bot/local/terminal.py)."""
        self.out.write(BANNER)
        for note in notes:  # which knowledge and database this session uses
            self.out.write(f"  {note}\n")
        for line in lines:
            if not self.handle(line.strip()):
                break

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
        elif line.startswith("shortcut:"):
            self._shortcut(line.removeprefix("shortcut:").strip())
        elif line == "assistant":
            self._open_pane()
        elif line.startswith("assistant:"):
            self._ask_pane(line.removeprefix("assistant:").strip())
        elif line.startswith("reply @"):
            self._colleague_reply(line.removeprefix("reply @"))
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
        now = self.deps.clock()
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError:
                now = None  # type: ignore[assignment]
            if now is None or now.tzinfo is None:
                self.out.write(f"(tips TIME: ISO-8601 with a zone, e.g. {EXAMPLE_TIME})\n")
                return
        summary = self.deps.run_due(self.app.client, now)
        if summary is None:
            self.out.write("(daily tips need a database)\n")
            return
        self._print_new_calls()  # the tips as posted, then the summary
        when = f" at {now:%Y-%m-%d %H:%M %Z}" if at else ""
        self.out.write(f"(daily tips{when}: {summary})\n")

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

    def _colleague_reply(self, line: str) -> None:
        """@name replies in the last thread in #local: the question's, or pmbot's own
        newest post there (an "Ask a person" from a private /pm answer)."""
        name, _, text = line.partition(" ")
        newest = [
            c for c in self.api.calls_to("chat.postMessage") if c.params.get("channel") == CHANNEL
        ]
        posted = str(newest[-1].response.get("ts") or "") if newest else ""
        thread = self._last_thread if not posted or newest[-1].params.get("thread_ts") else posted
        if not name or not text.strip() or not thread:
            self.out.write("(reply @name <text>: after a question in #local)\n")
            return
        user = f"U{name.upper()}"
        reply = {"type": "message", "channel": CHANNEL, "channel_type": "channel", "user": user}
        self._event(reply | {"text": text.strip(), "ts": self._ts(), "thread_ts": thread})

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
