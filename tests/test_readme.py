"""The README's figures about the shipped knowledge are the knowledge's own."""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

from bot.answers.knowledge import KnowledgeBase
from bot.cli import build_parser
from tests.conftest import REPO


def test_the_readme_counts_the_shipped_topics_as_they_are(kb: KnowledgeBase) -> None:
    readme = (REPO / "docs" / "architecture.md").read_text("utf-8")
    found = re.findall(r"shipped knowledge \((\d+) topics, (\d+) of them declines\)", readme)
    declines = len(kb.topics) - len(kb.answerable)
    assert found == [(str(len(kb.topics)), str(declines))]


def documents() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def pmbot_lines() -> list[tuple[str, str]]:
    """Every `pmbot …` command in a code block of the README and docs/: (file, line)."""
    found = []
    for page in documents():
        blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", page.read_text("utf-8"), re.S)
        for block in blocks:
            for line in block.splitlines():
                command = re.sub(r"^(\$ |\S*/bin/)", "", line.strip())
                if command.startswith("pmbot ") or command == "pmbot":
                    found.append((page.name, command))
    return found


def test_every_pmbot_command_in_the_docs_parses() -> None:
    parser = build_parser()
    lines = pmbot_lines()
    assert len(lines) >= 10
    for page, line in lines:
        words = shlex.split(line.split(" #", 1)[0], comments=False)
        argv = list(itertools.takewhile(lambda w: w not in ("|", "<", ">", "&", "&&", ";"), words))
        try:
            parser.parse_args(argv[1:])
        except SystemExit as exit:
            assert exit.code == 0, f"{page}: {line}"


def test_the_readme_is_read_in_ten_minutes() -> None:
    lines = (REPO / "README.md").read_text("utf-8").splitlines()
    assert len(lines) <= 250
    for page in documents()[1:]:  # every page is linked from it
        assert f"docs/{page.name}" in "\n".join(lines), page.name
