"""What people ask, in curators' App Home (bot/curation/insights.py), as blocks and
through a real Bolt App: curators see it, nobody else does."""

from __future__ import annotations

from slack_bolt import App

from bot.answers.engine import Engine
from bot.curation.groups import Group
from bot.curation.insights import Insights, insights_blocks
from bot.handoff.store import HandoffStore
from bot.local.local_api import WebApiStandIn
from bot.store.database import Store
from tests.handoff.conftest import CURATOR, make_app
from tests.slack.conftest import Clock, dispatch, event


def test_insights_in_one_section(engine: Engine) -> None:
    seen = Insights(
        most_asked=[("owns-roadmap", 12), ("gone-topic", 2)],
        unanswered=[Group("who signs the <vendor> contract", 7, 1.0, 3)],
        down_voted=[("owns-risk", 1, 3)],
    )
    (block,) = insights_blocks(engine.kb, seen)
    assert block["text"]["text"] == "\n".join(
        [
            "*What people asked this week*",
            "_Most asked_",
            "• The roadmap: 12",
            "• gone-topic: 2",
            "_Not answered (similar questions as one)_",
            "• “who signs the &lt;vendor&gt; contract”: 7 (3 wordings, one question)",
            "_👎 rate_",
            "• Risk: 25% of 4 votes",
        ]
    )
    empty = insights_blocks(engine.kb, Insights([], [], []))[0]["text"]["text"]
    assert "• nothing: every question was answered" in empty and "• no 👎 this week" in empty


def home(app: App, api: WebApiStandIn, user: str) -> list[str]:
    api.clear()
    opened = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    assert dispatch(app, event(opened)) == 200
    (published,) = api.wait_for("views.publish")
    return [str(b.get("block_id")) for b in published.params["view"]["blocks"]]


def test_curators_see_what_people_ask_and_others_do_not(
    api: WebApiStandIn, engine: Engine, store: Store, clock: Clock
) -> None:
    app = make_app(api, engine, store, clock)
    store.log_unanswered("who signs the vendor contract?", "U8", "decline")
    store.record_question("owns-roadmap", "answer")
    HandoffStore(store).claim("C1:1:U8", "U8", "C1", None, "holders")
    assert {"pm_insights", "pm_handoffs", "pm_ask_person_help"} <= set(home(app, api, CURATOR))
    seen = set(home(app, api, "U5"))
    assert "pm_ask_person_help" in seen  # what the button does: for everyone
    assert not {"pm_insights", "pm_handoffs"} & seen
