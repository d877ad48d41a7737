"""The README's figures about the shipped knowledge are the knowledge's own."""

from __future__ import annotations

import re

from bot.answers.knowledge import KnowledgeBase
from tests.conftest import REPO


def test_the_readme_counts_the_shipped_topics_as_they_are(kb: KnowledgeBase) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    found = re.findall(r"shipped knowledge \((\d+) topics, (\d+) of them declines\)", readme)
    declines = len(kb.topics) - len(kb.answerable)
    assert found == [(str(len(kb.topics)), str(declines))]
