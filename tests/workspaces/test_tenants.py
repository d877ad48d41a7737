"""Each workspace's services, built on its first request (bot/workspaces/tenants.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.answers.live import LiveEngine
from bot.curation.store import TaughtStore
from bot.slack.services import Deps
from bot.store.database import Store
from bot.workspaces.tenants import Workspaces, workspace_key
from tests.store.conftest import Clock

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def served(tmp_path: Path, engine: Engine, clock: Clock) -> Iterator[Workspaces]:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    built = compose.for_workspaces(LiveEngine(engine), Store(url), url, "1.2")
    built.clock = clock
    yield built
    built.close(1.0)


def test_services_are_built_once_per_workspace(served: Workspaces) -> None:
    first = served.deps_for("T0AAA")
    assert served.deps_for("T0AAA") is first
    assert served.deps_for("T0BBB") is not first
    assert served.deps_for(None) is served.storeless
    assert served.opened() == ["T0AAA", "T0BBB"]


def test_a_store_that_cannot_open_answers_without_one_then_is_tried_again(
    served: Workspaces, clock: Clock, tmp_path: Path
) -> None:
    (tmp_path / "pmbot.workspaces").write_text("a file where the folder goes")
    assert served.deps_for("T0AAA") is served.storeless
    (tmp_path / "pmbot.workspaces").unlink()
    assert served.deps_for("T0AAA") is served.storeless  # not tried on every request
    clock.now += 31
    assert served.deps_for("T0AAA") is not served.storeless


def test_teaching_in_one_workspace_changes_its_answers_only(served: Workspaces) -> None:
    taught, other = served.deps_for("T0AAA"), served.deps_for("T0BBB")
    assert taught.engine.answer(QUESTION).status == "decline"
    opened = served.open("T0AAA")
    assert opened is not None
    TaughtStore(opened.store).teach("owns-roadmap", QUESTION, "k", "U1")
    served.refresh()
    assert taught.engine.answer(QUESTION).topic == "owns-roadmap"
    assert other.engine.answer(QUESTION).status == "decline"


def test_forgetting_a_workspace_closes_it_and_deletes_its_file(
    served: Workspaces, tmp_path: Path
) -> None:
    served.deps_for("T0AAA")
    assert (tmp_path / "pmbot.workspaces" / "T0AAA.sqlite3").exists()
    served.forget("T0AAA")
    assert not (tmp_path / "pmbot.workspaces" / "T0AAA.sqlite3").exists()
    assert served.opened() == []


def gated(served: Workspaces) -> threading.Event:
    """Opening a workspace waits until the returned event is set."""
    gate, build = threading.Event(), served.build

    def slow(key: str, store: Store) -> Deps:
        gate.wait(5)
        return build(key, store)

    served.build = slow
    served.open_wait = 0.05
    return gate


def test_a_slow_opening_answers_without_the_store_meanwhile(served: Workspaces) -> None:
    gate = gated(served)
    assert served.deps_for("T0AAA") is served.storeless  # did not wait for it
    gate.set()
    opened = served.open("T0AAA")
    assert opened is not None and served.deps_for("T0AAA") is opened.deps


def test_a_workspace_uninstalled_while_it_opens_is_not_kept_or_reopened(
    served: Workspaces, clock: Clock, tmp_path: Path
) -> None:
    gate = gated(served)
    assert served.deps_for("T0AAA") is served.storeless
    served.forget("T0AAA")  # Slack's uninstall, while the first request's opening waits
    assert served.open("T0AAA") is None  # refused: uninstalled
    assert served.deps_for("T0AAA") is served.storeless  # not reopened
    gate.set()
    served.close(5.0)  # the opening that was under way ends
    assert served.opened() == []
    assert not (tmp_path / "pmbot.workspaces" / "T0AAA.sqlite3").exists()


def test_one_uninstalled_through_another_process_is_closed_here(served: Workspaces) -> None:
    installed = {"T0AAA", "T0BBB"}
    served.installed = lambda: installed
    served.deps_for("T0AAA"), served.deps_for("T0BBB")
    installed.discard("T0AAA")
    served.close_uninstalled()
    assert served.opened() == ["T0BBB"]
