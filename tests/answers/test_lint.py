from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.lint import LintWarning, lint
from tests.conftest import REPO

TEAM_FILE = """\
topics:
  - id: team-onboarding
    title: Onboarding here
    answer: Read the wiki first.
    questions:
      - who onboards new joiners
      - where should we go for lunch today
"""


def line_of(name: str, text: str) -> int:
    """Where `text` is in a shipped knowledge file: the warnings name that line."""
    lines = (REPO / "knowledge" / name).read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


LUNCH_LINE = line_of("declines.yaml", "where should we go for lunch")
RISKS_LINE = line_of("topics.yaml", "who manages project risks")


def rel(text: str) -> str:
    """Paths as they are inside the knowledge directory, wherever that is."""
    return re.sub(r"[^\s(]*/knowledge/", "", text)


@pytest.fixture(scope="module")
def shipped(kb: KnowledgeBase) -> set[str]:
    return {rel(str(w)) for w in lint(kb)}


@pytest.fixture
def team_kb(tmp_path: Path) -> KnowledgeBase:
    """The shipped knowledge and a team's own topic file beside it."""
    folder = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", folder)
    (folder / "team.yaml").write_text(TEAM_FILE, encoding="utf-8")
    return load_knowledge(folder)


def new(warnings: list[LintWarning], shipped: set[str]) -> list[str]:
    return [rel(str(w)) for w in warnings if rel(str(w)) not in shipped]


def test_a_team_phrasing_that_declines_or_reads_as_another(
    team_kb: KnowledgeBase, shipped: set[str]
) -> None:
    assert new(lint(team_kb), shipped) == [
        "team.yaml:7: warning: phrasing 'where should we go for lunch today' of topic "
        "'team-onboarding' already declines (decline 'decline-unrelated'): nobody reaches "
        "the topic this way",
        "team.yaml:7: warning: phrasing 'where should we go for lunch today' of topic "
        "'team-onboarding' reads the same to the engine as phrasing 'where should we go for "
        f"lunch' of topic 'decline-unrelated' (declines.yaml:{LUNCH_LINE}): it cannot tell them "
        "apart",
    ]


def test_taught_phrasings_are_checked_the_same_way(kb: KnowledgeBase, shipped: set[str]) -> None:
    taught = {"owns-delivery": ["who manages project risks"], "nope": ["what is this"]}
    assert new(lint(kb, taught), shipped) == [
        f"topics.yaml:{RISKS_LINE}: warning: phrasing 'who manages project risks' of topic "
        "'owns-risk' "
        "reads the same to the engine as taught phrasing 'who manages project risks' of topic "
        "'owns-delivery': it cannot tell them apart (since the taught phrasings)",
        "warning: taught phrasing 'what is this' names unknown topic 'nope'",
        "warning: taught phrasing 'who manages project risks' of topic 'owns-delivery' is "
        "answered by topic 'owns-risk'",
    ]


def test_a_taught_phrasing_the_topic_already_has_adds_nothing(
    kb: KnowledgeBase, shipped: set[str]
) -> None:
    assert new(lint(kb, {"owns-risk": ["Who manages project risks?"]}), shipped) == []


def test_warning_text() -> None:
    assert str(LintWarning("k.yaml", 3, "x")) == "k.yaml:3: warning: x"
    assert str(LintWarning(None, None, "x")) == "warning: x"
