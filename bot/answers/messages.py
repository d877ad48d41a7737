"""What pmbot says when it does not answer from a topic: the help, the decline and
the clarifying question. Topic answers and declines' own wording are knowledge."""

from __future__ import annotations

from collections.abc import Sequence

HELP_TEXT = (
    "Ask me who does what: product manager or project manager.\n"
    "For example:\n"
    "• what's the difference between a product manager and a project manager?\n"
    "• who owns the roadmap?\n"
    "• which PM earns more?"
)


NOT_KNOWN = (
    "I don't know that one. I answer questions about product managers and project "
    "managers: who does what."
)


def not_known_text(suggestions: Sequence[str]) -> str:
    lines = "\n".join(f"• {s}" for s in suggestions)
    return f"{NOT_KNOWN} Try:\n{lines}"


def clarify_text(titles: Sequence[str]) -> str:
    shown = " or ".join(f"*{t}*" for t in titles)
    return f"I'm not sure which you mean: {shown}?"
