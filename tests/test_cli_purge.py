"""`pmbot purge --before DATE` (bot/cli_slack.py): what was logged before the date is
deleted, what came after stays; a bad date is one line, exit 2."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.handoff.store import HandoffStore
from bot.store.database import Store
from tests.test_cli import run

MARCH = datetime(2027, 3, 1, tzinfo=UTC).timestamp()


def test_purge_forgets_only_what_came_before(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    now = {"t": MARCH - 86400}
    store = Store(url, clock=lambda: now["t"])
    for when in (MARCH - 86400, MARCH + 86400):  # a day before, a day after
        now["t"] = when
        store.record_question("owns-roadmap", "answer")
        store.record_vote("owns-risk", "down", "U7", "who handles risk?", f"C1:{when}")
        store.first_time(f"Ev{when}", 900)
        HandoffStore(store).claim(f"C1:{when}:U8", "U8", "C1", None, "holders")
    store.close()
    code, out, err = run(["purge", "--before", "2027-03-01"], env={"DATABASE_URL": url})
    assert (code, err) == (0, "")
    assert out == (
        "forgot what was logged before 2027-03-01 00:00 UTC: 1 questions counted, "
        "1 unanswered questions, 1 votes, 0 answers remembered for edits, 1 event ids, "
        "1 hand-offs\n"
    )
    store = Store(url)
    assert store.status_counts() == {"answer": 1}
    assert store.vote_totals() == (0, 1)
    assert HandoffStore(store).summary().asked == 1
    store.close()


def test_a_bad_date_names_the_flag(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/pmbot.sqlite3"}
    assert run(["purge", "--before", "last week"], env=env) == (
        2,
        "",
        "pmbot: --before must be a date like 2027-03-01 (UTC) or an ISO time, not 'last week'\n",
    )


def test_serving_every_workspace_purge_reaches_each_workspaces_database(
    tmp_path: Path,
) -> None:
    from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET
    from bot.workspaces.oauth import installation_store
    from bot.workspaces.stores import open_workspace_store
    from bot.workspaces.tables import installation_tables
    from tests.workspaces.serving import every_workspace
    from tests.workspaces.test_installations import installation

    installation_tables()  # as `pmbot serve` does before it opens the store
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    installs = installation_store(every_workspace("http://127.0.0.1:9/api/", url), main)
    for team in ("T0AAA", "T0BBB"):
        installs.save(installation(team))
        workspace = open_workspace_store(main, url, team)
        workspace.clock = lambda: MARCH - 86400
        workspace.record_question("owns-roadmap", "answer")
        workspace.close()
    env = {"DATABASE_URL": url, "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    code, out, err = run(["purge", "--before", "2027-03-01"], env=env)
    assert (code, err) == (0, "")
    assert out.startswith(
        "forgot what was logged before 2027-03-01 00:00 UTC in 2 workspaces and pmbot's own "
        "database: 2 questions counted,"
    )
    for team in ("T0AAA", "T0BBB"):
        assert open_workspace_store(main, url, team).status_counts() == {}
