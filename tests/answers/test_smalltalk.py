"""Greetings and thanks: decided once, from knowledge, for every surface."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeError, load_knowledge
from bot.answers.messages import HELP_TEXT
from bot.answers.model import Smalltalk
from bot.answers.smalltalk import smalltalk_kind

TALK = Smalltalk(
    greetings=("hi", "hey", "good morning"),
    greeting_reply="Hi!",
    thanks=("thanks", "thank you"),
    thanks_reply="You're welcome!",
    also=("there", "pmbot", "so", "much"),
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hey", "greeting"),
        ("Hey there :wave:", "greeting"),
        ("<@UPMBOT0001> good morning!", "greeting"),
        ("thanks!", "thanks"),
        ("Thank you so much, pmbot", "thanks"),
        ("hi, thanks!", "thanks"),
        ("hi, who owns the roadmap?", None),
        ("thanks, and who owns scope?", None),
        ("there", None),
        ("", None),
    ],
)
def test_smalltalk_kind(text: str, kind: str | None) -> None:
    assert smalltalk_kind(TALK, text) == kind


def test_engine_greets_with_the_help_and_thanks_briefly(engine: Engine) -> None:
    hey = engine.answer("hey")
    assert (hey.status, hey.topic, hey.text) == ("smalltalk", None, f"Hi! 👋\n{HELP_TEXT}")
    thanks = engine.answer("thanks!")
    assert (thanks.status, thanks.text) == (
        "smalltalk",
        "You're welcome! Ask me anything else about who does what.",
    )
    assert engine.answer("hey, who owns the roadmap?").topic == "owns-roadmap"


def test_smalltalk_section_is_checked(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "topics:\n  - id: a\n    title: A\n    answer: x\n    questions: [what is a]\n"
        "smalltalk:\n  greeting:\n    reply: hi\n  wave: []\n"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert [str(p).split("t.yaml:")[1] for p in caught.value.problems] == [
        "8: smalltalk 'greeting' needs a 'phrases' list",
        "9: unknown field 'wave' in smalltalk (expected: also, greeting, thanks)",
    ]
