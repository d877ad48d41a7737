"""Curated topics, checked as `pmbot validate` reads a file and merged under the
knowledge files (bot/answers/curated.py)."""

from __future__ import annotations

from bot.answers.curated import CuratedTopic, check_curated, merge_curated
from bot.answers.knowledge import KnowledgeBase

DRESS = CuratedTopic(
    "dress-code", "Dress code", "Anything goes.", ("what do we wear offsite",), "U1", "2026-12-08"
)


def test_a_good_topic_has_no_problems(kb: KnowledgeBase) -> None:
    assert check_curated(kb, DRESS) == []


def test_problems_come_with_their_field_in_validate_s_words(kb: KnowledgeBase) -> None:
    roadmap = kb.topics["owns-roadmap"]
    bad = CuratedTopic("Bad Id", "", "x" * 3001, (roadmap.questions[0],), "U1", "2026-12-08")
    found = dict(check_curated(kb, bad))
    assert found["id"].startswith("topic id 'Bad Id' must be lower-case letters")
    assert found["title"] == "'title' of topic 'Bad Id' must be non-empty text"
    assert found["answer"] == (
        "answer of topic 'Bad Id' is 3,001 characters; Slack allows 3,000 in one section"
    )
    assert found["questions"].startswith(
        f"question '{roadmap.questions[0]}' is under topics 'owns-roadmap'"
    )


def test_a_taken_id_is_refused_unless_it_is_the_topic_being_edited(kb: KnowledgeBase) -> None:
    merged = merge_curated(kb, [DRESS])
    (problem,) = check_curated(merged, DRESS)
    assert problem[0] == "id" and problem[1].startswith("duplicate topic id 'dress-code'")
    assert check_curated(merged, DRESS, replacing="dress-code") == []


def test_the_files_win_over_a_curated_topic(kb: KnowledgeBase) -> None:
    roadmap = kb.topics["owns-roadmap"]
    taken_id = CuratedTopic("owns-roadmap", "T", "a", ("something new",), "U1", "2026-12-08")
    taken_question = CuratedTopic(
        "x-y", "X", "a", (roadmap.questions[0], "fresh one"), "U1", "2026-12-08"
    )
    merged = merge_curated(kb, [taken_id, taken_question, DRESS])
    assert merged.topics["owns-roadmap"] == roadmap
    assert merged.topics["x-y"].questions == ("fresh one",)
    assert merged.topics["dress-code"].group == "Saved by curators"
