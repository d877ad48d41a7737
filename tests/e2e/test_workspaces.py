"""Every workspace, one deployment (issue 23), through the real server: installs over
OAuth (Slack's side played by the stand-in on 127.0.0.1), answers in each workspace,
each workspace's data invisible from the others, tips posted with each one's own
token, a token rotated mid-test, an org-wide install, and an uninstall that deletes
one workspace and leaves the others untouched. Tampered states, replayed codes and
forged team ids are refused."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from bot.answers.engine import Engine
from bot.distributed import Distributed
from bot.local.local_api import WebApiStandIn
from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET, Grant
from bot.slack.server import BackgroundServer, http_app
from bot.store.database import Store
from bot.workspaces.installs import installed
from bot.workspaces.stores import workspace_url
from tests.e2e.conftest import SlackSender
from tests.e2e.process import ServeProcess
from tests.e2e.test_http import event_body, slash_fields
from tests.workspaces.serving import SECRET, distributed

NOW = "2027-03-29T07:05:00Z"  # 09:05 in Berlin
PAYLOADS = Path(__file__).parents[1] / "slack" / "payloads"


@dataclass
class Server:
    served: Distributed | None  # None: a `pmbot serve` process
    sender: SlackSender
    api: WebApiStandIn
    main: Store | None
    url: str

    def get(self, path: str, cookie: str = "") -> tuple[int, str, str]:
        """(status, body, the state cookie it set) for a GET, redirects not followed."""
        where = urlparse(self.sender.base_url)
        conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read().decode()
        set_cookie = response.getheader("Set-Cookie") or ""
        conn.close()
        return response.status, body, set_cookie.split(";")[0]

    def install(self, grant: Grant) -> tuple[int, str]:
        """The install page, "Add to Slack", Slack's consent, then the redirect."""
        status, page, cookie = self.get("/slack/install")
        assert status == 200 and "slack.com/oauth/v2/authorize" in page
        state = re.search(r"state=([^&\"]+)", page)
        assert state is not None
        query = urlencode({"code": self.api.oauth.grant(grant), "state": state.group(1)})
        status, body, _ = self.get(f"/slack/oauth_redirect?{query}", cookie)
        return status, body

    def reply(self, team: str, text: str, channel: str = "C0SHARED", **extra: str) -> dict:
        """`/pm text` from `team`: the message in its ack, or the one sent after it."""
        before = len(self.api.calls_to("response_url"))
        fields = slash_fields(self.api, text) | {"team_id": team, "channel_id": channel} | extra
        reply = self.sender.command(fields)
        assert reply.status == 200
        if not reply.body:  # answered after the ack, through the response URL
            return self.api.wait_for("response_url", before + 1)[-1].params
        body = reply.json()
        return body if isinstance(body, dict) else {}

    def ask(self, team: str, text: str, channel: str = "C0SHARED", **extra: str) -> str:
        return str(self.reply(team, text, channel, **extra).get("text", ""))

    def shown(self, team: str, text: str, **extra: str) -> str:
        """The whole reply, its blocks too, as text."""
        return json.dumps(self.reply(team, text, **extra))

    def later(self, team: str, text: str, channel: str = "C0SHARED") -> str:
        """A `/pm` answered after the ack (team, tips): its reply."""
        before = len(self.api.calls_to("response_url"))
        fields = slash_fields(self.api, text) | {"team_id": team, "channel_id": channel}
        reply = self.sender.command(fields)
        assert (reply.status, reply.body) == (200, b"")
        return str(self.api.wait_for("response_url", before + 1)[-1].params["text"])


@pytest.fixture
def server(engine: Engine, database_url: str) -> Iterator[Server]:
    with WebApiStandIn() as api:
        main = Store(database_url)
        served = distributed(api.base_url, main, database_url, engine)
        with BackgroundServer(http_app(served.app)) as background:
            sender = SlackSender(background.url, SECRET)
            yield Server(served, sender, api, main, database_url)
        for key in served.workspaces.opened():
            served.workspaces.forget(key)  # a PostgreSQL schema outlives the test otherwise
        served.workspaces.close(1.0)
        main.close()


