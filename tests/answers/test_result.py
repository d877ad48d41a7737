from __future__ import annotations

import pytest

from bot.answers.result import Result, calibrated


def test_confidence_is_discounted_near_a_tie() -> None:
    assert calibrated(0.9, 0.5) == pytest.approx(0.9)
    assert calibrated(0.9, 0.0) == pytest.approx(0.63)
    assert calibrated(0.9, 0.1) < calibrated(0.9, 0.2)
    assert calibrated(1.4, 0.5) == pytest.approx(1.0)  # a score above 1 is capped


def test_json_names_the_topic_only_with_its_status() -> None:
    result = Result("q", "clarify", None, 0.61234, "Did you mean…", alternatives=("a", "b"))
    assert result.to_json() == {
        "status": "clarify",
        "topic": None,
        "confidence": 0.612,
        "text": "Did you mean…",
        "alternatives": ["a", "b"],
    }
