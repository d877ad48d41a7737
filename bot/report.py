"""`pmbot report`: what curators need to see, as plain terminal tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.answers.freshness import stale_topics, unreviewed
from bot.answers.model import KnowledgeBase
from bot.store.database import Store
from bot.tips.command import describe
from bot.tips.store import TipStore


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    if not rows:
        return ["  (none yet)"]
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells
    ]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def _time(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def report_lines(store: Store, limit: int = 10) -> list[str]:
    tips = TipStore(store)
    lines = ["Most-asked topics"]
    lines += table(("topic", "times"), store.most_asked(limit))
    lines += ["", "Recent unanswered questions (declines, clarifies and down-votes)"]
    lines += table(
        ("when", "why", "user", "topic", "question"),
        [
            (
                _time(r["logged_at"]),
                r["reason"],
                r["user_id"],
                r["topic"] or "-",
                r["question"][:80],
            )
            for r in store.recent_unanswered(limit)
        ],
    )
    lines += ["", "Most down-voted answers"]
    lines += table(("topic", "down", "up"), store.most_down_voted(limit))
    lines += ["", "Tip subscriptions"]
    rows = []
    for sub in tips.all_subscriptions(active_only=False):
        last = tips.last_posted(sub.channel_id)
        state = (
            "on" if sub.active else f"paused ({sub.paused_reason})" if sub.paused_reason else "off"
        )
        rows.append((sub.channel_id, describe(sub), state, last.local_date if last else "-"))
    lines += table(("channel", "schedule", "state", "last tip"), rows)
    return lines


def stale_lines(kb: KnowledgeBase, today: date) -> list[str]:
    """Topics whose review is overdue (knowledge `settings: review_days`), and how many
    carry no `reviewed` date at all."""
    if kb.settings.review_days is None:
        return ["Stale topics", "  (no review period: set 'review_days' in settings)"]
    rows = [
        (s.topic.id, s.reviewed.isoformat(), s.due.isoformat(), s.topic.maintainer or "-")
        for s in stale_topics(kb, today)
    ]
    lines = [f"Stale topics (reviewed more than {kb.settings.review_days} days ago)"]
    lines += table(("topic", "reviewed", "due", "maintainer"), rows)
    never = len(unreviewed(kb))
    return [*lines, f"  {never} topics have no 'reviewed' date"] if never else lines
