from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answers.freshness import Stale
from bot.answers.knowledge import KnowledgeBase
from bot.curation.blocks import stale_blocks
from bot.slack.listing import home_view
from bot.team.command import roles_blocks


def stale(kb: KnowledgeBase, topic_id: str, maintainer: str | None = None) -> Stale:
    topic = replace(kb.topics[topic_id], maintainer=maintainer)
    return Stale(topic, date(2026, 1, 10), date(2026, 7, 9))


def test_roles_block() -> None:
    (block,) = roles_blocks([("C1", "Product manager"), ("C2", "Scrum <master>")])
    assert block["text"]["text"] == (
        "*Your roles* (set with `/pm team`)\n"
        "• <#C1>: Product manager\n• <#C2>: Scrum &lt;master&gt;"
    )
    assert roles_blocks([]) == []


def test_stale_topics_are_for_curators_only(kb: KnowledgeBase) -> None:
    found = [stale(kb, "salary", "pay <team>"), stale(kb, "owns-risk")]
    assert stale_blocks(found, curator=False) == []
    (block,) = stale_blocks(found, curator=True)
    assert block["text"]["text"] == (
        "*Topics due for review*\n"
        "• Salaries (`salary`): reviewed 2026-01-10, pay &lt;team&gt;\n"
        "• Risk (`owns-risk`): reviewed 2026-01-10"
    )
    many = stale_blocks([stale(kb, "salary")] * 12, curator=True)[0]["text"]["text"]
    assert many.endswith("\n…and 2 more (`pmbot report` lists them all)")


def test_personal_blocks_sit_in_app_home_before_the_topics(kb: KnowledgeBase) -> None:
    extra = [
        *roles_blocks([("C1", "Product manager")]),
        *stale_blocks([stale(kb, "salary")], curator=True),
    ]
    ids = [b.get("block_id") for b in home_view(kb, extra)["blocks"]]
    assert ids.index("pm_your_roles") < ids.index("pm_stale_topics") < len(ids) - 1
