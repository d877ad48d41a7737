"""Each workspace's services, built on its first request (bot/workspaces/tenants.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase
from bot.answers.live import LiveEngine
from bot.curation.store import TaughtStore
from bot.store.database import Store
from bot.workspaces.tenants import Workspaces, workspace_key

QUESTION = "what does the flux capacitor person do"  # not in the knowledge: declined


@pytest.mark.parametrize(
    ("team", "enterprise", "org", "key"),
    [
        ("T0AAA", None, False, "T0AAA"),
        ("T0AAA", "E0ORG", False, "T0AAA"),  # a workspace of an org, installed on its own
        ("T0AAA", "E0ORG", True, "E0ORG"),  # an org-wide install: the org's
        (None, "E0ORG", True, "E0ORG"),  # the agent pane of an org install: no team id
        (None, None, False, None),
        ("../x", None, False, None),
    ],
)
def test_whose_data_a_request_touches(
    team: str | None, enterprise: str | None, org: bool, key: str | None
) -> None:
    assert workspace_key(team, enterprise, org) == key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def workspaces(main: Store, url: str, engine: Engine, clock: Clock) -> Workspaces:
    built = compose.for_workspaces(LiveEngine(engine), main, url, "1.2")
    built.clock = clock
    return built


def test_services_are_built_once_per_workspace(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    served = workspaces(main, url, engine, Clock())
    first = served.deps_for("T0AAA")
    assert served.deps_for("T0AAA") is first
    assert served.deps_for("T0BBB") is not first
    assert served.deps_for(None) is served.storeless
    assert served.opened() == ["T0AAA", "T0BBB"]
    served.close(1.0)


def test_a_store_that_cannot_open_answers_without_one_then_is_tried_again(
    tmp_path: Path, engine: Engine
) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    (tmp_path / "pmbot.workspaces").write_text("a file where the folder goes")
    clock = Clock()
    served = workspaces(main, url, engine, clock)
    assert served.deps_for("T0AAA") is served.storeless
    (tmp_path / "pmbot.workspaces").unlink()
    assert served.deps_for("T0AAA") is served.storeless  # not tried on every request
    clock.now += 31
    assert served.deps_for("T0AAA") is not served.storeless
    served.close(1.0)


def test_teaching_in_one_workspace_changes_its_answers_only(
    tmp_path: Path, engine: Engine, kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    served = workspaces(main, url, engine, Clock())
    taught, other = served.deps_for("T0AAA"), served.deps_for("T0BBB")
    assert taught.engine.answer(QUESTION).status == "decline"
    opened = served.open("T0AAA")
    assert opened is not None
    TaughtStore(opened.store).teach("owns-roadmap", QUESTION, "k", "U1")
    served.refresh()
    assert taught.engine.answer(QUESTION).topic == "owns-roadmap"
    assert other.engine.answer(QUESTION).status == "decline"
    served.close(1.0)


def test_forgetting_a_workspace_closes_it_and_deletes_its_file(
    tmp_path: Path, engine: Engine
) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    served = workspaces(main, url, engine, Clock())
    served.deps_for("T0AAA")
    assert (tmp_path / "pmbot.workspaces" / "T0AAA.sqlite3").exists()
    served.forget("T0AAA")
    assert not (tmp_path / "pmbot.workspaces" / "T0AAA.sqlite3").exists()
    assert served.opened() == []
    served.close(1.0)
