"""Slack's mrkdwn, the two rules every room that echoes user text needs."""

from __future__ import annotations


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no <!channel>, no <@U…> can be formed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
