from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answers.knowledge import KnowledgeBase
from bot.report import report_lines, stale_lines, table
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
    text = "\n".join(report_lines(store))
    store.close()
    assert text.splitlines()[:4] == [
        "Most-asked topics",
        "  topic   times",
        "  ------  -----",
        "  salary  2",
    ]
    assert "  2027-01-15 08:00 UTC  downvote  U7    owns-risk  who handles risk?" in text
    assert "  2027-01-15 08:00 UTC  decline   U8    -          where is lunch" in text
    assert "  owns-risk  1     0" in text
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
