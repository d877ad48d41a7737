"""Knowledge that stays fresh: when a topic was last reviewed, and the date its figures
are from.

A topic may carry `reviewed: YYYY-MM-DD` and a `maintainer` (who looks after it), and
`as_of` (YYYY-MM or YYYY-MM-DD) when its answer states figures, such as salaries: the
answer then says "as of …". `as_of: undated` says the figures' source gives no date:
the answer then says so, instead of a date nobody can vouch for.
The knowledge base's `settings: review_days` is the review period; a topic reviewed
longer ago than that is stale. A topic with no `reviewed` date is never called stale:
there is nothing to measure, and `pmbot report` counts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.answers.model import KnowledgeBase, Topic
from bot.answers.problems import LineDict
from bot.answers.schema import Problems

DATED = {
    "reviewed": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "as_of": re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$"),
}
UNDATED = "undated"  # the one word `as_of` takes besides a date
UNDATED_NOTE = "_The source of these figures gives no date: check a current survey._"
# A money figure in an answer ("$110k", "€90,000", "91k USD"): it should say when it is from.
FIGURE = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?k?\s?(?:USD|EUR|GBP)\b")
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def parse_date(value: str) -> date:
    """YYYY-MM-DD, or YYYY-MM as the first of that month; ValueError otherwise."""
    return date.fromisoformat(value if len(value) == 10 else f"{value}-01")


def check_dates(
    problems: Problems, file: str, item: LineDict, what: str, values: dict[str, Any]
) -> None:
    """The loader's check of a topic's date fields (a calendar date, in the shape asked)."""
    for name, shape in DATED.items():
        value = values[name]
        if value is None:
            continue
        if name == "as_of" and value == UNDATED:
            continue
        try:
            valid = bool(shape.match(value)) and parse_date(value) is not None
        except ValueError:
            valid = False
        if not valid:
            wanted = "YYYY-MM-DD" if name == "reviewed" else f"YYYY-MM, YYYY-MM-DD or {UNDATED}"
            problems.add(file, item.lines[name], f"'{name}' of {what} must be a date, {wanted}")


def as_of_text(value: str) -> str:
    """`2024-05` -> "May 2024"; `2024-05-03` -> "3 May 2024"."""
    when = parse_date(value)
    month = f"{MONTHS[when.month - 1]} {when.year}"
    return month if len(value) == 7 else f"{when.day} {month}"


def answer_text(topic: Topic) -> str:
    """A topic's answer as shown: with the date of its figures when it has one."""
    if topic.as_of is None:
        return topic.answer
    if topic.as_of == UNDATED:
        return f"{topic.answer.rstrip()}\n{UNDATED_NOTE}"
    return f"{topic.answer.rstrip()}\n_Figures as of {as_of_text(topic.as_of)}._"


@dataclass(frozen=True)
class Stale:
    topic: Topic
    reviewed: date
    due: date  # reviewed + the review period

    def describe(self, today: date) -> str:
        who = f", maintainer {self.topic.maintainer}" if self.topic.maintainer else ""
        return (
            f"topic '{self.topic.id}' is stale: last reviewed {self.reviewed.isoformat()}, "
            f"review was due {self.due.isoformat()} ({(today - self.due).days} days ago){who}"
        )


def stale_topics(kb: KnowledgeBase, today: date) -> list[Stale]:
    """Topics whose review is overdue on `today`, most overdue first (none when the
    knowledge base sets no review period)."""
    days = kb.settings.review_days
    if days is None:
        return []
    found = []
    for topic in kb.topics.values():
        if topic.reviewed is None:
            continue
        reviewed = parse_date(topic.reviewed)
        due = date.fromordinal(reviewed.toordinal() + days)
        if due < today:
            found.append(Stale(topic, reviewed, due))
    return sorted(found, key=lambda s: (s.due, s.topic.id))


def unreviewed(kb: KnowledgeBase) -> list[Topic]:
    return [t for t in kb.topics.values() if t.reviewed is None]


def figures_without_as_of(kb: KnowledgeBase) -> list[Topic]:
    """Answers that state money figures but have no `as_of` at all (not even
    `undated`): nobody has said when they are from."""
    return [t for t in kb.answerable if t.as_of is None and FIGURE.search(t.answer)]
