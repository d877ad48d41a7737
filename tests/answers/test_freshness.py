from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.answers.engine import Engine
from bot.answers.freshness import as_of_text, figures_without_as_of, stale_topics
from bot.answers.knowledge import KnowledgeBase, KnowledgeError, load_knowledge

FILE = """\
topics:
  - id: coffee
    title: Coffee
    answer: The machine is in the kitchen.
    reviewed: 2026-01-10
    maintainer: office team
    questions: [where is the coffee machine]
  - id: tea
    title: Tea
    answer: A cup costs $3.
    as_of: 2026-05
    reviewed: "2026-11-30"
    questions: [how much is tea]
  - id: biscuits
    title: Biscuits
    answer: Biscuits cost €2.
    questions: [how much are biscuits]
settings:
  review_days: 180
"""


def load(tmp_path: Path, text: str = FILE) -> KnowledgeBase:
    (tmp_path / "k.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_knowledge(tmp_path / "k.yaml")


def test_stale_topics_are_those_reviewed_longer_ago_than_the_period(tmp_path: Path) -> None:
    kb = load(tmp_path)
    assert stale_topics(kb, date(2026, 7, 9)) == []  # due that day: not yet stale
    (stale,) = stale_topics(kb, date(2026, 12, 2))
    assert stale.topic.id == "coffee"
    assert stale.describe(date(2026, 12, 2)) == (
        "topic 'coffee' is stale: last reviewed 2026-01-10, review was due 2026-07-09 "
        "(146 days ago), maintainer office team"
    )
    assert [s.topic.id for s in stale_topics(kb, date(2027, 6, 1))] == ["coffee", "tea"]


def test_no_review_period_means_nothing_is_stale(tmp_path: Path) -> None:
    kb = load(tmp_path, FILE.replace("settings:\n  review_days: 180\n", ""))
    assert stale_topics(kb, date(2099, 1, 1)) == []


def test_figures_without_a_date(tmp_path: Path) -> None:
    assert [t.id for t in figures_without_as_of(load(tmp_path))] == ["biscuits"]


def test_as_of_text() -> None:
    assert as_of_text("2026-05") == "May 2026"
    assert as_of_text("2026-05-03") == "3 May 2026"


def test_answers_with_figures_say_when_they_are_from(tmp_path: Path) -> None:
    topic = load(tmp_path).topics["tea"]
    result = Engine(load(tmp_path)).result_for("tea", "how much is tea")
    assert result is not None
    assert result.text == "A cup costs $3.\n_Figures as of May 2026._"
    assert topic.maintainer is None and topic.reviewed == "2026-11-30"


def test_figures_from_an_undated_source_say_so(tmp_path: Path) -> None:
    kb = load(
        tmp_path,
        FILE.replace(
            "    questions: [how much are biscuits]",
            "    as_of: undated\n    questions: [how much are biscuits]",
        ),
    )
    assert figures_without_as_of(kb) == []
    result = Engine(kb).result_for("biscuits", "how much are biscuits")
    assert result is not None
    assert result.text == (
        "Biscuits cost €2.\n_The source of these figures gives no date: check a current survey._"
    )


def test_the_shipped_salary_answer_says_its_figures_are_undated() -> None:
    kb = load_knowledge(Path(__file__).parents[2] / "knowledge")
    assert figures_without_as_of(kb) == []
    result = Engine(kb).result_for("salary", "who earns more")
    assert result is not None
    assert result.text.endswith("gives no date: check a current survey._")


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("reviewed", "2026-02-30", "'reviewed' of topic 'x' must be a date, YYYY-MM-DD"),
        ("reviewed", "last week", "'reviewed' of topic 'x' must be a date, YYYY-MM-DD"),
        ("as_of", "2026-13", "'as_of' of topic 'x' must be a date, YYYY-MM, YYYY-MM-DD or undated"),
        ("as_of", "Undated", "'as_of' of topic 'x' must be a date, YYYY-MM, YYYY-MM-DD or undated"),
        (
            "as_of",
            "May 2026",
            "'as_of' of topic 'x' must be a date, YYYY-MM, YYYY-MM-DD or undated",
        ),
    ],
)
def test_bad_dates_are_reported_with_their_line(
    tmp_path: Path, field: str, value: str, problem: str
) -> None:
    text = f"topics:\n  - id: x\n    title: X\n    answer: A.\n    {field}: {value}\n"
    text += "    questions: [q]\n"
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path, text)
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [f"k.yaml:5: {problem}"]


@pytest.mark.parametrize("value", ["0", "soon", "true"])
def test_review_days_must_be_a_positive_whole_number(tmp_path: Path, value: str) -> None:
    text = FILE.replace("review_days: 180", f"review_days: {value}")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path, text)
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "k.yaml:19: 'review_days' must be a whole number > 0"
    ]
