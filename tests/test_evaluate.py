from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.evaluate import Case, evaluate, load_cases
from bot.yamlfile import KnowledgeError
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
    path.write_text("in_scope:\n  - {expect: x}\nout_of_scope:\n  - {q: c}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_cases(path)
    assert [p.message for p in caught.value.problems] == [
        "each in_scope entry needs 'q' and 'expect'",
        "each out_of_scope entry must be a question",
    ]


def test_dev_set_meets_its_targets(engine: Engine) -> None:
    report = evaluate(engine, load_cases(shared_file("eval/dev.yaml")))
    assert report.accuracy >= 0.95, report.lines()
    assert report.abstention >= 0.90, report.lines()


def test_our_own_paraphrases_meet_the_same_targets(engine: Engine) -> None:
    report = evaluate(engine, load_cases(REPO / "tests" / "data" / "paraphrases.yaml"))
    assert report.accuracy >= 0.95, report.lines()
    assert report.abstention >= 0.90, report.lines()
