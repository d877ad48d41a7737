"""Per-question latency of the engine: shipped knowledge and a 10,000-topic one.

    python -m bench.matcher            # both
    python -m bench.matcher --topics 2000 --questions 500

Prints p50/p99 latency of engine.answer() and index build time. Targets:
p99 <= 1 ms on the shipped knowledge base, <= 25 ms on 10,000 topics x 5 phrasings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from bot.answers.engine import Engine
from bot.answers.evaluate import load_cases
from bot.answers.knowledge import KnowledgeBase, Topic, load_knowledge

SYLLABLES = "ka ri to mu sen dal vor pex lin qua bro zen tir mol fen gri sha plo nur kesh".split()
REPO = Path(__file__).resolve().parent.parent


def synthetic_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def synthetic_knowledge(topics: int, phrasings: int, seed: int = 7) -> KnowledgeBase:
    """The shipped knowledge plus `topics` generated ones, each with `phrasings` questions."""
    rng = random.Random(seed)
    shipped = load_knowledge()
    vocabulary = synthetic_words(rng, 20_000)
    glue = ["who", "owns", "what", "is", "the", "how", "does", "a", "product manager", "project"]
    generated: dict[str, Topic] = dict(shipped.topics)
    for number in range(topics):
        topic_words = rng.sample(vocabulary, 6)
        questions = tuple(
            " ".join(rng.sample(glue, 2) + rng.sample(topic_words, rng.randint(2, 4)))
            for _ in range(phrasings)
        )
        generated[f"synthetic-{number}"] = Topic(
            id=f"synthetic-{number}",
            title=" ".join(topic_words[:2]),
            kind="faq",
            answer="generated",
            questions=questions,
            keywords=tuple(topic_words[:3]),
        )
    return KnowledgeBase(topics=generated, roles=shipped.roles, synonyms=shipped.synonyms)


def questions_for(kb: KnowledgeBase, count: int, seed: int = 11) -> list[str]:
    """A mix like real traffic: paraphrase-ish, typos, and out-of-scope noise."""
    rng = random.Random(seed)
    topics = list(kb.topics.values())
    pool = [c.question for c in load_cases(REPO / "tests" / "data" / "paraphrases.yaml")]
    out: list[str] = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            out.append(rng.choice(pool))
        elif kind == 1:
            words = rng.choice(topics).questions[0].split()
            rng.shuffle(words)
            out.append(" ".join(words[:-1]))
        elif kind == 2:
            word = list(rng.choice(rng.choice(topics).questions).split()[-1])
            if len(word) > 3:
                j = rng.randrange(len(word) - 1)
                word[j], word[j + 1] = word[j + 1], word[j]
            out.append("who owns the " + "".join(word))
        else:
            out.append(" ".join(rng.choice(SYLLABLES) * 2 for _ in range(6)))
    return out


def measure(label: str, kb: KnowledgeBase, questions: int) -> None:
    started = time.perf_counter()
    engine = Engine(kb)
    built = time.perf_counter() - started
    asked = questions_for(kb, questions)
    for question in asked[:50]:  # warm caches the way a running bot has them
        engine.answer(question)
    timings: list[float] = []
    for question in asked:
        t0 = time.perf_counter()
        engine.answer(question)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"{label}: {len(kb.topics):,} topics, {len(engine.phrasings):,} phrasings; "
        f"index built in {built * 1000:.0f} ms; {len(timings)} questions: "
        f"p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {timings[-1]:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=10_000)
    parser.add_argument("--phrasings", type=int, default=5)
    parser.add_argument("--questions", type=int, default=2_000)
    args = parser.parse_args()
    measure("shipped", load_knowledge(), args.questions)
    long_question = "who owns the roadmap " * 3_000
    engine = Engine(load_knowledge())
    t0 = time.perf_counter()
    engine.answer(long_question)
    print(
        f"shipped: one {len(long_question):,}-character question in "
        f"{(time.perf_counter() - t0) * 1000:.2f} ms"
    )
    measure("synthetic", synthetic_knowledge(args.topics, args.phrasings), args.questions)


if __name__ == "__main__":
    main()
