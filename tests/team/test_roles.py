from __future__ import annotations

import pytest

from bot.answers.knowledge import KnowledgeBase
from bot.team.roles import holder_roles, role_for, roles_named_by


def test_holder_roles_are_ours_then_the_neighbouring_ones(kb: KnowledgeBase) -> None:
    assert holder_roles(kb) == {
        "product": "Product manager",
        "project": "Project manager",
        "product-owner": "Product owner",
        "scrum-master": "Scrum master",
        "program-manager": "Program manager",
        "agile-coach": "Agile coach",
        "delivery-manager": "Delivery manager",
        "engineering-manager": "Engineering manager",
        "business-analyst": "Business analyst",
        "product-marketing-manager": "Product marketing manager",
        "pmo": "PMO",  # the role grid's title, as written
    }


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("product", "product"),
        ("Product Manager", "product"),
        ("pdm", "product"),
        ("prod", "product"),
        ("project", "project"),
        ("pjm", "project"),
        ("PO", "product-owner"),
        ("product owner", "product-owner"),
        ("product-owner", "product-owner"),
        ("scrum master", "scrum-master"),
        ("scrum", "scrum-master"),
        ("SM", "scrum-master"),
        ("program", "program-manager"),
        ("TPM", "program-manager"),
        ("pm", None),  # could be either: the user must say which
        ("lead", None),
        ("", None),
    ],
)
def test_role_words_come_from_the_knowledge_base(
    kb: KnowledgeBase, word: str, role: str | None
) -> None:
    assert role_for(kb, word) == role


@pytest.mark.parametrize(
    ("topic", "roles"),
    [
        ("owns-roadmap", ("product",)),
        ("owns-risk", ("project",)),
        ("owns-budget", ("product", "project")),
        ("product-manager", ("product",)),
        ("scrum-master", ("scrum-master",)),
        ("agile-coach", ("agile-coach",)),
        ("pmo", ("pmo",)),
        ("become-product-manager", ()),  # about a role, but not a role topic (settings)
        ("salary", ()),
    ],
)
def test_roles_an_answer_names(kb: KnowledgeBase, topic: str, roles: tuple[str, ...]) -> None:
    assert roles_named_by(kb, kb.topics[topic]) == roles
    assert roles_named_by(kb, None) == ()