def uninstalled(team: str) -> dict[str, object]:
    """Slack's app_uninstalled event for `team` (whose bot is then gone)."""
    body = event_body({"type": "app_uninstalled"}, event_id=f"Ev0GONE{team}")
    return body | {"team_id": team, "authorizations": [{"team_id": team, "is_bot": True}]}


def revoked(team: str, tokens: dict[str, list[str]]) -> dict[str, object]:
    """Slack's tokens_revoked event: which users' tokens, or the bot's, were revoked."""
    body = event_body(
        {"type": "tokens_revoked", "tokens": tokens}, f"Ev0REV{sorted(tokens)[0]}{team}"
    )
    return body | {"team_id": team, "authorizations": [{"team_id": team, "is_bot": True}]}


def tokens_used(api: WebApiStandIn, method: str) -> dict[str, str]:
    """channel -> the token its calls to `method` came with."""
    return {str(c.params.get("channel")): c.token for c in api.calls_to(method)}


def test_two_workspaces_install_answer_and_keep_their_data_apart(server: Server) -> None:
    assert server.install(Grant("T0AAA", installer="U0ANNA"))[0] == 200
    assert server.install(Grant("T0BBB", installer="U0BEN"))[0] == 200
    assert [i.key for i in installed(server.main, CLIENT_ID)] == ["T0AAA", "T0BBB"]
    for team in ("T0AAA", "T0BBB"):
        assert "roadmap" in server.ask(team, "who owns the roadmap?").lower()
    assert server.ask("T0BBB", "team").startswith("No roles are recorded in this channel yet.")
    recorded = server.later("T0AAA", "team product <@U0ALICE|alice>")
    assert recorded.startswith("Recorded: the product manager here is <@U0ALICE>")
    # The same channel id from the other workspace: nothing of A's is seen there.
    assert "U0ALICE" not in server.ask("T0BBB", "who owns the roadmap?")
    assert server.ask("T0BBB", "team").startswith("No roles are recorded in this channel yet.")
    server.later("T0BBB", "team product <@U0BOB|bob>")
    assert "U0ALICE" in server.ask("T0AAA", "who owns the roadmap?")
    assert "U0BOB" not in server.ask("T0AAA", "who owns the roadmap?")
    assert "U0BOB" in server.ask("T0BBB", "who owns the roadmap?")
    # Each workspace's Slack calls use its own token.
    tokens = {c.token for c in server.api.calls_to("conversations.info")}
    assert {t.split("-")[1] for t in tokens} == {"T0AAA", "T0BBB"}


def test_tips_go_out_with_each_workspace_token(server: Server) -> None:
    server.install(Grant("T0AAA"))
    server.install(Grant("T0BBB"))
    for team, channel in (("T0AAA", "C0TIPSA"), ("T0BBB", "C0TIPSB")):
        assert "on" in server.later(team, "tips on 09:00 Europe/Berlin", channel).lower()
    server.served.posting.run_due(datetime.fromisoformat(NOW))
    used = tokens_used(server.api, "chat.postMessage")
    assert used["C0TIPSA"].startswith("xoxb-T0AAA-")
    assert used["C0TIPSB"].startswith("xoxb-T0BBB-")


def test_a_rotating_token_is_refreshed_by_requests_and_by_the_tip_poster(server: Server) -> None:
    server.install(Grant("T0ROT", rotating=True, expires_in=60))  # expires within two hours
    first = server.served.posting.installations.find_bot(enterprise_id=None, team_id="T0ROT")
    assert first is not None and first.bot_refresh_token
    assert "on" in server.later("T0ROT", "tips on 09:00 Europe/Berlin", "C0ROT").lower()
    after_request = server.served.posting.installations.find_bot(
        enterprise_id=None, team_id="T0ROT"
    )
    assert after_request is not None and after_request.bot_token != first.bot_token
    server.served.posting.run_due(datetime.fromisoformat(NOW))
    posted = tokens_used(server.api, "chat.postMessage")["C0ROT"]
    assert posted not in (first.bot_token, after_request.bot_token)  # refreshed again
    assert server.api.oauth.owner(posted) is not None


