"""`pmbot taught export|clear`: phrasings curators taught in Slack, out to git.

Export writes a knowledge file (a `phrasings:` section, see docs/curators.md)
to commit into knowledge/; clear forgets them once that is done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

import yaml

from bot.curation.store import TaughtStore
from bot.store.database import Store


def taught_yaml(rows: Sequence[Mapping[str, object]], now: datetime) -> str:
    """Taught phrasings as a knowledge file: a `phrasings` section, by topic."""
    by_topic: dict[str, list[str]] = {}
    for row in rows:
        by_topic.setdefault(str(row["topic"]), []).append(str(row["question"]))
    header = (
        f"# Phrasings taught by curators in Slack (pmbot taught export, {now:%Y-%m-%d}).\n"
        "# Commit this file into knowledge/ (e.g. knowledge/taught.yaml), then run\n"
        "# `pmbot taught clear`: each question becomes a way of asking its topic.\n"
    )
    body = yaml.safe_dump({"phrasings": by_topic}, sort_keys=False, allow_unicode=True, width=1000)
    return header + body


def export(store: Store, out: TextIO, err: TextIO) -> int:
    rows = TaughtStore(store).taught_rows()
    if not rows:
        print("no taught phrasings", file=err)
        return 0
    out.write(taught_yaml(rows, datetime.now(UTC)))
    return 0


def clear(store: Store, out: TextIO) -> int:
    print(f"forgot {TaughtStore(store).clear()} taught phrasings", file=out)
    return 0
