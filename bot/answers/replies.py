"""The results that are not answers: a greeting, a clarifying question, a decline.
Pure: built from what the engine decided, with no matching of their own."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.messages import HELP_TEXT, NOT_SURE, clarify_text, not_known_text
from bot.answers.model import Smalltalk, Topic
from bot.answers.result import Result, calibrated


def smalltalk_result(talk_kb: Smalltalk, text: str, talk: str) -> Result:
    """A greeting gets a hello and the help; thanks, a short welcome."""
    reply = f"{talk_kb.greeting_reply}\n{HELP_TEXT}" if talk == "greeting" else talk_kb.thanks_reply
    return Result(question=text, status="smalltalk", topic=None, confidence=1.0, text=reply)


def clarify_result(text: str, close: Sequence[Topic], score: float) -> Result:
    """Two or three topics fit about as well: ask which one is meant."""
    return Result(
        question=text,
        status="clarify",
        topic=None,
        confidence=calibrated(score, 0.0),
        text=clarify_text([t.title for t in close]),
        alternatives=tuple(t.id for t in close),
    )


def decline_result(
    text: str,
    confidence: float,
    suggestions: Sequence[str],
    subject: Topic | None = None,
    offer: tuple[str, ...] = (),
) -> Result:
    """Not answered: a subject we decline (its own words), else "I don't know"
    with examples, or with the closest topics (`offer`) as buttons."""
    if subject is not None:
        reply = subject.answer.strip()
    elif offer:
        reply = NOT_SURE
    else:
        reply = not_known_text(suggestions)
    return Result(
        question=text,
        status="decline",
        topic=None,
        confidence=confidence,
        text=reply,
        title=subject.title if subject is not None else None,
        alternatives=subject.related if subject is not None else offer,
        suggestions=tuple(suggestions),
        declined=subject.id if subject is not None else None,
    )
