"""Is a confidence of 80 % worth 80 %? Accuracy per confidence band over our sets.

python -m bench.calibration [FILE ...]     (default: every tests/data/*.yaml)
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.evaluate import Report, evaluate, load_cases
from bot.answers.knowledge import load_knowledge

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    files = [Path(a) for a in argv] or sorted((REPO / "tests" / "data").glob("*.yaml"))
    engine = Engine(load_knowledge())
    pooled = Report()
    for path in files:
        pooled.answers += evaluate(engine, load_cases(path)).answers
    for line in pooled.calibration():
        print(line)
    confident = [right for confidence, right in pooled.answers if confidence >= 0.8]
    share = sum(confident) / len(confident) if confident else 1.0
    print(f"answers at >= 80 %: {sum(confident)}/{len(confident)} right ({share:.1%})")


if __name__ == "__main__":
    main(sys.argv[1:])
