"""What a knowledge change does to answers people already get: the shipped evaluation
sets are asked of the shipped knowledge and of the knowledge being validated, and
each question whose answer moved is a warning, before → after. A team's new topic
that takes over "who owns the roadmap?" is then seen before anyone asks it in Slack.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.evaluate import load_cases
from bot.answers.lint import LintWarning
from bot.answers.model import KnowledgeBase
from bot.answers.result import Result

MAX_SHOWN = 20  # then one line says how many more


def shown(result: Result) -> str:
    if result.status == "answer":
        return f"'{result.topic}'"
    if result.status == "clarify":
        return f"a clarify ({' or '.join(result.alternatives)})"
    return f"a {result.status}"


def moved_answers(
    kb: KnowledgeBase, base: KnowledgeBase, sets: Sequence[Path]
) -> list[LintWarning]:
    """The questions of `sets` that `kb` answers otherwise than `base`."""
    new, old = Engine(kb), Engine(base)
    moved: list[LintWarning] = []
    for path in sets:
        for case in load_cases(path):
            before, after = old.answer(case.question), new.answer(case.question)
            if (before.status, before.topic) != (after.status, after.topic):
                change = f"{shown(before)} → {shown(after)}"
                message = f"{path.name}: this change moves '{case.question}' from {change}"
                moved.append(LintWarning(str(path), None, message))
    if len(moved) > MAX_SHOWN:
        more = LintWarning(None, None, f"…and {len(moved) - MAX_SHOWN} more moved answers")
        moved = [*moved[:MAX_SHOWN], more]
    return moved
