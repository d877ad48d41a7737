"""`pmbot taught export|clear`: what curators taught and saved in Slack, out to git.

Export writes a knowledge file (a `phrasings:` section, and a `topics:` section for
the topics saved with "Save as pmbot answer", see docs/curators.md) to commit into
knowledge/; clear forgets them once that is done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

from bot.answers.curated import CuratedTopic, topic_entries, yaml_text
from bot.curation.store import TaughtStore
from bot.store.database import Store


def taught_yaml(
    rows: Sequence[Mapping[str, object]], now: datetime, topics: Sequence[CuratedTopic] = ()
) -> str:
    """Taught phrasings (a `phrasings` section, by topic) and saved topics (a `topics`
    section) as one knowledge file."""
    by_topic: dict[str, list[str]] = {}
    for row in rows:
        by_topic.setdefault(str(row["topic"]), []).append(str(row["question"]))
    header = (
        f"# Phrasings taught by curators in Slack (pmbot taught export, {now:%Y-%m-%d}).\n"
        "# Commit this file into knowledge/ (e.g. knowledge/taught.yaml), then run\n"
        "# `pmbot taught clear`: each question becomes a way of asking its topic.\n"
    )
    data: dict[str, object] = {"phrasings": by_topic} if by_topic else {}
    if topics:
        header += '# The topics are the ones curators saved with "Save as pmbot answer".\n'
        data["topics"] = topic_entries(topics)
    return header + yaml_text(data)


def export(store: Store, out: TextIO, err: TextIO) -> int:
    taught = TaughtStore(store)
    rows, topics = taught.taught_rows(), taught.curated_topics()
    if not rows and not topics:
        print("no taught phrasings or saved topics", file=err)
        return 0
    out.write(taught_yaml(rows, datetime.now(UTC), topics))
    return 0


def clear(store: Store, out: TextIO) -> int:
    taught = TaughtStore(store)
    phrasings, topics = taught.clear(), taught.clear_topics()
    print(f"forgot {phrasings} taught phrasings and {topics} saved topics", file=out)
    return 0
