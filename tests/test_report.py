from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.answers.knowledge import KnowledgeBase
from bot.config import ConfigError
from bot.handoff.store import HandoffStore
from bot.report import parse_since, report_lines, stale_lines, table
from bot.store.database import Store
from bot.tips.store import TipStore


def test_table_aligns_columns() -> None:
    assert table(("a", "bee"), [("long value", 1), ("x", 22)]) == [
        "  a           bee",
        "  ----------  ---",
        "  long value  1",
        "  x           22",
    ]
    assert table(("a",), []) == ["  (none yet)"]


def test_report_shows_every_section(sqlite_url: str) -> None:
    store = Store(sqlite_url, clock=lambda: 1_800_000_000.0)
    store.record_question("salary", "answer")
    store.record_question("salary", "answer")
    store.record_vote("owns-risk", "down", "U7", "who handles risk?")
    store.log_unanswered("where is lunch", "U8", "decline")
    tips = TipStore(store)
    tips.subscribe("C1", "09:00", "Europe/Berlin", True, "U1")
    tips.subscribe("C2", "10:00", "UTC", False, "U1")
    tips.pause("C2", "is_archived")
    tips.claim("C1", "2027-03-29", "t1", 0, "tok", 1.0)
    tips.mark_posted("C1", "2027-03-29", "tok", "1.1", 2.0)
    handoffs = HandoffStore(store)
    for n in range(3):
        handoffs.claim(f"C1:{n}:U8", "U8", "C1", None, "holders")
    for handoff, wait in ((1, 600.0), (2, 1800.0)):
        store.clock = lambda wait=wait: 1_800_000_000.0 + wait
        assert handoffs.answered(handoff, "U2")
    text = "\n".join(report_lines(store))
    store.close()
    assert text.splitlines()[:13] == [
        "Period: all time",
        "Questions: 2; answered 2 (100%), clarified 0 (0%), declined 0 (0%), "
        "help or greetings 0 (0%)",
        "Votes: 0 up, 1 down",
        "Daily tips: 1 posted, 0 failed",
        "Asked a person: 3 asked, 2 answered (median time to a person's answer: 20 min)",
        "",
        "Top unanswered questions (declined or clarified, similar ones as one)",
        "  times  wordings  newest                question (newest wording)",
        "  -----  --------  --------------------  -------------------------",
        "  1      1         2027-01-15 08:00 UTC  where is lunch",
        "",
        "Most-asked topics",
        "  topic   times",
    ]
    assert "  2027-01-15 08:00 UTC  downvote  U7    owns-risk  who handles risk?" in text
    assert "  2027-01-15 08:00 UTC  decline   U8    -          where is lunch" in text
    assert "  owns-risk  1     0   100%" in text
    assert "  C1       09:00 Europe/Berlin, weekdays  on                    2027-03-29" in text
    assert "  C2       10:00 UTC, every day           paused (is_archived)  -" in text


def test_stale_topics(kb: KnowledgeBase) -> None:
    topics = dict(kb.topics)
    topics["salary"] = replace(topics["salary"], reviewed="2026-01-10", maintainer="pay team")
    topics["owns-risk"] = replace(topics["owns-risk"], reviewed="2026-11-01")
    dated = replace(kb, topics=topics, settings=replace(kb.settings, review_days=180))
    never = len(kb.topics) - 2
    assert stale_lines(dated, date(2026, 12, 2)) == [
        "Stale topics (reviewed more than 180 days ago)",
        "  topic   reviewed    due         maintainer",
        "  ------  ----------  ----------  ----------",
        "  salary  2026-01-10  2026-07-09  pay team",
        f"  {never} topics have no 'reviewed' date",
    ]
    no_period = replace(kb, settings=replace(kb.settings, review_days=None))
    assert stale_lines(no_period, date(2026, 12, 2)) == [
        "Stale topics",
        "  (no review period: set 'review_days' in settings)",
    ]


def test_report_since_counts_only_the_period(sqlite_url: str) -> None:
    now = {"t": 1_800_000_000.0}
    store = Store(sqlite_url, clock=lambda: now["t"])
    store.record_question("salary", "answer")
    store.log_unanswered("old question", "U8", "decline")
    now["t"] += 10 * 86400  # ten days later
    for status in ("answer", "answer", "clarify", "decline"):
        store.record_question("owns-risk" if status == "answer" else None, status)
    store.record_question(None, "smalltalk")
    for question in ("where is lunch", "Where is lunch?", "where is lnch", "pto?"):
        store.log_unanswered(question, "U8", "decline")
        now["t"] += 60
    store.record_vote("owns-risk", "up", "U7", "q")
    since = parse_since("7d", datetime.fromtimestamp(now["t"], UTC))
    lines = report_lines(store, since=since, database="the SQLite file x.sqlite3")
    store.close()
    assert lines[:13] == [
        "Database: the SQLite file x.sqlite3",
        "Period: since 2027-01-18 08:04 UTC",
        "Questions: 5; answered 2 (40%), clarified 1 (20%), declined 1 (20%), "
        "help or greetings 1 (20%)",
        "Votes: 1 up, 0 down",
        "Daily tips: 0 posted, 0 failed",
        "Asked a person: 0 asked, 0 answered",
        "",
        "Top unanswered questions (declined or clarified, similar ones as one)",
        "  times  wordings  newest                question (newest wording)",
        "  -----  --------  --------------------  -------------------------",
        "  3      2         2027-01-25 08:02 UTC  where is lnch",
        "  1      1         2027-01-25 08:03 UTC  pto?",
        "",
    ]
    assert "salary" not in "\n".join(lines) and "old question" not in "\n".join(lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", "2027-03-22"),
        ("24h", "2027-03-28"),
        ("2w", "2027-03-15"),
        ("2027-03-01", "2027-03-01"),
    ],
)
def test_parse_since(text: str, expected: str) -> None:
    now = datetime(2027, 3, 29, 7, 5, tzinfo=UTC)
    since = parse_since(text, now)
    assert since is not None and since.date().isoformat() == expected


def test_parse_since_names_the_flag() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_since("last week", datetime(2027, 3, 29, tzinfo=UTC))
    assert str(caught.value) == (
        "--since must be a span like 7d, 24h, 2w or a date like 2027-03-01, not 'last week'"
    )
