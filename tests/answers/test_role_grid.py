"""The role grid answers for a team's own role with no code change (role_grid.py):
what the loader derives, what it leaves to topics written in YAML, and what validate
says about the grid's gaps."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.lint import grid_warnings
from bot.answers.model import Role
from bot.answers.role_grid import lower_first, role_answer
from bot.team.roles import holder_roles, roles_named_by
from tests.conftest import REPO, TEAM_ROLE_YAML
from tests.test_cli import run

RELEASE = TEAM_ROLE_YAML


def knowledge(tmp_path: Path, *files: str) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for number, text in enumerate(files):
        (folder / f"k{number}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def release(tmp_path: Path) -> KnowledgeBase:
    return load_knowledge(knowledge(tmp_path, RELEASE))


def test_a_role_with_no_topic_gets_one(release: KnowledgeBase) -> None:
    topic = release.topics["release-manager"]
    assert (topic.kind, topic.about, topic.title) == (
        "role",
        "release-manager",
        "The release manager",
    )
    assert topic.answer == (
        "*Release manager*: Getting releases out safely\n"
        "• Runs the incident review\n"
        "• Signs off each release\n"
        "*Goal:* Releases that land without surprises."
    )
    assert topic.questions == (
        "what does a release manager do",
        "what is a release manager",
        "what is the role of a release manager",
    )
    assert topic.source.endswith("k0.yaml:2")
    assert release.settings.role_topics == ("release-manager",)


def test_each_duty_with_no_topic_gets_one_naming_the_role(release: KnowledgeBase) -> None:
    duty = release.roles["release-manager"].duties[0]
    assert duty.topic == "release-manager-runs-the-incident-review"
    topic = release.topics[duty.topic]
    assert (topic.kind, topic.owner, topic.title) == ("duty", "release-manager", "Incident review")
    assert topic.answer == "*Release manager.* Runs the incident review."
    assert topic.questions == ("who runs the incident review",)
    assert topic.keywords == ("incident review", "postmortem")
    assert topic.related == ("release-manager",)
    assert (topic.source, topic.question_lines) == (duty.source, (7,))
    assert list(release.topics) == [
        "release-manager",
        "release-manager-runs-the-incident-review",
        "release-manager-signs-off-each-release",
    ]


def test_the_role_title_becomes_its_marker(release: KnowledgeBase) -> None:
    assert release.synonyms["@release-manager"] == ("Release manager",)
    assert holder_roles(release)["release-manager"] == "Release manager"
    duty_topic = release.topics["release-manager-runs-the-incident-review"]
    assert roles_named_by(release, duty_topic) == ("release-manager",)
    assert roles_named_by(release, release.topics["release-manager"]) == ("release-manager",)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what does a release manager do", "release-manager"),
        ("release managers - what do they do?", "release-manager"),
        ("who runs the incident review", "release-manager-runs-the-incident-review"),
        ("who owns the postmortem?", "release-manager-runs-the-incident-review"),
        ("who signs off each release?", "release-manager-signs-off-each-release"),
    ],
)
def test_the_engine_answers_from_the_derived_topics(
    release: KnowledgeBase, question: str, topic: str
) -> None:
    result = Engine(release).answer(question)
    assert (result.status, result.topic) == ("answer", topic)


@pytest.mark.parametrize("with_shipped", [False, True])
def test_pmbot_ask_answers_a_teams_role(tmp_path: Path, with_shipped: bool) -> None:
    folder = knowledge(tmp_path, RELEASE)
    if with_shipped:
        shutil.copytree(REPO / "knowledge", folder, dirs_exist_ok=True)
    for question, topic in (
        ("what does a release manager do", "release-manager"),
        ("who runs the incident review", "release-manager-runs-the-incident-review"),
    ):
        code, out, _ = run(["ask", "--json", "--knowledge", str(folder), question])
        assert (code, json.loads(out)["topic"]) == (0, topic)


def test_topics_written_in_yaml_win(tmp_path: Path) -> None:
    mine = """\
    topics:
      - id: release-manager
        title: Our release manager
        answer: Ask Kim.
        questions: [who is our release manager]
      - id: incident-reviews
        title: Incident reviews
        kind: duty
        owner: project
        answer: "*Project manager.* They run it here."
        questions: [who runs the incident review]
        keywords: [incident review]
    synonyms:
      "@release-manager": [release manager, rm]
    """
    kb = load_knowledge(knowledge(tmp_path, RELEASE, mine))
    assert kb.topics["release-manager"].answer == "Ask Kim."  # its id is taken
    duties = kb.roles["release-manager"].duties
    assert [d.topic for d in duties] == [None, "release-manager-signs-off-each-release"]
    assert kb.topics["release-manager-signs-off-each-release"].related == ()
    assert kb.synonyms["@release-manager"] == ("release manager", "rm")


def test_a_role_a_yaml_topic_describes_gets_nothing_derived(tmp_path: Path) -> None:
    described = """\
    topics:
      - id: the-release-manager
        title: The release manager
        kind: role
        about: release-manager
        answer: Ships things.
        questions: [what does a release manager do]
    """
    kb = load_knowledge(knowledge(tmp_path, RELEASE, described))
    assert list(kb.topics) == ["the-release-manager"]
    assert [d.topic for d in kb.roles["release-manager"].duties] == [None, None]


def test_marker_words_another_role_holds_stay_there(tmp_path: Path) -> None:
    taken = 'synonyms:\n  "@project": [release manager]\n'
    kb = load_knowledge(knowledge(tmp_path, RELEASE, taken))
    assert "@release-manager" not in kb.synonyms


def test_the_shipped_roles_are_all_described_in_yaml(kb: KnowledgeBase) -> None:
    assert [t.id for t in kb.topics.values() if "roles.yaml" in t.source] == []
    assert len(kb.roles) == 11
    assert {f"@{r}" for r in kb.roles} - {"@product", "@project"} <= set(kb.synonyms)


def test_a_taught_phrasing_may_name_a_derived_topic(tmp_path: Path) -> None:
    taught = "phrasings:\n  release-manager: [who guards the release train]\n"
    kb = load_knowledge(knowledge(tmp_path, RELEASE, taught))
    assert kb.topics["release-manager"].questions[-1] == "who guards the release train"


def test_grid_warnings(tmp_path: Path) -> None:
    gaps = """\
    topics:
      - id: owns-coffee
        title: Coffee
        kind: duty
        owner: project
        answer: "*Project manager.* Coffee."
        questions: [who makes the coffee]
        keywords: [coffee]
    roles:
      tea-lead:
        title: Tea lead
    settings:
      ambiguous_topic: owns-coffee
      suggested_topics: [owns-coffee]
    """
    folder = knowledge(tmp_path, RELEASE, gaps)
    kb = load_knowledge(folder)
    assert [str(w) for w in grid_warnings(kb)] == [
        f"{folder}/k1.yaml:2: warning: duty topic 'owns-coffee' has no owner: "
        "no role's duties list it",
        f"{folder}/k1.yaml:10: warning: role 'tea-lead' has no duties",
    ]
    code, _, err = run(["validate", str(folder)])
    assert code == 0
    assert err.splitlines()[-2:] == [str(w) for w in grid_warnings(kb)]


def test_the_shipped_grid_has_no_gaps(kb: KnowledgeBase) -> None:
    assert grid_warnings(kb) == []


def test_role_answer_leaves_out_what_is_not_said() -> None:
    assert role_answer(Role("x", "X", "", "", ())) == "*X*"


@pytest.mark.parametrize(
    ("text", "lowered"),
    [("Runs the review", "runs the review"), ("PMO", "PMO"), ("", "")],
)
def test_lower_first_keeps_acronyms(text: str, lowered: str) -> None:
    assert lower_first(text) == lowered
