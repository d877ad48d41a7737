"""Slack's mrkdwn, the rules every room that reads or echoes user text needs: Slack
sends `&`, `<` and `>` typed by a person as `&amp;`, `&lt;` and `&gt;`, so text is
unescaped once on the way in and escaped once on the way out."""

from __future__ import annotations

# What a stranger's text must not carry to a terminal or a channel: C0 and C1 control
# characters (ESC sequences, BEL) and the bidi controls that reorder what is shown
# (U+202E). A line break or tab becomes a space.
_SPACES = {ord(c): " " for c in "\t\n\r\v\f"}
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_UNPRINTABLE = {c: None for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)} | _SPACES


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no <!channel>, no <@U…> can be formed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """A person's text as they typed it (Slack's markup, `<@U…>`, stays as it is)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def printable(text: str) -> str:
    """`text` with no control or bidi character: safe to print or post."""
    return text.translate(_UNPRINTABLE)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
