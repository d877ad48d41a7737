"""What pmbot says when it does not answer from a topic: the help, the decline and
the clarifying question. Topic answers and declines' own wording are knowledge."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

from bot.answers.model import KnowledgeBase

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


NOT_SURE = "I'm not sure I know that one. The closest I have:"


def not_known_text(suggestions: Sequence[str]) -> str:
    lines = "\n".join(f"• {s}" for s in suggestions)
    return f"{NOT_KNOWN} Try:\n{lines}"


def clarify_text(titles: Sequence[str]) -> str:
    shown = " or ".join(f"*{t}*" for t in titles)
    return f"I'm not sure which you mean: {shown}?"


def example_questions(kb: KnowledgeBase, count: int = 4) -> list[str]:
    """Questions to offer: the suggested topics' first question, else any topic's."""
    wanted = kb.settings.suggested_topics
    chosen = [kb.topics[t].questions[0] for t in wanted if t in kb.topics]
    anyone = (t.questions[0] for t in kb.topics.values() if not t.declines)
    return chosen[:count] or list(islice(anyone, count))
