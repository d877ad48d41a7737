from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.tips.command import TipsRequest, TipsUsageError, parse_tips_args, status_text, when
from bot.tips.records import Subscription

NOW = datetime(2027, 3, 29, 7, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], TipsRequest("status")),
        (["status"], TipsRequest("status")),
        (["off"], TipsRequest("off")),
        (["on"], TipsRequest("on", "09:00", None, True)),
        (["on", "9:30"], TipsRequest("on", "09:30", None, True)),
        (["on", "17:45", "Europe/Berlin"], TipsRequest("on", "17:45", "Europe/Berlin", True)),
        (["on", "Asia/Tokyo", "daily"], TipsRequest("on", "09:00", "Asia/Tokyo", False)),
        (["on", "9am"], TipsRequest("on", "09:00", None, True)),
        (["on", "12pm", "utc"], TipsRequest("on", "12:00", "UTC", True)),
        (["on", "12am"], TipsRequest("on", "00:00", None, True)),
        (["on", "daily", "weekdays"], TipsRequest("on", "09:00", None, True)),
    ],
)
def test_parse(words: list[str], expected: TipsRequest) -> None:
    assert parse_tips_args(words) == expected


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["on", "25:00"], "I couldn't read “25:00” as a time. Try 09:30 or 9am."),
        (["on", "13pm"], "I couldn't read “13pm” as a time. Try 09:30 or 9am."),
        (
            ["on", "Mars/Olympus"],
            "I don't know the time zone “Mars/Olympus”. Use an Area/City name like "
            "Europe/Berlin or America/New_York.",
        ),
        (
            ["on", "../../etc/passwd"],
            "I don't know the time zone “../../etc/passwd”. Use an Area/City name like "
            "Europe/Berlin or America/New_York.",
        ),
        (
            ["on", "soon"],
            "I didn't understand “soon”. Use `/pm tips on [HH:MM] [Area/City] [daily]`, "
            "`/pm tips off`, or `/pm tips`.",
        ),
        (
            ["on", "<!channel>"],
            "I didn't understand “&lt;!channel&gt;”. Use `/pm tips on [HH:MM] [Area/City] "
            "[daily]`, `/pm tips off`, or `/pm tips`.",
        ),
        (
            ["on", "<@U123>/x"],
            "I don't know the time zone “&lt;@U123&gt;/x”. Use an Area/City name like "
            "Europe/Berlin or America/New_York.",
        ),
        (
            ["sometimes"],
            "I didn't get that. Use `/pm tips on [HH:MM] [Area/City] [daily]`, "
            "`/pm tips off`, or `/pm tips`.",
        ),
    ],
)
def test_parse_errors_say_how_to_fix_them(words: list[str], message: str) -> None:
    with pytest.raises(TipsUsageError) as caught:
        parse_tips_args(words)
    assert str(caught.value) == message


def subscription(active: bool = True, reason: str | None = None) -> Subscription:
    return Subscription("C1", "09:00", "Europe/Berlin", True, active, reason, "U1")


def test_status_texts() -> None:
    later = datetime(2027, 3, 30, 9, 0, tzinfo=UTC)
    assert status_text(subscription(), later, "2027-03-29", NOW) == (
        "Daily tips are on: 09:00 Europe/Berlin, weekdays. Next tip: Tue 30 Mar at 09:00. "
        "Last tip: 2027-03-29."
    )
    assert status_text(None, None, None, NOW).startswith("Daily tips are off in this channel.")
    assert status_text(subscription(False), None, None, NOW).startswith("Daily tips are off")
    assert status_text(subscription(False, "is_archived"), None, None, NOW).startswith(
        "Daily tips are paused here (is_archived)"
    )


def test_when() -> None:
    assert when(NOW, NOW) == "due now, within the minute"
    assert when(datetime(2027, 3, 30, 9, 0, tzinfo=UTC), NOW) == "Tue 30 Mar at 09:00"
