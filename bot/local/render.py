"""Block Kit as terminal text, for the local shell. Pure: dicts in, lines out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.mrkdwn import unescape

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def _styled(marker: str) -> re.Pattern[str]:
    """`*bold*`, `_italic_`, `~strike~` as Slack reads them: the marker hugs the
    text and is not inside a word (snake_case and 2*3*4 stay as they are)."""
    m = re.escape(marker)
    return re.compile(rf"(?<![\w{m}]){m}(?!\s)([^{m}\n]+?)(?<!\s){m}(?![\w{m}])")


# (pattern, ANSI on, ANSI off): bold, italic, strikethrough.
_STYLES = (
    (_styled("*"), "\x1b[1m", "\x1b[22m"),
    (_styled("_"), "\x1b[3m", "\x1b[23m"),
    (_styled("~"), "\x1b[9m", "\x1b[29m"),
)


# Slack's codes for the emoji pmbot and its knowledge use, shown as the emoji itself.
EMOJI = {
    "bulb": "💡",
    "raising_hand": "🙋",
    "wave": "👋",
    "tada": "🎉",
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "white_check_mark": "✅",
    "warning": "⚠️",
    "memo": "📝",
    "point_right": "👉",
    "calendar": "📅",
}
_EMOJI = re.compile(r":([a-z0-9_+-]{1,40}):")


def plain(text: str, ansi: bool = False) -> str:
    """mrkdwn made readable in a terminal: bold, italic and strikethrough as ANSI
    styles (`ansi`, for a terminal) or without their markers (piped); links as
    `label (url)`, mentions as @id, common `:emoji:` codes as emoji, entities decoded."""
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    text = _LINK.sub(r"\2 (\1)", text)
    text = _USER.sub(r"@\1", text)
    for pattern, on, off in _STYLES:
        text = pattern.sub(rf"{on}\1{off}" if ansi else r"\1", text)
    return unescape(text)


def render_blocks(
    blocks: list[dict[str, Any]],
    number_button: Callable[[dict[str, Any], str], int],
    ansi: bool = False,
) -> list[str]:
    """Lines for `blocks`; each button is shown as `[n] label`, n from number_button."""
    lines: list[str] = []

    def show(text: str) -> str:
        return plain(text, ansi)

    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {show(block['text']['text'])} ==")
        elif kind == "section":
            if "text" in block:
                lines.extend(show(block["text"]["text"]).splitlines())
            for field in block.get("fields", []):
                lines.extend(["", *show(field["text"]).splitlines()])
        elif kind == "context":
            text = " ".join(show(e.get("text", "")) for e in block.get("elements", []))
            lines.append(f"   ({text})")
        elif kind == "actions":
            labels = [
                f"[{number_button(e, block.get('block_id', ''))}] {e['text']['text']}"
                for e in block.get("elements", [])
                if e.get("type") == "button"
            ]
            lines.append("   " + "  ".join(labels))
        elif kind == "divider":
            lines.append("   " + "─" * 40)
    return lines


@dataclass
class Place:
    """Where a rendered message lives, so a click on it can say so."""

    channel: str
    ephemeral: bool
    ts: str | None = None
    thread_ts: str | None = None
    blocks: list[dict[str, Any]] = field(default_factory=list)


def render_prompts(payload: dict[str, Any], number: Callable[[str], int]) -> list[str]:
    """The AI-app pane's suggested prompts, each numbered (`number` gets its message)."""
    prompts = payload.get("prompts") or []
    lines = [f"  [{number(str(p.get('message')))}] {p.get('title')}" for p in prompts]
    return [f"{payload.get('title') or 'Suggested prompts'}:", *lines]
