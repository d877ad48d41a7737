"""`pmbot serve --check` and start-up when serving every workspace (bot/distributed.py):
the app's credentials checked with Slack, one line each, exit 2 on a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.local.local_api import WebApiStandIn
from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET
from bot.store.migrations import MIGRATIONS
from tests.conftest import REPO
from tests.test_cli import run


def env_for(api: WebApiStandIn, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": "c" * 32,
        "SLACK_API_URL": api.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        **extra,
    }


def test_serve_check_verifies_the_store_and_the_apps_credentials(tmp_path: Path) -> None:
    with WebApiStandIn() as api:
        code, out, err = run(["serve", "--check"], env=env_for(api, tmp_path))
        assert [c.method for c in api.calls] == ["oauth.v2.access"]
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"ok: knowledge: {REPO / 'knowledge'} (shipped with pmbot)",
        f"ok: database: the SQLite file {tmp_path / 'db.sqlite3'} (schema version "
        f"{len(MIGRATIONS)}, matches the code, writable)",
        f"ok: Slack accepted SLACK_CLIENT_ID {CLIENT_ID} and its secret",
        "ok: serving every workspace that installs pmbot: 0 installed; "
        "the install page is /slack/install",
    ]


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            {"SLACK_CLIENT_SECRET": "f" * 32},
            "pmbot: SLACK_CLIENT_SECRET was rejected by Slack; copy it again "
            "(Basic Information → App Credentials)\n",
        ),
        (
            {"SLACK_CLIENT_ID": "9.9"},
            "pmbot: SLACK_CLIENT_ID was rejected by Slack; Basic Information → App Credentials\n",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "pmbot: SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: unset SLACK_BOT_TOKEN to "
            "serve every workspace that installs pmbot, or SLACK_CLIENT_ID to serve one\n",
        ),
    ],
)
def test_a_bad_credential_is_one_line_and_exit_2(
    tmp_path: Path, extra: dict[str, str], line: str
) -> None:
    with WebApiStandIn() as api:
        assert run(["serve", "--check"], env=env_for(api, tmp_path, **extra)) == (2, "", line)
