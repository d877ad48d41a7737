"""Run an evaluation set (the format of shared/eval/dev.yaml) against the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.problems import KnowledgeError, LineDict, LineList, Problem
from bot.answers.yamlfile import load_yaml


@dataclass(frozen=True)
class Case:
    question: str
    expected: tuple[str, ...]  # empty: the bot must decline


CONFIDENCE_BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Report:
    in_scope: int = 0
    in_scope_correct: int = 0
    out_of_scope: int = 0
    abstained: int = 0  # out-of-scope questions declined
    wrong: int = 0  # answered, but not with an acceptable topic (either kind of case)
    clarified: int = 0
    misses: list[tuple[Case, str | None]] = field(default_factory=list)
    # every answer given: (confidence, right?), for the calibration table
    answers: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.in_scope_correct / self.in_scope if self.in_scope else 1.0

    @property
    def abstention(self) -> float:
        return self.abstained / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def wrong_rate(self) -> float:
        total = self.in_scope + self.out_of_scope
        return self.wrong / total if total else 0.0

    def calibration(self) -> list[str]:
        """Accuracy of the answers given, per confidence band: is 80 % worth 80 %?"""
        rows = ["confidence   answers  right"]
        for low, high in zip(CONFIDENCE_BANDS, (*CONFIDENCE_BANDS[1:], 1.01), strict=True):
            band = [right for confidence, right in self.answers if low <= confidence < high]
            if band:
                share = sum(band) / len(band)
                rows.append(f"{f'{low:.0%}-{min(high, 1):.0%}':<11}  {len(band):>7}  {share:>5.0%}")
        return rows

    def lines(self) -> list[str]:
        out = [
            f"miss: {case.question!r} expected {' or '.join(case.expected) or 'no answer'}, "
            f"got {got or 'no answer'}"
            for case, got in self.misses
        ]
        out += self.calibration()
        total = self.in_scope + self.out_of_scope
        out.append(f"wrong answers: {self.wrong_rate:.1%} ({self.wrong}/{total})")
        out.append(f"asked to clarify: {self.clarified}")
        correct = f"{self.in_scope_correct}/{self.in_scope}"
        out.append(f"in-scope top-1 accuracy: {self.accuracy:.1%} ({correct})")
        out.append(
            f"out-of-scope abstention: {self.abstention:.1%} ({self.abstained}/{self.out_of_scope})"
        )
        # The three figures the targets are set on, side by side.
        right, declined = f"{self.accuracy:.1%}", f"{self.abstention:.1%}"
        out.append(f"right {right} · declined {declined} · wrong {self.wrong_rate:.1%}")
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
        # A question, or (in a collected corpus) a mapping with the question and its source.
        question = item.get("q") if isinstance(item, LineDict) else item
        if not isinstance(question, str):
            problems.append(Problem(name, line, "each out_of_scope entry must be a question"))
            continue
        cases.append(Case(question, ()))
    if problems:
        raise KnowledgeError(problems)
    return cases


def _items(data: LineDict, key: str) -> list[tuple[object, int]]:
    value = data.get(key)
    if not isinstance(value, LineList):
        return []
    return list(zip(value, value.lines, strict=True))


def evaluate(engine: Engine, cases: list[Case]) -> Report:
    """Score every case. An answer is right only with an expected topic; a
    clarify is neither right nor wrong; a decline is right only out of scope."""
    report = Report()
    for case in cases:
        result = engine.answer(case.question)
        got = result.topic
        answered = result.status == "answer"
        right = got in case.expected if case.expected else not answered
        report.clarified += result.status == "clarify"
        if answered:
            report.answers.append((result.confidence, right))
            report.wrong += not right
        if case.expected:
            report.in_scope += 1
            report.in_scope_correct += right
        else:
            report.out_of_scope += 1
            report.abstained += result.status in ("decline", "help", "smalltalk")
        if not right:
            asked = f"a clarify ({' or '.join(result.alternatives)})"
            report.misses.append((case, asked if result.status == "clarify" else got))
    return report