def test_an_org_wide_install_answers_in_every_workspace_of_the_org(server: Server) -> None:
    status, _ = server.install(Grant(None, enterprise_id="E0ORG", org=True, installer="U0ADM"))
    assert status == 200
    org = {"enterprise_id": "E0ORG", "is_enterprise_install": "true"}
    for team in ("T0ORG1", "T0ORG2"):
        assert "roadmap" in server.ask(team, "who owns the roadmap?", **org).lower()
    assert server.served.workspaces.opened() == ["E0ORG"]


def test_uninstalling_one_workspace_deletes_it_and_leaves_the_other(server: Server) -> None:
    server.install(Grant("T0AAA"))
    server.install(Grant("T0BBB"))
    server.later("T0AAA", "team product <@U0ALICE|alice>")
    server.later("T0BBB", "team product <@U0BOB|bob>")
    body = uninstalled("T0AAA")
    assert server.sender.event(body).status == 200
    assert [i.key for i in installed(server.main, CLIENT_ID)] == ["T0BBB"]
    assert server.served.workspaces.opened() == ["T0BBB"]
    if server.url.startswith("sqlite"):
        assert not Path(workspace_url(server.url, "T0AAA").split(":///")[1]).exists()
    assert "U0BOB" in server.ask("T0BBB", "who owns the roadmap?")
    refused = server.ask("T0AAA", "who owns the roadmap?")
    assert "roadmap" not in refused.lower()  # no installation: Bolt refuses to answer
    assert server.sender.event(body).status == 200  # a replay: nothing left to delete
    assert server.served.workspaces.opened() == ["T0BBB"]  # and nothing opened again
    if server.url.startswith("sqlite"):
        assert not Path(workspace_url(server.url, "T0AAA").split(":///")[1]).exists()


def test_both_uninstall_events_at_once_leave_nothing_behind(server: Server) -> None:
    """Slack sends tokens_revoked and app_uninstalled together, on two connections."""
    server.install(Grant("T0AAA"))
    server.later("T0AAA", "team product <@U0ALICE|alice>")
    events = [revoked("T0AAA", {"bot": ["UPMBOT0001"]}), uninstalled("T0AAA")]
    with ThreadPoolExecutor(2) as both:
        replies = list(both.map(server.sender.event, events))
    assert [r.status for r in replies] == [200, 200]
    assert installed(server.main, CLIENT_ID) == []
    assert server.served.workspaces.opened() == []
    if server.url.startswith("sqlite"):
        assert not Path(workspace_url(server.url, "T0AAA").split(":///")[1]).exists()


def test_a_tampered_state_and_a_replayed_code_are_refused(server: Server) -> None:
    status, page, cookie = server.get("/slack/install")
    code = server.api.oauth.grant(Grant("T0EVE"))
    status, _, _ = server.get(
        f"/slack/oauth_redirect?{urlencode({'code': code, 'state': 'x'})}", cookie
    )
    assert status >= 400
    assert installed(server.main, CLIENT_ID) == []
    assert server.install(Grant("T0AAA"))[0] == 200
    status, page, cookie = server.get("/slack/install")
    state = re.search(r"state=([^&\"]+)", page)
    assert state is not None
    used = server.api.calls_to("oauth.v2.access")[-1].params["code"]
    query = urlencode({"code": used, "state": state.group(1)})
    assert server.get(f"/slack/oauth_redirect?{query}", cookie)[0] >= 400
    assert [i.key for i in installed(server.main, CLIENT_ID)] == ["T0AAA"]


