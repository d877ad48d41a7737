"""Run an evaluation set (the format of shared/eval/dev.yaml) against the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Engine
from bot.yamlfile import KnowledgeError, LineDict, LineList, Problem, load_yaml


@dataclass(frozen=True)
class Case:
    question: str
    expected: tuple[str, ...]  # empty: the bot must abstain


@dataclass
class Report:
    in_scope: int = 0
    in_scope_correct: int = 0
    out_of_scope: int = 0
    abstained: int = 0
    misses: list[tuple[Case, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.in_scope_correct / self.in_scope if self.in_scope else 1.0

    @property
    def abstention(self) -> float:
        return self.abstained / self.out_of_scope if self.out_of_scope else 1.0

    def lines(self) -> list[str]:
        out = [
            f"miss: {case.question!r} expected {' or '.join(case.expected) or 'no answer'}, "
            f"got {got or 'no answer'}"
            for case, got in self.misses
        ]
        correct = f"{self.in_scope_correct}/{self.in_scope}"
        out.append(f"in-scope top-1 accuracy: {self.accuracy:.1%} ({correct})")
        out.append(
            f"out-of-scope abstention: {self.abstention:.1%} ({self.abstained}/{self.out_of_scope})"
        )
        return out


def load_cases(path: Path) -> list[Case]:
    data = load_yaml(path)
    name = str(path)
    if not isinstance(data, LineDict):
        raise KnowledgeError([Problem(name, 1, "expected 'in_scope' and 'out_of_scope' lists")])
    cases: list[Case] = []
    problems: list[Problem] = []
    for item, line in _items(data, "in_scope"):
        expect = item.get("expect") if isinstance(item, LineDict) else None
        question = item.get("q") if isinstance(item, LineDict) else None
        if not isinstance(question, str):
            problems.append(Problem(name, line, "each in_scope entry needs 'q' and 'expect'"))
            continue
        expected = tuple(expect) if isinstance(expect, list) else (expect,) if expect else ()
        cases.append(Case(question, tuple(str(e) for e in expected)))
    for item, line in _items(data, "out_of_scope"):
        if not isinstance(item, str):
            problems.append(Problem(name, line, "each out_of_scope entry must be a question"))
            continue
        cases.append(Case(item, ()))
    if problems:
        raise KnowledgeError(problems)
    return cases


def _items(data: LineDict, key: str) -> list[tuple[object, int]]:
    value = data.get(key)
    if not isinstance(value, LineList):
        return []
    return list(zip(value, value.lines, strict=True))


def evaluate(engine: Engine, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        got = engine.answer(case.question).topic
        if case.expected:
            report.in_scope += 1
            if got in case.expected:
                report.in_scope_correct += 1
            else:
                report.misses.append((case, got))
        else:
            report.out_of_scope += 1
            if got is None:
                report.abstained += 1
            else:
                report.misses.append((case, got))
    return report
