"""What the local shell prints: every Web API call the app made, as the person in
Slack would see it (a message, a private reply, an update, the agent pane's
status and prompts, App Home), with buttons and prompts numbered to click."""

from __future__ import annotations

import itertools
import textwrap
import time
from typing import Any, TextIO

from bot.local.local_api import Call, WebApiStandIn
from bot.local.render import Place, plain, render_blocks, render_prompts

CHANNEL, DM = "CLOCALCHAN", "DLOCALDMCH"


class ShellOutput:
    """The printing half of the shell (shell.py is the typing half)."""

    out: TextIO
    ansi: bool
    api: WebApiStandIn

    def __init__(self) -> None:
        self.buttons: dict[int, tuple[dict[str, Any], str, Place]] = {}
        self.prompts: dict[int, str] = {}  # suggested prompt number -> its message
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1)
        self._pane: str | None = None  # the open AI-app thread's ts
        self._seen_calls = 0
        self.width: int | None = None  # a terminal's columns: lines wrap to them

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _print_new_calls(self) -> None:
        calls = self.api.calls
        for call in calls[self._seen_calls :]:
            self._print_call(call)
        self._seen_calls = len(calls)

    def _print_call(self, call: Call) -> None:
        p = call.params
        if call.method == "chat.postMessage":
            # A DM, or a post to a user id: the app's DM with them (here, with you).
            where = "your DM" if str(p.get("channel", "")).startswith(("D", "U")) else "#local"
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
            self.out.write("\n".join(render_prompts(p, self._prompt_number)) + "\n\n")
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

        lines = (
            render_blocks(blocks, number, self.ansi)
            if blocks
            else plain(str(payload.get("text", "")), self.ansi).splitlines()
        )
        shown = [wrapped for line in lines for wrapped in self._wrap(line)]
        self.out.write(heading + "\n" + "\n".join(shown) + "\n\n")
        self.out.flush()

    def _wrap(self, line: str) -> list[str]:
        """A line indented under its heading; at a terminal, wrapped to its width,
        continuing under the text of a bullet."""
        if self.width is None or len(line) + 2 <= self.width:
            return [f"  {line}"]
        hang = "  " + " " * (len(line) - len(line.lstrip("•-[]0123456789 ")))
        return textwrap.wrap(line, self.width, initial_indent="  ", subsequent_indent=hang)
