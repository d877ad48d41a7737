"""What the engine says about one question (engine.py decides it), and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CLEAR_MARGIN = 0.2
TIE_DISCOUNT = 0.3

Status = Literal["answer", "clarify", "decline", "help", "smalltalk"]


@dataclass(frozen=True)
class Result:
    """What the engine says about one question; nothing Slack-specific."""

    question: str
    status: Status
    topic: str | None  # set only when status is "answer"
    confidence: float
    text: str
    title: str | None = None
    alternatives: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default=())
    declined: str | None = None  # the decline topic that fired, for the curators' log

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "alternatives": list(self.alternatives),
        }


def calibrated(score: float, margin: float) -> float:
    """Score → confidence: full when the runner-up is far behind, less near a tie."""
    return min(score, 1.0) * (1 - TIE_DISCOUNT * (1 - min(margin / CLEAR_MARGIN, 1.0)))
