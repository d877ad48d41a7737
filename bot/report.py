"""`pmbot report`: what curators need to see, as plain terminal tables.

It opens with the database it read (so a report run against the wrong, empty
database says so) and the period (`--since 7d`); then the period's totals:
questions and how they were answered, votes, tips posted and failed, questions
handed to a person; then the top unanswered questions (similar ones grouped), the
most-asked topics and down-voted answers (with their 👎 rate), and every tip
subscription.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from bot.answers.freshness import stale_topics, unreviewed
from bot.answers.model import KnowledgeBase
from bot.answers.text import Normaliser
from bot.config import ConfigError
from bot.curation.insights import unanswered_groups
from bot.handoff.store import HandoffStore
from bot.mrkdwn import printable
from bot.store.database import Store
from bot.tips.command import describe
from bot.tips.store import TipStore

_SPAN = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str | None, now: datetime) -> datetime | None:
    """`7d`, `24h`, `2w`, `30m` before `now`, or a date (2027-03-01, UTC); None: all time."""
    if not text:
        return None
    span = _SPAN.match(text.strip().lower())
    if span:
        return now - timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
    return parse_moment(text, "--since must be a span like 7d, 24h, 2w or a date like 2027-03-01")


def parse_moment(text: str, must: str) -> datetime:
    """A date or an ISO time, UTC unless it says otherwise; else one line: `must`, not …"""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{must}, not {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    if not rows:
        return ["  (none yet)"]
    # A logged question is a stranger's text: no escape sequence reaches the terminal.
    cells = [[str(c) for c in headers], *[[printable(str(c)) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells
    ]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def _time(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else str(part)


def summary_lines(store: Store, since: float) -> list[str]:
    """The period's totals: questions by outcome, votes, tips."""
    counts = store.status_counts(since)
    total = sum(counts.values())
    other = total - sum(counts.get(s, 0) for s in ("answer", "clarify", "decline"))
    up, down = store.vote_totals(since)
    posts = TipStore(store).post_counts(since)
    handoffs = HandoffStore(store).summary(since)
    return [
        f"Questions: {total}; answered {_share(counts.get('answer', 0), total)}, "
        f"clarified {_share(counts.get('clarify', 0), total)}, "
        f"declined {_share(counts.get('decline', 0), total)}, "
        f"help or greetings {_share(other, total)}",
        f"Votes: {up} up, {down} down",
        f"Daily tips: {posts.get('posted', 0)} posted, {posts.get('failed', 0)} failed"
        + (f", {posts['claimed']} in flight" if posts.get("claimed") else ""),
        f"Asked a person: {handoffs.line()}",
    ]


def report_lines(
    store: Store,
    limit: int = 10,
    since: datetime | None = None,
    database: str = "",
    normaliser: Normaliser | None = None,
) -> list[str]:
    """`normaliser`: the engine's, so questions naming different roles are never
    grouped as one."""
    start = since.timestamp() if since else 0.0
    period = f"since {since:%Y-%m-%d %H:%M %Z}" if since else "all time"
    lines = [f"Database: {database}"] if database else []
    lines += [f"Period: {period}", *summary_lines(store, start), ""]
    lines += ["Top unanswered questions (declined or clarified, similar ones as one)"]
    lines += table(
        ("times", "wordings", "newest", "question (newest wording)"),
        [
            (g.count, g.wordings, _time(g.newest), g.question[:80])
            for g in unanswered_groups(store, start, normaliser)[:limit]
        ],
    )
    lines += ["", "Most-asked topics"]
    lines += table(("topic", "times"), store.most_asked(limit, start))
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
            for r in store.recent_unanswered(limit, start)
        ],
    )
    lines += ["", "Most down-voted answers"]
    lines += table(
        ("topic", "down", "up", "👎 rate"),
        [(t, d, u, f"{d / (d + u):.0%}") for t, d, u in store.most_down_voted(limit, start)],
    )
    return [*lines, "", "Tip subscriptions", *subscription_lines(TipStore(store))]


def subscription_lines(tips: TipStore) -> list[str]:
    rows = []
    for sub in tips.all_subscriptions(active_only=False):
        last = tips.last_posted(sub.channel_id)
        state = (
            "on" if sub.active else f"paused ({sub.paused_reason})" if sub.paused_reason else "off"
        )
        rows.append((sub.channel_id, describe(sub), state, last.local_date if last else "-"))
    return table(("channel", "schedule", "state", "last tip"), rows)


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
