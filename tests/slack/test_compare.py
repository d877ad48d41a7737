"""`/pm compare`: any two roles of the grid side by side. The pure functions are checked
on their dicts; the command through a real Bolt App (app.dispatch of Slack's payload),
over the shipped knowledge plus a team's own role, written in YAML only."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from slack_bolt import App

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, default_knowledge_dir, load_knowledge
from bot.local.local_api import WebApiStandIn
from bot.slack.compare import Named, cannot_compare_message, compare_message, roles_named
from tests.conftest import TEAM_ROLE_YAML
from tests.slack.conftest import acked, slash

KNOWN = (
    "I can compare any two of: product manager, project manager, product owner, scrum "
    "master, program manager, agile coach, delivery manager, engineering manager, business "
    "analyst, product marketing manager, PMO, release manager."
)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The shipped knowledge, and a team's file adding a role of its own."""
    knowledge = tmp_path_factory.mktemp("compare") / "knowledge"
    shutil.copytree(default_knowledge_dir(), knowledge)
    (knowledge / "team.yaml").write_text(TEAM_ROLE_YAML, encoding="utf-8")
    return load_knowledge(knowledge)


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


def compare(app: App, api: WebApiStandIn, args: str) -> dict[str, Any]:
    params = acked(app, slash(api, f"compare {args}".strip()))
    assert params["response_type"] == "ephemeral"
    assert api.calls_to("response_url") == []  # answered in the ack
    return params


def fields(params: dict[str, Any]) -> list[str]:
    return [field["text"] for field in params["blocks"][1]["fields"]]


# --- reading the roles --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("", ("product", "project")),
        ("scrum master agile coach", ("scrum-master", "agile-coach")),
        ("agile coach vs scrum master", ("agile-coach", "scrum-master")),
        ("PO vs SM", ("product-owner", "scrum-master")),
        ("delivery manager or project manager?", ("delivery-manager", "project")),
        ("pmm and the pmo", ("product-marketing-manager", "pmo")),
        ("release manager vs program manager", ("release-manager", "program-manager")),
        ("scrum master and scrum master", ("scrum-master",)),
        ("astronaut vs chef", ()),
    ],
)
def test_roles_are_read_in_the_order_typed(
    kb: KnowledgeBase, engine: Engine, text: str, roles: tuple[str, ...]
) -> None:
    assert roles_named(kb, engine.normaliser, text) == Named(roles)


def test_a_bare_pm_is_no_role(kb: KnowledgeBase, engine: Engine) -> None:
    assert roles_named(kb, engine.normaliser, "pm vs scrum master") == Named(
        ("scrum-master",), bare_pm=True
    )


# --- the messages -------------------------------------------------------------------------
def test_two_roles_side_by_side(kb: KnowledgeBase) -> None:
    message = compare_message(kb, ("scrum-master", "release-manager"))
    assert message == {
        "text": "Scrum master vs release manager, side by side",
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Scrum master vs release manager*"},
            },
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": "*Scrum master*\n_The team's effectiveness in Scrum_\n"
                        "• Coaches the team in Scrum\n• Runs the Scrum events\n"
                        "• Removes impediments\n*Goal:* A team that works well, the Scrum way.",
                    },
                    {
                        "type": "mrkdwn",
                        "text": "*Release manager*\n_Getting releases out safely_\n"
                        "• Runs the incident review\n• Signs off each release\n"
                        "*Goal:* Releases that land without surprises.",
                    },
                ],
            },
        ],
    }


def test_product_vs_project_keeps_its_summary(kb: KnowledgeBase) -> None:
    blocks = compare_message(kb)["blocks"]
    assert blocks[0]["text"]["text"] == "*Product manager vs project manager*"
    assert blocks[2] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": kb.topics["what-vs-how"].answer}],
    }
    assert len(compare_message(kb, ("pmo", "project"))["blocks"]) == 2  # no summary there


def test_one_role_is_not_enough(kb: KnowledgeBase) -> None:
    message = cannot_compare_message(kb, "scrum master vs <!channel>", Named(("scrum-master",)))
    assert message["blocks"] == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "I need two roles to compare, and found one I know in “scrum master vs "
                "&lt;!channel&gt;”: *scrum master*.\n"
                + KNOWN
                + "\nFor example: `/pm compare scrum master product manager`",
            },
        }
    ]
    assert "*" not in message["text"] and "`" not in message["text"]


def test_three_roles_are_one_too_many(kb: KnowledgeBase) -> None:
    named = Named(("product-owner", "scrum-master", "pmo"))
    text = cannot_compare_message(kb, "po sm pmo", named)["blocks"][0]["text"]["text"]
    assert text.startswith(
        "I compare two roles at a time, and “po sm pmo” names 3: "
        "*product owner*, *scrum master*, *PMO*.\n"
    )
    assert text.endswith("For example: `/pm compare product owner scrum master`")


# --- through the Bolt app -----------------------------------------------------------------
def test_compare_alone_is_product_vs_project(app: App, api: WebApiStandIn) -> None:
    params = compare(app, api, "")
    assert params["text"] == "Product manager vs project manager, side by side"
    assert [f.split("\n")[0] for f in fields(params)] == ["*Product manager*", "*Project manager*"]


@pytest.mark.parametrize(
    ("args", "header"),
    [
        ("scrum master agile coach", "*Scrum master*,*Agile coach*"),
        ("delivery manager vs project manager", "*Delivery manager*,*Project manager*"),
        ("PO vs the product manager", "*Product owner*,*Product manager*"),
        ("business analyst engineering manager", "*Business analyst*,*Engineering manager*"),
        ("release manager or the PMO", "*Release manager*,*PMO*"),
    ],
)
def test_compare_any_two_roles(app: App, api: WebApiStandIn, args: str, header: str) -> None:
    params = compare(app, api, args)
    assert ",".join(f.split("\n")[0] for f in fields(params)) == header


def test_a_teams_own_role_shows_its_duties(app: App, api: WebApiStandIn) -> None:
    release = fields(compare(app, api, "release manager vs scrum master"))[0]
    assert "• Runs the incident review" in release


@pytest.mark.parametrize(
    ("args", "lead"),
    [
        ("scrum master", "I need two roles to compare, and found one I know in “scrum master”"),
        ("astronaut vs chef", "I need two roles to compare, and found none I know in “astronaut"),
        ("chef vs agile coach", "I need two roles to compare, and found one I know in “chef vs"),
        ("po sm pmo", "I compare two roles at a time, and “po sm pmo” names 3"),
    ],
)
def test_not_two_known_roles_gets_the_list(
    app: App, api: WebApiStandIn, args: str, lead: str
) -> None:
    params = compare(app, api, args)
    (block,) = params["blocks"]
    assert block["text"]["text"].startswith(lead)
    assert KNOWN in block["text"]["text"]


def test_a_bare_pm_asks_which(app: App, api: WebApiStandIn) -> None:
    text = compare(app, api, "pm vs scrum master")["blocks"][0]["text"]["text"]
    assert "“PM” could be the product or the project manager: say which." in text
