"""Unanswered questions grouped by similarity (bot/curation/groups.py)."""

from __future__ import annotations

from bot.answers.engine import Engine
from bot.curation.groups import Group, group_questions, roles_named


def rows(*questions: str) -> list[dict[str, object]]:
    return [{"question": q, "logged_at": float(n)} for n, q in enumerate(questions)]


def test_near_duplicates_are_one_question_with_its_newest_wording() -> None:
    found = group_questions(
        rows(
            "who signs the vendor contract?",
            "Who signs the vendor contract",
            "what is a PRD",
            "who signs the vendr contract",
            "the vendor contract: who signs it",
        )
    )
    assert found == [
        Group("the vendor contract: who signs it", 4, 4.0, 3),
        Group("what is a PRD", 1, 2.0, 1),
    ]


def test_questions_about_different_roles_are_never_one(engine: Engine) -> None:
    asked = rows("what's the role of a project manager", "what's the role of a product manager")
    assert len(group_questions(asked)) == 1  # alike in all but the word that matters
    by_role = group_questions(asked, roles_named(engine.normaliser))
    assert [g.question for g in by_role] == [
        "what's the role of a product manager",
        "what's the role of a project manager",
    ]


def test_empty_and_punctuation_only_questions_are_left_out() -> None:
    assert group_questions(rows("", "?!", "   ")) == []
