"""How long grouping unanswered questions by similarity takes (bot/curation/groups.py).

    python -m bench.grouping                 # 1,000 questions, 5 runs
    python -m bench.grouping --questions 5000

The questions are drawn from the public evaluation sets' out-of-scope questions,
each reworded a few ways (a typo, a dropped word, case and punctuation), so there
are near duplicates to find as well as distinct questions; grouped as App Home and
`pmbot report` group them (the roles each names read by the engine's normaliser,
timed too). Target: 1,000 in <= 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.evaluate import load_cases
from bot.answers.knowledge import load_knowledge
from bot.curation.groups import group_questions, roles_named

REPO = Path(__file__).resolve().parent.parent


def reworded(rng: random.Random, question: str) -> str:
    words = question.split()
    change = rng.randrange(4)
    if change == 0 and len(words) > 3:
        words.pop(rng.randrange(len(words)))
    elif change == 1:
        word = rng.randrange(len(words))
        if len(words[word]) > 3:
            letters = list(words[word])
            i = rng.randrange(len(letters) - 1)
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
            words[word] = "".join(letters)
    elif change == 2:
        return question.upper().rstrip("?") + "!!"
    return " ".join(words)


def questions(count: int, seed: int = 3) -> list[dict[str, object]]:
    rng = random.Random(seed)
    shared = REPO / "tests" / "data" / "shared" / "eval"
    pool = [c.question for f in sorted(shared.glob("*.yaml")) for c in load_cases(f)]
    rows = []
    for n in range(count):
        base = rng.choice(pool)
        text = reworded(rng, base) if rng.random() < 0.6 else base
        rows.append({"question": text, "logged_at": float(n)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = questions(args.questions)
    times = []
    for _ in range(args.runs):
        # A fresh normaliser each run: its typo cache would flatter the later runs.
        kind = roles_named(Engine(load_knowledge()).normaliser)
        start = time.perf_counter()
        groups = group_questions(rows, kind)
        times.append(time.perf_counter() - start)
    print(f"{args.questions} questions -> {len(groups)} groups")
    print(f"grouping: median {statistics.median(times):.3f} s, worst {max(times):.3f} s")


if __name__ == "__main__":
    main()
