"""What pmbot can answer, listed by group (bot/slack/listing.py)."""

from __future__ import annotations

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.slack.listing import group_of, home_view, topics_message
from tests.slack.test_blocks import all_texts


def test_topics_message_groups_topics_by_kind(kb: KnowledgeBase) -> None:
    message = topics_message(kb)
    headings = [t.split("\n")[0] for t in all_texts(message["blocks"][1:])]
    assert headings == [
        "*The basics*",
        "*Our two roles*",
        "*Roles next door*",
        "*Who owns what*",
        "*Careers and certificates*",
        "*Terms*",
    ]
    listed = " ".join(all_texts(message["blocks"]))
    assert "Tools and workflows" not in listed  # declines are never listed


def test_each_kind_has_its_group(kb: KnowledgeBase) -> None:
    groups = {t.id: group_of(t) for t in kb.answerable}
    assert {groups[t.id] for t in kb.answerable if t.kind == "duty"} == {"Who owns what"}
    assert {groups[t.id] for t in kb.answerable if t.kind == "term"} == {"Terms"}
    assert {groups[t] for t in ("product-owner", "scrum-master", "program-manager", "pmo")} == {
        "Roles next door"
    }
    assert {groups[t] for t in ("product-manager", "project-manager")} == {"Our two roles"}
    careers = ("become-product-manager", "salary", "senior-role", "certifications")
    assert {groups[t] for t in careers} == {"Careers and certificates"}


def test_a_topic_with_no_group_is_listed_by_its_kind() -> None:
    def topic(kind: str) -> Topic:
        return Topic(id="x", title="X", kind=kind, answer="a", questions=("q",))

    assert [group_of(topic(k)) for k in ("role", "term", "duty", "faq")] == [
        "Roles next door",
        "Terms",
        "Who owns what",
        "More",
    ]


def test_home_view(kb: KnowledgeBase) -> None:
    view = home_view(kb)
    assert view["type"] == "home"
    assert view["blocks"][0]["type"] == "header"
    assert any("*Who owns what*" in t for t in all_texts(view["blocks"]))
