"""When a channel is due and which tip it gets: pure functions of a subscription,
its history and the time (no database, no Slack)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from bot.answers.model import Tip
from bot.tips.records import Subscription, TipPost


def parse_hhmm(text: str) -> clock_time:
    hours, minutes = text.split(":")
    return clock_time(int(hours), int(minutes))


def _slot(sub: Subscription, day: date) -> datetime:
    return datetime.combine(day, parse_hhmm(sub.post_time), tzinfo=ZoneInfo(sub.timezone))


def _posts_on(sub: Subscription, day: date) -> bool:
    """A day the channel gets a tip: a weekday (unless daily), and not one whose
    slot had passed when the channel subscribed (the first tip is the next slot)."""
    if sub.weekdays_only and day.weekday() >= 5:
        return False
    return _slot(sub, day).timestamp() >= sub.active_since


def due_date(sub: Subscription, now: datetime) -> date | None:
    """The channel's local date if its tip is due at `now`, else None.

    Local wall-clock time decides, so 09:00 stays 09:00 across daylight-saving
    changes; on the day clocks skip past the time, the first moment after it counts.
    """
    local = now.astimezone(ZoneInfo(sub.timezone))
    if not _posts_on(sub, local.date()):
        return None
    if local.time().replace(tzinfo=None) < parse_hhmm(sub.post_time):
        return None
    return local.date()


def next_post_at(sub: Subscription, now: datetime, posted_today: bool) -> datetime:
    """The next local date-time a tip goes out (for `/pm tips`); `now` if it is due."""
    local = now.astimezone(ZoneInfo(sub.timezone))
    day = local.date()
    for _ in range(9):
        if _posts_on(sub, day) and not (day == local.date() and posted_today):
            return max(_slot(sub, day), local)
        day += timedelta(days=1)
    raise AssertionError("a week always has a weekday")


def choose_tip(tips: Sequence[Tip], channel: str, history: Sequence[TipPost]) -> tuple[str, int]:
    """(tip id, round): no tip twice in a channel until it has seen every tip.

    The order is shuffled per channel (seeded by its id, so every process and
    every restart agrees), and the history in the database says what was seen.
    """
    if not tips:
        raise ValueError("no tips in the knowledge base")
    ids = [t.id for t in tips]
    random.Random(channel).shuffle(ids)
    current = max((p.round for p in history), default=0)
    seen = {p.tip_id for p in history if p.round == current}
    if set(ids) <= seen:
        current, seen = current + 1, set()
    return next(i for i in ids if i not in seen), current
