"""`/pm tips …`: parsing and wording, kept pure (the listener does the I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.mrkdwn import escape
from bot.tips.records import Subscription

DEFAULT_TIME = "09:00"
USAGE = "`/pm tips on [HH:MM] [Area/City] [daily]`, `/pm tips off`, or `/pm tips`"
NOT_IN_CHANNEL = (
    "I'm not in this channel yet, so I couldn't post tips here. Invite me with "
    "`/invite @pmbot`, then run `/pm tips on` again."
)
NOT_OUR_DM = (
    "Daily tips can't go to a direct message between people: I'm not part of it. "
    "Run `/pm tips on` in a channel I'm in, or in your direct message with me."
)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)?$")


class TipsUsageError(ValueError):
    """The words after `/pm tips` could not be read; the message says how to fix it."""


@dataclass(frozen=True)
class TipsRequest:
    action: str  # "on", "off" or "status"
    post_time: str = DEFAULT_TIME
    timezone: str | None = None  # None: the requesting user's Slack time zone
    weekdays_only: bool = True


def _shown(word: str) -> str:
    """The user's word, quoted back inert: never a <!channel> or a mention."""
    return escape(word[:40])


def _parse_time(word: str) -> str | None:
    match = _TIME.match(word)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix:
        if not 1 <= hours <= 12:
            raise TipsUsageError(f"I couldn't read “{_shown(word)}” as a time. Try 09:30 or 9am.")
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if hours > 23 or minutes > 59:
        raise TipsUsageError(f"I couldn't read “{_shown(word)}” as a time. Try 09:30 or 9am.")
    return f"{hours:02d}:{minutes:02d}"


def valid_timezone(name: str) -> bool:
    if not name or ".." in name or name.startswith("/"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def parse_tips_args(words: list[str]) -> TipsRequest:
    if not words or words[0].lower() in ("status", "show"):
        return TipsRequest("status")
    action, rest = words[0].lower(), words[1:]
    if action == "off" and not rest:
        return TipsRequest("off")
    if action != "on":
        raise TipsUsageError(f"I didn't get that. Use {USAGE}.")
    post_time, zone, weekdays_only = DEFAULT_TIME, None, True
    for word in rest:
        lowered = word.lower()
        parsed = _parse_time(lowered)
        if parsed:
            post_time = parsed
        elif lowered in ("daily", "everyday", "every-day"):
            weekdays_only = False
        elif lowered in ("weekdays", "workdays"):
            weekdays_only = True
        elif word.upper() in ("UTC", "GMT"):
            zone = "UTC"
        elif "/" in word:
            if not valid_timezone(word):
                raise TipsUsageError(
                    f"I don't know the time zone “{_shown(word)}”. Use an Area/City name like "
                    "Europe/Berlin or America/New_York."
                )
            zone = word
        else:
            raise TipsUsageError(f"I didn't understand “{_shown(word)}”. Use {USAGE}.")
    return TipsRequest("on", post_time, zone, weekdays_only)


def describe(sub: Subscription) -> str:
    days = "weekdays" if sub.weekdays_only else "every day"
    return f"{sub.post_time} {sub.timezone}, {days}"


def when(moment: datetime, now: datetime) -> str:
    if moment <= now:
        return "due now, within the minute"
    return moment.strftime("%a %d %b at %H:%M")


def status_text(
    sub: Subscription | None, next_at: datetime | None, last_date: str | None, now: datetime
) -> str:
    if sub is None or (not sub.active and not sub.paused_reason):
        return f"Daily tips are off in this channel. Turn them on with {USAGE.split(',')[0]}."
    if not sub.active:
        return (
            f"Daily tips are paused here ({sub.paused_reason}): I can't post in this channel. "
            "Invite me with `/invite @pmbot`, then run `/pm tips on` again."
        )
    parts = [f"Daily tips are on: {describe(sub)}."]
    if next_at is not None:
        parts.append(f"Next tip: {when(next_at, now)}.")
    if last_date:
        parts.append(f"Last tip: {last_date}.")
    return " ".join(parts)
