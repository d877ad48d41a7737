from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.engine import Engine
from bot.answers.evaluate import Case, Report, evaluate, load_cases
from bot.answers.problems import KnowledgeError
from tests.conftest import REPO, shared_file


def test_load_cases_reads_single_list_and_null_expectations(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(
        "in_scope:\n  - {q: a, expect: x}\n  - {q: b, expect: [x, y]}\nout_of_scope:\n  - c\n",
        encoding="utf-8",
    )
    assert load_cases(path) == [Case("a", ("x",)), Case("b", ("x", "y")), Case("c", ())]


def test_load_cases_rejects_malformed_entries(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("in_scope:\n  - {expect: x}\nout_of_scope:\n  - {src: c}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_cases(path)
    assert [p.message for p in caught.value.problems] == [
        "each in_scope entry needs 'q' and 'expect'",
        "each out_of_scope entry must be a question",
    ]


@pytest.mark.parametrize("name", ["eval/dev.yaml", "eval/dev-real.yaml"])
def test_public_sets_meet_their_targets(engine: Engine, name: str) -> None:
    report = evaluate(engine, load_cases(shared_file(name)))
    assert report.accuracy >= 0.95, report.lines()
    assert report.abstention >= 0.95, report.lines()


# Floors a little under today's figures (docs/evaluation.md): a change that helps
# one set by hurting the others shows up here. real-tune.yaml and real-tune-2.yaml
# are real questions people posted (issue 17); the blind rounds and real-dev.yaml
# were written by helpers, labelled against the 30-topic contract: probes now.
# real-holdout.yaml and real-fresh.yaml have no floor: scored, never tuned on.
OUR_FLOORS = {
    "blind-1.yaml": (0.90, 0.98, 0.015),
    "blind-10.yaml": (0.64, 0.98, 0.040),
    "blind-11.yaml": (0.68, 0.98, 0.115),
    "blind-12.yaml": (0.60, 0.98, 0.040),
    "blind-13.yaml": (0.86, 0.98, 0.065),
    "blind-14.yaml": (0.79, 0.90, 0.065),
    "blind-15.yaml": (0.75, 0.90, 0.065),
    "blind-16.yaml": (0.57, 0.98, 0.015),
    "blind-17.yaml": (0.75, 0.90, 0.065),
    "blind-18.yaml": (0.75, 0.98, 0.040),
    "blind-19.yaml": (0.68, 0.98, 0.040),
    "blind-2.yaml": (0.70, 0.90, 0.065),
    "blind-20.yaml": (0.79, 0.90, 0.040),
    "blind-21.yaml": (0.75, 0.98, 0.040),
    "blind-22.yaml": (0.68, 0.98, 0.030),
    "blind-23.yaml": (0.57, 0.82, 0.090),
    "blind-24.yaml": (0.72, 0.98, 0.015),
    "blind-25.yaml": (0.60, 0.90, 0.115),
    "blind-26.yaml": (0.90, 0.90, 0.065),
    "blind-3.yaml": (0.75, 0.90, 0.040),
    "blind-4.yaml": (0.72, 0.98, 0.040),
    "blind-5.yaml": (0.79, 0.74, 0.140),
    "blind-6.yaml": (0.57, 0.98, 0.115),
    "blind-7.yaml": (0.79, 0.98, 0.015),
    "blind-8.yaml": (0.60, 0.90, 0.090),
    "blind-9.yaml": (0.79, 0.98, 0.015),
    "real-dev.yaml": (0.71, 0.94, 0.076),
    "real-tune-2.yaml": (0.63, 0.83, 0.119),
    "real-tune.yaml": (0.75, 0.91, 0.069),
}


@pytest.mark.parametrize("name", sorted(OUR_FLOORS))
def test_our_real_style_sets_hold_their_floors(engine: Engine, name: str) -> None:
    accuracy, declined, wrong = OUR_FLOORS[name]
    report = evaluate(engine, load_cases(REPO / "tests" / "data" / name))
    assert report.accuracy >= accuracy, report.lines()
    assert report.abstention >= declined, report.lines()
    assert report.wrong_rate <= wrong, report.lines()


def test_confident_answers_are_right_at_least_95_percent_of_the_time(engine: Engine) -> None:
    answers: list[tuple[float, bool]] = []
    for path in sorted((REPO / "tests" / "data").glob("*.yaml")):
        if path.name not in ("real-holdout.yaml", "real-fresh.yaml"):  # never tuned on
            answers += evaluate(engine, load_cases(path)).answers
    confident = [right for confidence, right in answers if confidence >= 0.8]
    assert len(confident) >= 200
    assert sum(confident) / len(confident) >= 0.94


def test_report_counts_wrong_answers_clarifies_and_calibration() -> None:
    report = Report(in_scope=3, in_scope_correct=1, out_of_scope=1, abstained=0, wrong=2)
    report.clarified = 1
    report.answers = [(0.95, True), (0.55, False), (0.85, False)]
    lines = report.lines()
    assert lines[:4] == [
        "confidence   answers  right",
        "50%-60%            1     0%",
        "80%-90%            1     0%",
        "90%-100%           1   100%",
    ]
    assert "wrong answers: 50.0% (2/4)" in lines
    assert "asked to clarify: 1" in lines


def test_our_own_paraphrases_meet_the_same_targets(engine: Engine) -> None:
    report = evaluate(engine, load_cases(REPO / "tests" / "data" / "paraphrases.yaml"))
    assert report.accuracy >= 0.94, report.lines()
    assert report.abstention >= 0.90, report.lines()