def test_a_forged_team_id_gets_no_answer_and_no_data(server: Server) -> None:
    """Signed, but for a workspace that never installed pmbot (or an id no workspace
    has): Bolt finds no installation; nothing is opened, written or answered."""
    server.install(Grant("T0AAA"))
    for forged in ("T0NOPE", "../../etc", "T0AAA\n"):
        fields = slash_fields(server.api, "team product <@U0EVE>") | {"team_id": forged}
        reply = server.sender.command(fields)
        assert (reply.status, reply.body) == (200, b"")  # Bolt's refusal: nothing done
    assert server.served.workspaces.opened() == []
    assert not [c for c in server.api.calls_to("response_url") if "Recorded" in str(c.params)]


def test_pmbot_serve_installs_and_answers_as_a_process(engine: Engine, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    with (
        WebApiStandIn() as api,
        ServeProcess(
            api.base_url,
            url,
            SLACK_BOT_TOKEN="",
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
        ) as process,
    ):
        server = Server(None, process.sender, api, None, url)
        assert server.install(Grant("T0PROC"))[0] == 200
        assert "roadmap" in server.ask("T0PROC", "who owns the roadmap?").lower()
        assert "roadmap" not in server.ask("T0ELSE", "who owns the roadmap?").lower()
        assert (tmp_path / "pmbot.workspaces" / "T0PROC.sqlite3").exists()
        assert "serving every workspace that installs pmbot: 0 installed" in process.log


FLUX = "what does the flux capacitor person do"  # declined: goes to the unanswered log
TAUGHT = "who steers the ship here"


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """The question log is written in batches, a moment after the answer."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def home_of(server: Server, team: str, user: str) -> str:
    """What App Home shows `user` in `team`, as the text of its blocks."""
    before = len(server.api.calls_to("views.publish"))
    inner = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    body = event_body(inner, event_id=f"Ev0HOME{team}{before}") | {
        "team_id": team,
        "authorizations": [{"team_id": team, "is_bot": True}],
    }
    assert server.sender.event(body).status == 200
    return json.dumps(server.api.wait_for("views.publish", before + 1)[-1].params)


def test_no_row_of_one_workspace_is_readable_from_another(server: Server) -> None:
    server.install(Grant("T0AAA", installer="U0ANNA"))
    server.install(Grant("T0BBB", installer="U0BEN"))
    anna, ben = {"user_id": "U0ANNA"}, {"user_id": "U0BEN"}
    # Workspace A: holders, tips, an unanswered question, a taught phrasing.
    server.later("T0AAA", "team product <@U0ALICE|alice>")
    server.later("T0AAA", "tips on 09:00 Europe/Berlin")
    assert "flux" not in server.ask("T0AAA", FLUX).lower()
    assert "taught" in server.ask("T0AAA", f"teach owns-roadmap {TAUGHT}", **anna).lower()
    assert eventually(lambda: "flux" in server.shown("T0AAA", "unanswered", **anna))
    assert "roadmap" in server.ask("T0AAA", TAUGHT).lower()
    home_a = home_of(server, "T0AAA", "U0ANNA")
    assert "flux" in home_a.lower()
    assert "U0ALICE" in server.shown("T0AAA", "compare")  # the holders in its header
    # Workspace B, its own curator asking: none of it.
    assert server.ask("T0BBB", "team", **ben).startswith("No roles are recorded")
    assert "09:00" not in server.ask("T0BBB", "tips", **ben)
    assert "flux" not in server.shown("T0BBB", "unanswered", **ben)
    assert "roadmap" not in server.ask("T0BBB", TAUGHT, **ben).lower()
    for stateless in ("compare", "help", "topics", "tip"):
        assert "U0ALICE" not in server.shown("T0BBB", stateless, **ben)
    home_b = home_of(server, "T0BBB", "U0BEN")
    assert "flux" not in home_b.lower() and "U0ALICE" not in home_b
    # A's curator is nobody in B.
    assert "curator" in server.ask("T0BBB", "unanswered", **anna).lower()


def org_event(name: str) -> dict[str, object]:
    """A recorded payload (tests/slack/payloads/) as an org-wide install receives it:
    the authorization names the org and no team (bolt-python #1408, #639)."""
    sent = json.loads((PAYLOADS / f"{name}.json").read_text("utf-8"))["send"]
    org = {"enterprise_id": "E0ORG", "team_id": None, "is_bot": True}
    return sent | {
        "team_id": None,
        "enterprise_id": "E0ORG",
        "is_enterprise_install": True,
        "authorizations": [org | {"user_id": "UPMBOT0001", "is_enterprise_install": True}],
    }


@pytest.mark.parametrize("name", ["assistant_user_message", "dm_org_install"])
def test_the_agent_pane_and_dms_answer_with_the_orgs_install(server: Server, name: str) -> None:
    server.install(Grant(None, enterprise_id="E0ORG", org=True))
    assert server.sender.event(org_event(name)).status == 200
    (posted,) = server.api.wait_for("chat.postMessage")
    assert posted.token.startswith("xoxb-E0ORG-")
    assert posted.params["text"]
    assert server.served is not None and server.served.workspaces.opened() == ["E0ORG"]


def test_curators_are_the_installer_the_admins_and_those_added_per_workspace(
    server: Server,
) -> None:
    server.install(Grant("T0AAA", installer="U0ANNA"))
    server.install(Grant("T0BBB", installer="U0BEN"))
    anna, bob, ben = {"user_id": "U0ANNA"}, {"user_id": "U0BOB"}, {"user_id": "U0BEN"}
    assert "only curators" in server.ask("T0AAA", "curators add <@U0BOB|bob>", **bob).lower()
    added = server.ask("T0AAA", "curators add <@U0BOB|bob>", **anna)
    assert added == "<@U0BOB> is now a curator."
    assert "only curators" not in server.ask("T0AAA", "unanswered", **bob).lower()
    assert server.ask("T0AAA", "curators", **bob) == (
        "Curators here: <@U0ANNA>, <@U0BOB>, workspace admins and owners."
    )
    # Workspace B: Bob is nobody there, and its list is its own.
    assert "only curators" in server.ask("T0BBB", "unanswered", **bob).lower()
    assert server.ask("T0BBB", "curators", **ben) == (
        "Curators here: <@U0BEN>, workspace admins and owners."
    )
    server.api.state.admins.add("U0ADMIN")  # an admin of B curates B without being added
    assert "curator" in server.ask("T0BBB", "curators add <@U0CAT>", user_id="U0ADMIN")
    removed = server.ask("T0AAA", "curators remove <@U0BOB>", **anna)
    assert removed == "<@U0BOB> is no longer a curator."
    assert "only curators" in server.ask("T0AAA", "unanswered", **bob).lower()


def test_a_revoked_bot_token_deletes_the_workspace_a_users_does_not(server: Server) -> None:
    server.install(Grant("T0AAA"))
    server.later("T0AAA", "team product <@U0ALICE|alice>")
    users_only = revoked("T0AAA", {"oauth": ["U0SOMEONE"]})
    assert server.sender.event(users_only).status == 200
    assert [i.key for i in installed(server.main, CLIENT_ID)] == ["T0AAA"]
    assert "U0ALICE" in server.ask("T0AAA", "who owns the roadmap?")
    assert server.sender.event(revoked("T0AAA", {"bot": ["UPMBOT0001"]})).status == 200
    assert installed(server.main, CLIENT_ID) == []
    assert server.served is not None and server.served.workspaces.opened() == []


def test_answering_asks_slack_nothing_before_the_ack(server: Server) -> None:
    """Bolt would call auth.test for the installation's token first; the row says it all."""
    server.install(Grant("T0AAA"))
    server.api.clear()
    assert "roadmap" in server.ask("T0AAA", "who owns the roadmap?").lower()
    assert "roadmap" in server.ask("T0AAA", "who owns the roadmap?").lower()
    assert server.api.calls_to("auth.test") == []
