""" "Save as pmbot answer" through a real Bolt App: the shortcut opens the modal
prefilled from the thread, a submission is checked as `pmbot validate` would, saved,
answered at once; edit and retire from App Home; curators only, forged or not
(bot/curation/saving.py, saved_views.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import App, BoltRequest

from bot.answers.engine import Engine
from bot.curation.command import NOT_A_CURATOR
from bot.curation.saving import FORM_NOT_OPENED
from bot.curation.store import TaughtStore
from bot.local.local_api import BOT_USER_ID, Fault, WebApiStandIn
from bot.slack.payloads import message_shortcut, view_submission
from bot.store.database import Store
from tests.handoff.conftest import make_app
from tests.slack.conftest import WORKSPACE, Clock, click, dispatch, ts

QUESTION = "what should a product manager wear to the offsite?"
REPLY = "Whatever the team wears: nobody dresses up for an offsite."
CURATOR = "U1"  # WORKSPACE's user


@pytest.fixture
def curator_app(api: WebApiStandIn, engine: Engine, store: Store, clock: Clock) -> App:
    return make_app(api, engine, store, clock, curators=(CURATOR,))


def thread(api: WebApiStandIn, root: dict[str, Any] | None = None) -> str:
    """A thread in C1 that starts with QUESTION (or `root`); its ts."""
    root_ts = ts()
    message = root or {"type": "message", "user": "U7", "text": f"<@{BOT_USER_ID}> {QUESTION}"}
    api.state.history.setdefault("C1", []).append(message | {"ts": root_ts})
    return root_ts


def shortcut(api: WebApiStandIn, thread_ts: str | None, user: str = CURATOR) -> dict[str, Any]:
    body = message_shortcut(
        WORKSPACE,
        REPLY,
        message_ts=ts(),
        author="U8",
        response_url=api.response_url("save"),
        trigger_id="1.2.3",
        action_ts=ts(),
        callback_id="save_as_answer",
        thread_ts=thread_ts,
    )
    body["user"]["id"] = user
    return body


def opened_view(app: App, api: WebApiStandIn, root: dict[str, Any] | None = None) -> dict:
    assert dispatch(app, shortcut(api, thread(api, root))) == 200
    (opened,) = api.calls_to("views.open")
    assert opened.params["trigger_id"] == "1.2.3"
    return opened.params["view"]


def state(view: dict[str, Any], **changes: str) -> dict[str, dict[str, Any]]:
    """The modal's state as Slack sends it: each input's value (initial, or changed)."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        action = element["action_id"]
        value = changes.get(action, element.get("initial_value"))
        if element["type"] == "static_select":
            picked = {"value": value, "text": {"type": "plain_text", "text": "x"}}
            values[block["block_id"]] = {action: {"selected_option": picked if value else None}}
        else:
            values[block["block_id"]] = {action: {"type": "plain_text_input", "value": value}}
    return values


def submit(app: App, view: dict[str, Any], user: str = CURATOR, **changes: str) -> dict:
    body = view_submission(WORKSPACE, view, state(view, **changes), user=user)
    response = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def test_the_modal_is_prefilled_from_the_thread(curator_app: App, api: WebApiStandIn) -> None:
    view = opened_view(curator_app, api)
    assert view["callback_id"] == "save_as_answer"
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["sa_question"] == QUESTION
    assert initial["sa_title"] == "what should a product manager wear to the offsite"
    assert initial["sa_id"] == "what-should-a-product-manager-wear-to-the-offsite"
    assert initial["sa_answer"] == REPLY


def test_a_saved_topic_is_answered_at_once(
    curator_app: App, api: WebApiStandIn, store: Store, engine: Engine
) -> None:
    assert engine.answer(QUESTION).status == "decline"
    view = opened_view(curator_app, api)
    more = "how formal is the offsite dress code?"
    assert submit(curator_app, view, title="Offsite dress code", id="dress-code", more=more) == {}
    (saved,) = TaughtStore(store).curated_topics()
    assert (saved.id, saved.title, saved.answer) == ("dress-code", "Offsite dress code", REPLY)
    assert saved.questions == (QUESTION, more) and saved.maintainer == CURATOR
    assert saved.reviewed == "2027-03-29"  # the app's clock
    (told,) = api.calls_to("chat.postMessage")
    assert told.params["channel"] == CURATOR
    assert told.params["text"].startswith("Saved *Offsite dress code* (`dress-code`)")
    # Another person asking it now gets the curated answer.
    api.clear()
    from tests.slack.conftest import event, mention

    asked = mention(QUESTION) | {"user": "U9"}
    assert dispatch(curator_app, event(asked)) == 200
    (answer,) = api.wait_for("chat.postMessage")
    assert answer.params["text"].startswith(f"Offsite dress code: {REPLY}")


