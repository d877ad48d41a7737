"""Topics curators save from Slack ("Save as pmbot answer", bot/curation/saving.py).

A curated topic is checked as `pmbot validate` reads a knowledge file of its own
beside the knowledge in use (the same parser, so the same messages), merged into
the engine with the taught phrasings (live.py), and written out by `pmbot taught
export` as that file. The knowledge files win: a curated topic whose id, or a
question of which, a file has since taken is left out, or that question is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.answers.knowledge import parse_file
from bot.answers.knowledge_sections import Parsed
from bot.answers.model import KnowledgeBase, Topic
from bot.answers.problems import LineDict
from bot.answers.schema import Problems, phrase_key
from bot.answers.yamlfile import load_yaml

CURATED_FILE = "curated.yaml"
GROUP = "Saved by curators"


@dataclass(frozen=True)
class CuratedTopic:
    id: str
    title: str
    answer: str
    questions: tuple[str, ...]
    maintainer: str  # the curator's Slack id
    reviewed: str  # YYYY-MM-DD, the day it was saved or last edited


def topics_yaml(topics: Sequence[CuratedTopic]) -> str:
    """Curated topics as a knowledge file's `topics` section."""
    return yaml_text({"topics": topic_entries(topics)})


def yaml_text(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def topic_entries(topics: Sequence[CuratedTopic]) -> list[dict[str, object]]:
    """Curated topics as the entries of a knowledge file's `topics` section."""
    return [
        {
            "id": t.id,
            "title": t.title,
            "kind": "faq",
            "answer": t.answer,
            "questions": list(t.questions),
            "group": GROUP,
            "maintainer": t.maintainer,
            "reviewed": t.reviewed,
        }
        for t in topics
    ]


def check_curated(
    kb: KnowledgeBase, topic: CuratedTopic, replacing: str | None = None
) -> list[tuple[str, str]]:
    """What `pmbot validate` would say of `topic` in a file of its own beside `kb`
    (`replacing`: the id of the curated topic it edits): (field, message) pairs, the
    field being id, title, answer or questions."""
    seeded = Parsed()
    seeded.topics = {k: v for k, v in kb.topics.items() if k != replacing}
    seeded.question_owner = {
        phrase_key(q): (t.id, t.source) for t in seeded.topics.values() for q in t.questions
    }
    import tempfile  # only curators' saves need it, not every `pmbot ask`

    problems = Problems()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / CURATED_FILE
        path.write_text(topics_yaml([topic]), "utf-8")
        # Named by its real path, so a clash is blamed on it: the newest file.
        parse_file(problems, path, str(path), seeded)
        fields = _field_lines(path)
    return [
        (next((f for f, line in fields if problem.line >= line), "id"), problem.message)
        for problem in problems.problems
    ]


def _field_lines(path: Path) -> list[tuple[str, int]]:
    """(field, first line) of the one topic in `path`, last field first."""
    data = load_yaml(path, CURATED_FILE)
    item = data["topics"][0] if isinstance(data, LineDict) else None
    if not isinstance(item, LineDict):
        return []
    lines = [(f, item.lines[f]) for f in ("id", "title", "answer", "questions") if f in item.lines]
    return sorted(lines, key=lambda pair: -pair[1])


def as_topic(curated: CuratedTopic) -> Topic:
    return Topic(
        id=curated.id,
        title=curated.title,
        kind="faq",
        answer=curated.answer,
        questions=curated.questions,
        group=GROUP,
        reviewed=curated.reviewed,
        maintainer=curated.maintainer,
        source=f"{CURATED_FILE}:{curated.id}",
    )


def merge_curated(kb: KnowledgeBase, curated: Sequence[CuratedTopic]) -> KnowledgeBase:
    """`kb` with the curated topics added; what the files have taken since is left out."""
    if not curated:
        return kb
    owned = {phrase_key(q) for topic in kb.topics.values() for q in topic.questions}
    topics = dict(kb.topics)
    for entry in curated:
        questions = tuple(q for q in entry.questions if phrase_key(q) not in owned)
        if entry.id in topics or not questions:
            continue
        owned.update(phrase_key(q) for q in questions)
        topics[entry.id] = as_topic(replace(entry, questions=questions))
    return replace(kb, topics=topics)
