"""What a question asks: the `asks` section and the reader (bot/answers/asks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.asks import AskReader
from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeError, load_knowledge
from bot.answers.model import Ask

TOPIC = "topics:\n  - id: a\n    title: A\n    answer: x\n    questions: [what is a]\n"
ROLES = ["scrum master", "product owner", "product manager", "po"]
READER = AskReader(
    [
        Ask("asker", "who is asking", ("ROLE here", "im a ROLE")),
        Ask("become", "getting in", ("how do i become", "become a ROLE")),
        Ask("opinion", "opinions", ("stressful", "is ROLE boring")),
    ],
    ROLES,
)


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("How do I become a scrum master?", "become"),
        ("is it smart to become a PO now?", "become"),  # ROLE: any role phrase
        ("Is product owner boring?", "opinion"),
        ("how do I become less stressed", "become"),  # the first ask in order wins
        ("is this job stressful", "opinion"),
        ("what does a scrum master do", None),
        ("is it unstressful", None),  # whole words only
        ("scrum master here, who owns the roadmap?", None),  # the asker is no ask
    ],
)
def test_reader_finds_the_first_ask_whose_cue_is_said(question: str, ask: str | None) -> None:
    found = READER.read(question)
    assert (found.id if found else None) == ask


def test_reader_names_the_roles_that_only_say_who_is_asking() -> None:
    assert READER.asker_roles("Scrum master here. Who owns the backlog?") == ["scrum master"]
    assert READER.asker_roles("I'm a PO: what does a scrum master do?") == ["po"]
    assert READER.asker_roles("what does a scrum master do here") == []


def test_asks_section_is_checked(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        TOPIC + "asks:\n  become:\n    label: getting in\n  odd: [1]\n"
        "  remote:\n    label: remote\n    cues: [remote]\n    subject_word: maybe\n    tone: x\n"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert [str(p).split("t.yaml:")[1] for p in caught.value.problems] == [
        "8: ask 'become' needs a 'cues' list",
        "9: ask 'odd' must be a mapping (label, cues)",
        "13: 'subject_word' of ask 'remote' must be true or false",
        "14: unknown field 'tone' in ask 'remote' "
        "(expected: cues, decline, fallback, label, subject_word)",
    ]


def test_a_topic_must_answer_an_ask_that_exists(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        TOPIC + "    ask: becoem\nasks:\n  become:\n    label: getting in\n    cues: [become]\n"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert [str(p).split("t.yaml:")[1] for p in caught.value.problems] == [
        "2: ask 'becoem' of topic 'a' is not an ask (expected: become)"
    ]


def test_a_new_ask_is_knowledge_only(tmp_path: Path) -> None:
    """A team adds a kind of question in YAML, with no code: it is declined by name."""
    (tmp_path / "t.yaml").write_text(
        "topics:\n  - id: sm\n    title: The scrum master\n    kind: role\n"
        "    about: scrum-master\n    answer: Runs the scrum events.\n"
        "    questions: [what does a scrum master do]\n"
        'synonyms:\n  "@scrum-master": [scrum master]\n'
        "asks:\n  remote:\n    label: remote work\n    cues: [remote friendly]\n"
        "    decline: I don't know how remote friendly the {role} job is.\n"
    )
    result = Engine(load_knowledge(tmp_path)).answer("is scrum master a remote friendly job?")
    assert (result.status, result.declined) == ("decline", "ask:remote")
    assert result.text == (
        "I don't know how remote friendly the scrum master job is.\n"
        "Here is what I do know about the scrum master:\nRuns the scrum events."
    )
    assert result.alternatives == ("sm",)


def test_the_word_role_in_a_cue_is_a_word() -> None:
    reader = AskReader([Ask("opinion", "opinions", ("dual role", "is ROLE a dying role"))], ROLES)
    assert reader.asks[0].cues == ("dual role", "is ROLE a dying role")
    assert reader.read("is scrum master a dying role?") is not None
    assert reader.read("is it a dual role?") is not None


def test_a_role_named_again_is_the_subject_not_the_asker() -> None:
    assert READER.asker_roles("I'm a PO. How do I become a PO?") == []


def test_mistakes_in_asks_are_reported_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        TOPIC + "asks:\n  become:\n    label: getting in\n    cues: [become]\n"
        "    decline: No {level} here.\n    fallback: [careers]\n"
        "  asker:\n    label: who asks\n    cues: [new ROLE here]\n"
    )
    (tmp_path / "u.yaml").write_text("asks:\n  become:\n    label: again\n    cues: [x]\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems] == [
        "t.yaml:10: 'decline' of ask 'become' may only use {role}",
        "t.yaml:11: fallback 'careers' of ask 'become' is not an ask",
        "t.yaml:14: each cue of ask 'asker' starts or ends with ROLE",
        "u.yaml:2: ask 'become' is defined twice (first at t.yaml:7)",
    ]
