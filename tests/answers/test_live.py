"""LiveEngine: knowledge swapped whole when files change or phrasings are taught."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answers.curated import CuratedTopic
from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.live import LiveEngine, merge_taught, snapshot
from tests.conftest import REPO

# A team's own topics, in the minimal documented form, beside the shipped knowledge.
TEAM = """\
topics:
  - id: team-expenses
    title: Our expense policy
    answer: Expenses go through Finbot; send receipts within 30 days.
    questions: [how do i file an expense report]
"""
ROOM = """\
topics:
  - id: team-room
    title: The Kiwi room
    answer: The Kiwi room is on floor 3, next to the kitchen.
    questions: [where is the kiwi room]
"""
UNKNOWN = "zorblax quarterly thingamajig"


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", path)
    (path / "team.yaml").write_text(TEAM, encoding="utf-8")
    return path


class Taught:
    """A TaughtSource over a dict (the store's is tested in tests/store/test_taught.py)."""

    def __init__(self) -> None:
        self.phrasings: dict[str, list[str]] = {}
        self.reads = 0

    def taught_version(self) -> object:
        return repr(self.phrasings)

    def taught_phrasings(self) -> dict[str, list[str]]:
        self.reads += 1
        return {k: list(v) for k, v in self.phrasings.items()}

    def curated_topics(self) -> list[CuratedTopic]:
        return []


def live_on(path: Path, taught: Taught | None = None) -> LiveEngine:
    return LiveEngine(
        Engine(load_knowledge(path)), lambda: load_knowledge(path), watch=path, taught=taught
    )


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_merge_taught_adds_new_questions_once(kb: KnowledgeBase) -> None:
    first = kb.topics["owns-roadmap"].questions[0]
    taught = {
        "owns-roadmap": [
            "Who sets our quarterly plan?",
            first.upper(),
            "who sets our quarterly plan",
        ],
        "gone-topic": ["what about this"],
        "decline-tools": ["which jira plugin"],
    }
    merged, _ = merge_taught(kb, taught)
    added = merged.topics["owns-roadmap"].questions[len(kb.topics["owns-roadmap"].questions) :]
    assert added == ("Who sets our quarterly plan?",)
    assert merged.topics["decline-tools"] == kb.topics["decline-tools"]
    assert "gone-topic" not in merged.topics


def test_taught_phrasing_is_answered_after_refresh(kb: KnowledgeBase) -> None:
    taught = Taught()
    live = LiveEngine(Engine(kb), taught=taught)
    question = UNKNOWN
    assert live.current.answer(question).status == "decline"
    taught.phrasings = {"owns-roadmap": [question]}
    before = live.current
    assert live.refresh_taught()
    assert live.current is not before
    # As taught, any case or punctuation: that topic, outright.
    assert live.current.answer("Zorblax, quarterly thingamajig?").topic == "owns-roadmap"
    assert not live.refresh_taught()  # same version: nothing read, nothing rebuilt
    assert taught.reads == 1


def test_valid_change_is_loaded_and_broken_one_keeps_the_last_good(
    kdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = live_on(kdir)
    assert live.current.answer("where is the kiwi room").status == "decline"
    (kdir / "room.yaml").write_text(ROOM, encoding="utf-8")
    assert live.reload_files()
    assert live.current.answer("where is the kiwi room").topic == "team-room"
    broken = ROOM.replace("    title: The Kiwi room\n", "")
    (kdir / "room.yaml").write_text(broken, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pmbot.knowledge"):
        assert not live.reload_files()
    assert [r.getMessage() for r in caplog.records] == [
        "knowledge not reloaded, still answering from the last good: "
        f"{kdir}/room.yaml:2: topic 'team-room' is missing 'title'"
    ]
    assert live.current.answer("where is the kiwi room").topic == "team-room"


def test_taught_phrasings_survive_a_file_reload(kdir: Path) -> None:
    taught = Taught()
    taught.phrasings = {"team-expenses": ["where do receipts go"]}
    live = live_on(kdir, taught)
    live.refresh_taught()
    (kdir / "room.yaml").write_text(ROOM, encoding="utf-8")
    live.reload_files()
    assert live.current.answer("where do receipts go").topic == "team-expenses"
    assert live.base.topics["team-expenses"].questions == ("how do i file an expense report",)


def test_snapshot_sees_new_changed_and_removed_files(kdir: Path) -> None:
    first = snapshot(kdir)
    (kdir / "room.yaml").write_text(ROOM, encoding="utf-8")
    second = snapshot(kdir)
    (kdir / "notes.txt").write_text("not knowledge", encoding="utf-8")
    assert snapshot(kdir) == second != first
    (kdir / "room.yaml").unlink()
    assert snapshot(kdir) == first
    assert snapshot(kdir / "missing") == ()


def test_watcher_loads_a_dropped_file_and_logs_a_broken_one_once(
    kdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    taught = Taught()
    live = live_on(kdir, taught).start(files_every=0.02, taught_every=0.04)
    try:
        (kdir / "room.yaml").write_text(ROOM, encoding="utf-8")
        room = lambda: live.current.answer("where is the kiwi room").topic  # noqa: E731
        assert eventually(lambda: room() == "team-room")
        taught.phrasings = {"team-expenses": [UNKNOWN]}
        assert eventually(lambda: live.current.answer(UNKNOWN).topic == "team-expenses")
        with caplog.at_level(logging.WARNING, logger="pmbot.knowledge"):
            (kdir / "room.yaml").write_text("topics: [\n", encoding="utf-8")
            assert eventually(lambda: bool(caplog.records))
            time.sleep(0.2)  # many more polls of the same broken state
        assert len(caplog.records) == 1
        assert f"{kdir}/room.yaml:2: invalid YAML" in caplog.records[0].getMessage()
        assert room() == "team-room"
    finally:
        live.stop()
