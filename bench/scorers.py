"""Why the engine does not rank with a plain rapidfuzz scorer: measure, don't assume.

    python -m bench.scorers [EVAL_FILE]

For each scorer, every question is matched against every phrasing of the
knowledge base (lower-cased, Slack markup stripped); the best phrasing's topic
is the answer. Printed: top-1 accuracy on in-scope questions; answers about the wrong role
(a product-manager topic for a project-manager question or the reverse); and
how many out-of-scope questions score at least as high as the lowest decile of
correct in-scope ones (what a threshold keeping 90% of right answers lets in).
The engine's own figures are printed last for comparison.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.answers.engine import Engine
from bot.answers.evaluate import Case, load_cases
from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.text import strip_slack_markup, words

REPO = Path(__file__).resolve().parent.parent
SCORERS: dict[str, Callable[..., float]] = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
    "WRatio": fuzz.WRatio,
}


def clean(text: str) -> str:
    return " ".join(words(strip_slack_markup(text)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(REPO / "tests/data/paraphrases.yaml"))
    args = parser.parse_args()
    kb = load_knowledge()
    engine = Engine(kb)
    phrasings = [(clean(q), t.id) for t in kb.topics.values() for q in (*t.questions, t.title)]
    choices = [p for p, _ in phrasings]
    cases = load_cases(Path(args.file))
    print(f"{len(cases)} questions from {args.file}; {len(choices)} phrasings")
    for name, scorer in SCORERS.items():
        hits, good, bad, wrong_role = 0, [], [], 0
        for case in cases:
            _, score, index = process.extractOne(clean(case.question), choices, scorer=scorer)
            topic = phrasings[index][1]
            wrong_role += confuses_roles(kb, case.expected, topic)
            if case.expected:
                hits += topic in case.expected
                if topic in case.expected:
                    good.append(score)
            else:
                bad.append(score)
        report(name, cases, hits, good, bad, wrong_role)
    # The engine decides for itself (answer, clarify or decline), so "let in"
    # is simply an out-of-scope question it answered: scores 1 (answered) or 0
    # against a floor of 1.
    hits, good, bad, wrong_role = 0, [], [], 0
    for case in cases:
        result = engine.answer(case.question)
        wrong_role += confuses_roles(kb, case.expected, result.topic)
        if case.expected:
            hits += result.topic in case.expected
            good.append(1.0)
        else:
            bad.append(1.0 if result.status == "answer" else 0.0)
    report("pmbot engine", cases, hits, good, bad, wrong_role)


def confuses_roles(kb: KnowledgeBase, expected: tuple[str, ...], got: str | None) -> bool:
    wanted = {kb.topics[e].about for e in expected if e in kb.topics} - {None}
    actual = kb.topics[got].about if got in kb.topics else None
    return bool(wanted) and actual is not None and actual not in wanted


def report(
    name: str, cases: list[Case], hits: int, good: list[float], bad: list[float], wrong: int
) -> None:
    floor = sorted(good)[len(good) // 10] if good else 0.0
    inside = sum(1 for s in bad if s >= floor)
    in_scope = sum(1 for c in cases if c.expected)
    print(
        f"{name:>17}: top-1 {hits / in_scope:6.1%}; wrong role {wrong}; "
        f"out-of-scope let in: {inside}/{len(bad)}"
    )


if __name__ == "__main__":
    main()
