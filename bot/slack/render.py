"""Block Kit as terminal text, for the local shell. Pure: dicts in, lines out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def plain(text: str) -> str:
    """mrkdwn made readable: links as `label (url)`, mentions as @id, entities decoded."""
    text = _LINK.sub(r"\2 (\1)", text)
    text = _USER.sub(r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks(
    blocks: list[dict[str, Any]], number_button: Callable[[dict[str, Any], str], int]
) -> list[str]:
    """Lines for `blocks`; each button is shown as `[n] label`, n from number_button."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {plain(block['text']['text'])} ==")
        elif kind == "section":
            if "text" in block:
                lines.extend(plain(block["text"]["text"]).splitlines())
            for field in block.get("fields", []):
                lines.extend(["", *plain(field["text"]).splitlines()])
        elif kind == "context":
            text = " ".join(plain(e.get("text", "")) for e in block.get("elements", []))
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
