"""`pmbot serve` misconfigured: one line naming the setting, exit 2, no traceback
(unless LOG_LEVEL=DEBUG). Real processes, started together to keep this quick."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.local.local_api import Fault, WebApiStandIn
from tests.conftest import REPO
from tests.e2e.process import free_port, pmbot_env


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


def start(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http"],
        env={**env, "PORT": str(free_port())},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again once this returns


def database_cases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name: (DATABASE_URL, what the line must say)."""
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "corrupt.sqlite3").write_bytes(b"this is not a database\n" * 100)
    readonly = tmp_path / "readonly.sqlite3"
    sqlite3.connect(readonly).close()
    cases = {
        "unparsable": ("postgresql://u@host:notaport/db", "could not be read"),
        "unknown driver": ("postgresql+nodriver://u@host/db", "driver"),
        "directory": (f"sqlite:///{tmp_path}/a-directory", "cannot open"),
        "corrupt": (f"sqlite:///{tmp_path}/corrupt.sqlite3", "not a SQLite database"),
        "read-only": (f"sqlite:///file:{readonly}?mode=ro&uri=true", "read-only"),
        "wrong port": (f"postgresql://postgres@127.0.0.1:{closed_port()}/test", "127.0.0.1"),
    }
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        cases["missing database"] = (url.rsplit("/", 1)[0] + "/pmbot_no_such_db", "does not")
    return cases


def test_every_bad_setting_is_one_line_and_exit_2(api: WebApiStandIn, tmp_path: Path) -> None:
    good_db = f"sqlite:///{tmp_path}/ok.sqlite3"
    runs: dict[str, tuple[subprocess.Popen[str], str, str]] = {}
    for name, (url, words) in database_cases(tmp_path).items():
        runs[name] = (start(pmbot_env(api.base_url, url)), "DATABASE_URL", words)
    runs["Slack unreachable"] = (
        start(pmbot_env(f"http://127.0.0.1:{closed_port()}/api/", good_db)),
        "SLACK_API_URL",
        "cannot reach Slack",
    )
    runs["bad curator id"] = (
        start(pmbot_env(api.base_url, good_db, PMBOT_CURATORS="U0123,@alice")),
        "PMBOT_CURATORS",
        "not '@alice'",
    )
    api.fail("auth.test", Fault(error="invalid_auth", times=100))
    runs["invalid_auth"] = (
        start(pmbot_env(api.base_url, f"sqlite:///{tmp_path}/ok2.sqlite3")),
        "SLACK_BOT_TOKEN",
        "invalid_auth",
    )
    for name, (process, variable, words) in runs.items():
        _, err = process.communicate(timeout=60)
        lines = err.strip().splitlines()
        assert process.returncode == 2, (name, err)
        assert len(lines) == 1, (name, err)
        assert lines[0].startswith("pmbot: ") and variable in lines[0], (name, err)
        assert words in lines[0], (name, err)
        assert "xoxb-faults" not in err  # never the token


def test_an_experts_channel_pmbot_is_not_in_stops_start_up(
    api: WebApiStandIn, tmp_path: Path
) -> None:
    api.state.channels_without_bot.add("C0EXPERTS")
    env = pmbot_env(
        api.base_url, f"sqlite:///{tmp_path}/ok.sqlite3", PMBOT_EXPERTS_CHANNEL="C0EXPERTS"
    )
    process = start(env)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip() == (
        "pmbot: PMBOT_EXPERTS_CHANNEL: pmbot is not in C0EXPERTS; invite it there (/invite @pmbot)"
    )


def test_log_level_debug_shows_the_traceback(api: WebApiStandIn, tmp_path: Path) -> None:
    (tmp_path / "a-directory").mkdir()
    env = pmbot_env(api.base_url, f"sqlite:///{tmp_path}/a-directory", LOG_LEVEL="DEBUG")
    process = start(env)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("pmbot: DATABASE_URL")
