"""Normalising hostile text takes linear time, and only the start of a question is read."""

from __future__ import annotations

import time

import pytest

from bot.answers import text
from bot.slack.listeners.events import strip_mention

UNITS = ["<http:", "<https://x|", "<@A|", "<@U1", "<!", "<!sub|", "<#C|", "<mailto:", ":a"]


@pytest.mark.parametrize("unit", UNITS)
def test_markup_patterns_are_linear_on_100k_characters(unit: str) -> None:
    hostile = unit * (100_000 // len(unit))
    patterns = [text._SLACK_USER, text._SLACK_CHANNEL, text._SLACK_SPECIAL, text._SLACK_LINK]
    started = time.monotonic()
    for pattern in patterns:
        pattern.sub(" ", hostile)  # the whole text: no length bound helps here
    strip_mention(hostile, "A")
    assert time.monotonic() - started < 0.5


def test_markup_is_still_stripped() -> None:
    cleaned = text.strip_slack_markup("<@U1|ada> see <https://x.io|the roadmap> <!here> <#C1|gen>")
    assert cleaned.split() == ["see", "the", "roadmap"]
    assert strip_mention("<@UBOT|pmbot> who owns scope", "UBOT") == "who owns scope"


def test_only_the_start_of_a_question_is_read() -> None:
    far = "x " * text.MAX_INPUT_CHARS + "<@U1|roadmap>"
    assert "roadmap" not in text.strip_slack_markup(far)
    assert len(text.strip_slack_markup("a" * 1_000_000)) == text.MAX_INPUT_CHARS


def test_engine_answers_a_huge_hostile_question_quickly(engine) -> None:  # type: ignore[no-untyped-def]
    for unit in ["<http:", "<@A|", "<!"]:
        started = time.monotonic()
        engine.answer("who owns the roadmap " + unit * (100_000 // len(unit)))
        assert time.monotonic() - started < 0.5


def test_a_question_comes_in_as_typed_and_inert() -> None:
    """Slack's entities are undone once; control and bidi characters are dropped."""
    typed = strip_mention("<@UBOT> R&amp;D &lt;3\x1b[2J\x07 who\u202e owns\nscope?", "UBOT")
    assert typed == "R&D <3[2J who owns scope?"
