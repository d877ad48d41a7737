"""`/pm team` and the answers that name who holds a role here, through a real Bolt App
(app.dispatch of Slack's payload shapes) and a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App

from bot.answers.knowledge import KnowledgeBase
from bot.answers.result import Result
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.blocks import answer_message
from bot.store.database import Store
from bot.team.command import TeamRequest, TeamUsageError, here_text, parse_team_args
from bot.team.store import HolderStore
from tests.slack.conftest import acked, buttons, click, dispatch, dm, event, mention, slash

ROADMAP = (
    "*Product manager* owns the product roadmap and its release schedules. The *project "
    "manager* owns the project plan and schedule, and may put together sprint roadmaps for "
    "the team."
)


def pm(app: App, api: WebApiStandIn, text: str, channel: str = "C1", user: str = "U1") -> Any:
    return acked(app, slash(api, text) | {"channel_id": channel, "user_id": user})


def team(app: App, api: WebApiStandIn, text: str, channel: str = "C1", user: str = "U1") -> str:
    """The reply to `/pm team …`: in the ack, or (recording holders, which asks Slack
    first) through the response URL."""
    params = pm(app, api, f"team {text}".strip(), channel, user)
    if params:
        assert params["response_type"] == "ephemeral"
        return str(params["text"])
    call = api.calls_to("response_url")[-1]
    assert call.params["response_type"] == "ephemeral"
    return str(call.params["text"])


def answer_text(params: dict[str, Any]) -> str:
    return str(params["blocks"][0]["text"]["text"])


# --- parsing ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", TeamRequest("show")),
        ("show", TeamRequest("show")),
        ("product", TeamRequest("show", "product")),
        ("clear", TeamRequest("clear")),
        ("clear scrum master", TeamRequest("clear", "scrum-master")),
        ("product <@U123|alice>", TeamRequest("set", "product", (("U123", "user"),))),
        ("PO <@U123>", TeamRequest("set", "product-owner", (("U123", "user"),))),
        (
            "project <@W1|bob><!subteam^S123|@checkout-pms> <!subteam^S9>",
            TeamRequest(
                "set", "project", (("W1", "user"), ("S123", "usergroup"), ("S9", "usergroup"))
            ),
        ),
        ("scrum master <@U1|al ice>", TeamRequest("set", "scrum-master", (("U1", "user"),))),
    ],
)
def test_parse(kb: KnowledgeBase, text: str, request_: TeamRequest) -> None:
    assert parse_team_args(kb, text) == request_


@pytest.mark.parametrize(
    ("text", "echoed"),
    [
        ("product alice", "alice"),
        ("product @alice", "@alice"),
        ("product @channel", "@channel"),
        ("product <!here>", "&lt;!here&gt;"),
        ("product <!channel>", "&lt;!channel&gt;"),
        ("product <https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
        ("product <@U1|a> <#C1|general>", "&lt;#C1|general&gt;"),
    ],
)
def test_anything_but_a_mention_is_refused_politely(
    kb: KnowledgeBase, text: str, echoed: str
) -> None:
    with pytest.raises(TeamUsageError) as error:
        parse_team_args(kb, text)
    assert str(error.value) == (
        f"“{echoed}” isn't a person or a user group. Mention them with @, "
        "like `/pm team product @alice` or `@checkout-pms`."
    )


def test_unknown_role_is_refused_with_the_roles(kb: KnowledgeBase) -> None:
    with pytest.raises(TeamUsageError) as error:
        parse_team_args(kb, "pm <@U1>")
    assert str(error.value) == (
        "I don't know the role “pm &lt;@U1&gt;”. Roles: product manager, project manager, "
        "product owner, scrum master, program manager, agile coach, delivery manager, "
        "engineering manager, business analyst, product marketing manager, PMO. "
        "For example: `/pm team product @alice`."
    )


def test_at_most_twenty_holders_per_role(kb: KnowledgeBase) -> None:
    names = " ".join(f"<@U{i}>" for i in range(21))
    with pytest.raises(TeamUsageError) as error:
        parse_team_args(kb, f"product {names} <@U1>")
    assert str(error.value) == (
        "That's 21 names; a role takes at most 20. A user group (`@checkout-pms`) counts as one."
    )
    assert len(parse_team_args(kb, f"product {names} <@U20>".replace("<@U0> ", "")).holders) == 20


def test_here_text(kb: KnowledgeBase) -> None:
    holders = {"product": ["<@U1>", "<!subteam^S1>"], "project": ["<@U2>"]}
    assert here_text(kb, ("product",), holders) == "Here: <@U1>, <!subteam^S1>"
    assert here_text(kb, ("product", "project"), holders) == (
        "Here: <@U1> (product manager), <!subteam^S1> (product manager), <@U2> (project manager)"
    )
    assert here_text(kb, ("scrum-master",), holders) is None


def test_here_names_a_few_holders_per_role_then_how_many_more(kb: KnowledgeBase) -> None:
    twenty = {"product": [f"@p{i}" for i in range(20)], "project": ["@q"]}
    assert here_text(kb, ("product",), twenty) == "Here: @p0, @p1, @p2, @p3, @p4, and 15 more"
    assert here_text(kb, ("product", "project"), twenty) == (
        "Here: @p0 (product manager), @p1 (product manager), @p2 (product manager), "
        "@p3 (product manager), @p4 (product manager), and 15 more (product manager), "
        "@q (project manager)"
    )


def test_a_long_answer_is_cut_before_the_here_line_never_inside_it(kb: KnowledgeBase) -> None:
    holders = {"product": [f"<@U{i:09d}>" for i in range(20)]}
    here = here_text(kb, ("product",), holders)
    long = Result("q", "answer", "owns-roadmap", 0.9, "word " * 700, title="The roadmap")
    section = answer_message(long, kb, here=here)["blocks"][0]["text"]["text"]
    assert len(section) <= 3000
    assert section.endswith("\nHere: " + ", ".join(holders["product"][:5]) + ", and 15 more")
    assert "…\nHere: " in section  # the answer was cut, the names were not


# --- the command ----------------------------------------------------------------------------
def test_set_show_and_clear(app: App, api: WebApiStandIn, store: Store) -> None:
    assert pm(app, api, "team")["text"] == (
        "No roles are recorded in this channel yet. Record one with `/pm team product @alice` "
        "(roles: product manager, project manager, product owner, scrum master, program manager, "
        "agile coach, delivery manager, engineering manager, business analyst, product marketing "
        "manager, PMO)."
    )
    reply = team(app, api, "product <@U2|alice> <!subteam^S1|@checkout-pms>", user="U9")
    assert reply == (
        "Recorded: the product manager here is <@U2>, <!subteam^S1>. "
        "Answers in this channel now name them."
    )
    assert api.calls_to("conversations.info")[0].params["channel"] == "C1"
    team(app, api, "project <@U3|bob>", user="U8")
    shown = pm(app, api, "team")["text"]
    stamp = HolderStore(store).holders("C1")[0].set_at
    date = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")
    assert shown == (
        "*Who holds each role here*\n"
        f"• *Product manager*: <@U2>, <!subteam^S1> (set by <@U9> on {date})\n"
        f"• *Project manager*: <@U3> (set by <@U8> on {date})\n"
        "Change one with `/pm team ROLE @name`; remove with `/pm team clear [role]`."
    )
    assert (
        pm(app, api, "team clear project")["text"]
        == "Cleared the project manager for this channel."
    )
    assert pm(app, api, "team clear project")["text"] == (
        "Nobody was recorded as project manager here, so nothing changed."
    )
    assert pm(app, api, "team clear")["text"] == "Cleared every role in this channel."
    assert HolderStore(store).holders("C1") == []


def test_refusal_quotes_the_input_escaped(app: App, api: WebApiStandIn, store: Store) -> None:
    reply = pm(app, api, "team product <!channel>")
    assert reply["text"].startswith("“&lt;!channel&gt;” isn't a person or a user group.")
    assert HolderStore(store).holders("C1") == []


def test_roles_are_recorded_only_where_the_bot_is(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    api.state.channels_without_bot.add("C3")
    api.state.missing_channels.add("G4")  # a private channel the bot is not in
    for channel in ("C3", "G4"):
        assert team(app, api, "product <@U2>", channel=channel) == (
            "I'm not in this channel, so I can't keep its roles (I forget them when I leave or "
            "the channel is archived, and Slack only tells me if I'm in it). Invite me with "
            "`/invite @pmbot`, then run `/pm team` again."
        )
        assert HolderStore(store).holders(channel) == []
    # Showing and clearing need no membership: they answer at once.
    assert team(app, api, "", channel="C3").startswith("No roles are recorded")


def test_slack_failing_the_membership_check_is_said(
    app: App, api: WebApiStandIn, store: Store
) -> None:
    api.fail("conversations.info", Fault(error="fatal_error"))
    assert team(app, api, "product <@U2>") == (
        "I couldn't check this channel with Slack just now; please try again."
    )
    assert HolderStore(store).holders("C1") == []


def test_team_in_a_dm_says_roles_are_per_channel(app: App, api: WebApiStandIn) -> None:
    reply = pm(app, api, "team product <@U2>", channel="D1")
    assert (
        reply["text"] == "Roles are kept per channel: run `/pm team` in the channel they belong to."
    )


def test_team_followed_by_a_question_is_a_question(app: App, api: WebApiStandIn) -> None:
    reply = pm(app, api, "team lead duties?")  # "lead" names no role: the engine answers
    assert reply["blocks"][0]["block_id"] in ("pm_answer", "pm_decline", "pm_clarify")
    assert "role" not in reply["text"][:40]


# --- answers that name the holders --------------------------------------------------------
@pytest.fixture
def holders(app: App, api: WebApiStandIn) -> None:
    api.state.user_names |= {"U1": "ada", "U2": "alice", "U3": "bob"}
    api.state.group_handles["S7"] = "coaches"
    team(app, api, "product <@U2|alice>")
    team(app, api, "project <@U3|bob>")
    team(app, api, "scrum master <!subteam^S7|@coaches>")
    api.clear()


@pytest.mark.usefixtures("holders")
def test_ownership_answer_names_the_owning_role_here_only(app: App, api: WebApiStandIn) -> None:
    here = pm(app, api, "who owns the roadmap?")
    assert answer_text(here) == ROADMAP + "\nHere: <@U2>"
    assert here["text"] == "The roadmap: " + ROADMAP + "\nHere: <@U2>"
    assert answer_text(pm(app, api, "who owns the roadmap?", channel="C2")) == ROADMAP
    assert answer_text(pm(app, api, "who owns the roadmap?", channel="D1")) == ROADMAP


@pytest.mark.usefixtures("holders")
def test_shared_duty_names_both_roles(app: App, api: WebApiStandIn) -> None:
    text = answer_text(pm(app, api, "who owns the budget?"))
    assert text.endswith("\nHere: <@U2> (product manager), <@U3> (project manager)")


@pytest.mark.usefixtures("holders")
def test_question_about_a_role_names_its_holder(app: App, api: WebApiStandIn) -> None:
    assert answer_text(pm(app, api, "what does our product manager do?")).endswith("\nHere: <@U2>")
    assert answer_text(pm(app, api, "what is a scrum master?")).endswith("\nHere: <!subteam^S7>")
    assert "Here:" not in answer_text(pm(app, api, "how do I become a product manager?"))


@pytest.mark.usefixtures("holders")
def test_compare_shows_the_holders_in_its_header(app: App, api: WebApiStandIn) -> None:
    header = pm(app, api, "compare")["blocks"][0]["text"]["text"]
    assert header == (
        "*Product manager vs project manager*\n"
        "Here: <@U2> (product manager), <@U3> (project manager)"
    )
    other = pm(app, api, "compare", channel="C2")["blocks"][0]["text"]["text"]
    assert other == "*Product manager vs project manager*"
    header = pm(app, api, "compare scrum master vs agile coach")["blocks"][0]["text"]["text"]
    assert header == "*Scrum master vs agile coach*\nHere: <!subteam^S7> (scrum master)"


@pytest.mark.usefixtures("holders")
def test_mention_answer_names_the_holders_dm_does_not(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event(mention("who decides when we ship?")))
    (call,) = api.calls_to("chat.postMessage")
    assert call.params["blocks"][0]["text"]["text"].endswith("\nHere: @alice")  # no ping
    api.clear()
    dispatch(app, event(dm("who decides when we ship?")))
    (call,) = api.calls_to("chat.postMessage")
    assert "Here:" not in call.params["blocks"][0]["text"]["text"]


@pytest.mark.usefixtures("holders")
def test_shared_answer_names_the_holders(app: App, api: WebApiStandIn) -> None:
    answer = pm(app, api, "who owns risk?")
    share = next(b for b in buttons(answer) if b["action_id"] == "share_answer")
    assert dispatch(app, click(api, share, ephemeral=True)) == 200
    calls = api.calls_to("response_url")
    (posted,) = [c.params for c in calls if c.params.get("response_type") == "in_channel"]
    assert posted["blocks"][0]["text"]["text"].endswith("\nHere: @bob")  # by name, no ping


def test_app_home_lists_the_channels_where_the_user_holds_a_role(
    app: App, api: WebApiStandIn
) -> None:
    team(app, api, "product <@U1|ada>", channel="C1")
    team(app, api, "PO <@U1|ada>", channel="C2")
    dispatch(app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    (call,) = api.calls_to("views.publish")
    (roles,) = [b for b in call.params["view"]["blocks"] if b.get("block_id") == "pm_your_roles"]
    assert roles["text"]["text"] == (
        "*Your roles* (set with `/pm team`)\n• <#C1>: Product manager\n• <#C2>: Product owner"
    )


def test_app_home_without_roles_has_no_roles_section(app: App, api: WebApiStandIn) -> None:
    dispatch(app, event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    (call,) = api.calls_to("views.publish")
    assert "pm_your_roles" not in str(call.params["view"])


def test_changing_holders_tells_the_channel_who_set_whom_by_name(
    app: App, api: WebApiStandIn
) -> None:
    api.state.user_names |= {"U1": "ada", "U2": "alice"}
    api.state.group_handles["S7"] = "coaches"
    team(app, api, "product <@U2|alice> <!subteam^S7|@coaches>")
    (notice,) = api.calls_to("chat.postMessage")
    assert (notice.params["channel"], notice.params["text"]) == (
        "C1",
        "@ada set the product manager here: @alice, @coaches (`/pm team` shows who holds what).",
    )
    assert "<@" not in notice.params["text"] and "<!" not in notice.params["text"]


@pytest.mark.usefixtures("holders")
def test_names_are_looked_up_once_then_kept(app: App, api: WebApiStandIn) -> None:
    for _ in range(3):
        dispatch(app, event(mention("who decides when we ship?")))
    assert api.calls_to("users.info") == []  # kept since the notice named them
    texts = [c.params["blocks"][0]["text"]["text"] for c in api.calls_to("chat.postMessage")]
    assert [t.rsplit("\n", 1)[1] for t in texts] == ["Here: @alice"] * 3


def test_an_id_longer_than_slack_gives_is_no_mention(kb: KnowledgeBase) -> None:
    """Typed text is unescaped on the way in, so `<@U…>` can be typed; an id no Slack
    user has (the column takes 32 characters) is refused politely, before any write."""
    with pytest.raises(TeamUsageError) as error:
        parse_team_args(kb, "product <@U" + "A" * 60 + ">")
    assert str(error.value).startswith("“&lt;@UAAAA")  # echoed inert
    assert "isn't a person or a user group" in str(error.value)