def test_problems_are_shown_in_the_modal_and_nothing_is_saved(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    view = opened_view(curator_app, api)
    reply = submit(curator_app, view, id="Dress Code!", answer="x" * 3001)
    assert reply["response_action"] == "errors"
    assert reply["errors"]["sa_id"].startswith("topic id 'Dress Code!' must be lower-case")
    assert reply["errors"]["sa_answer"].startswith("answer of topic")
    taken = submit(curator_app, view, id="owns-roadmap")
    assert taken["errors"]["sa_id"].startswith("duplicate topic id 'owns-roadmap'")
    clash = submit(curator_app, view, question="Who maintains the product roadmap?")
    assert "is under topics 'owns-roadmap' and " in clash["errors"]["sa_question"]
    assert TaughtStore(store).curated_topics() == []


def test_the_question_can_go_to_an_existing_topic(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    view = opened_view(curator_app, api)
    assert submit(curator_app, view, topic="product-manager") == {}
    assert TaughtStore(store).taught_phrasings() == {"product-manager": [QUESTION]}
    assert TaughtStore(store).curated_topics() == []


def test_a_hand_off_thread_gives_its_quoted_question(curator_app: App, api: WebApiStandIn) -> None:
    quote = {
        "type": "section",
        "block_id": "pm_handoff_question",
        "text": {"type": "mrkdwn", "text": "> is a PO &amp; a PM the same?", "verbatim": True},
    }
    root = {"type": "message", "user": BOT_USER_ID, "text": "@ada asked", "blocks": [quote]}
    view = opened_view(curator_app, api, root)
    question = next(b for b in view["blocks"] if b["block_id"] == "sa_question")
    assert question["element"]["initial_value"] == "is a PO & a PM the same?"


def test_others_are_refused_even_with_forged_payloads(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    assert dispatch(curator_app, shortcut(api, thread(api), user="U5")) == 200
    assert api.calls_to("views.open") == []
    (refusal,) = api.calls_to("response_url")
    assert refusal.params["text"] == NOT_A_CURATOR
    view = opened_view(curator_app, api)  # a curator's form, submitted by someone else
    reply = submit(curator_app, view, user="U5", id="forged")
    assert reply == {"response_action": "errors", "errors": {"sa_question": NOT_A_CURATOR}}
    assert TaughtStore(store).curated_topics() == []


def home_button(api: WebApiStandIn, action: str, topic: str) -> dict[str, Any]:
    element = {"action_id": action, "value": topic, "text": {"type": "plain_text", "text": "x"}}
    return click(api, element, ephemeral=False, message={"ts": ts()})


def test_edit_and_retire_from_app_home(curator_app: App, api: WebApiStandIn, store: Store) -> None:
    view = opened_view(curator_app, api)
    submit(curator_app, view, id="dress-code")
    api.clear()
    assert dispatch(curator_app, home_button(api, "curated_edit", "dress-code")) == 200
    (opened,) = api.calls_to("views.open")
    editing = opened.params["view"]
    assert "sa_id" not in [b.get("block_id") for b in editing["blocks"]]
    assert submit(curator_app, editing, answer="Smart casual.") == {}
    (saved,) = TaughtStore(store).curated_topics()
    assert (saved.id, saved.answer) == ("dress-code", "Smart casual.")

    assert dispatch(curator_app, home_button(api, "curated_retire", "dress-code")) == 200
    assert TaughtStore(store).curated_topics() == []
    (home,) = api.calls_to("views.publish")
    assert home.params["user_id"] == CURATOR


def test_a_forged_edit_or_retire_does_nothing(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    submit(curator_app, opened_view(curator_app, api), id="dress-code")
    api.clear()
    for action in ("curated_edit", "curated_retire"):
        body = home_button(api, action, "dress-code")
        body["user"]["id"] = "U5"
        assert dispatch(curator_app, body) == 200
    assert [t.id for t in TaughtStore(store).curated_topics()] == ["dress-code"]
    assert api.calls_to("views.open") == [] and api.calls_to("views.publish") == []


def test_the_answer_is_prefilled_as_slack_sent_it_and_a_ping_is_refused(
    curator_app: App, api: WebApiStandIn, store: Store
) -> None:
    """Slack escapes what people type: `&lt;!here&gt;` stays text in the form; made
    into a real `<!here>`, every later answer would ping the channel."""
    body = shortcut(api, thread(api))
    body["message"]["text"] = f"<@{BOT_USER_ID}> Type &lt;!here&gt; &amp; ask in #pm"
    assert dispatch(curator_app, body) == 200
    (opened,) = api.calls_to("views.open")
    view = opened.params["view"]
    answer = next(b for b in view["blocks"] if b["block_id"] == "sa_answer")
    assert answer["element"]["initial_value"] == "Type &lt;!here&gt; &amp; ask in #pm"
    reply = submit(curator_app, view, answer="Ask <!here> or <@U0ALICE>")
    assert reply["errors"]["sa_answer"].endswith(
        "would ping people (<!here>); name them in words instead"
    )
    assert TaughtStore(store).curated_topics() == []


def test_a_form_slack_would_not_open_is_said(curator_app: App, api: WebApiStandIn) -> None:
    api.fail("views.open", Fault(error="expired_trigger_id"))
    assert dispatch(curator_app, shortcut(api, thread(api))) == 200
    (said,) = api.calls_to("response_url")
    assert said.params["text"] == FORM_NOT_OPENED
