"""The deployment files: the manifest justifies each scope, and the files a
platform reads (Dockerfile, compose.yaml, buildpack files) are present and agree
with what CI runs outside Docker."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO


def scope_reasons() -> dict[str, str]:
    text = (REPO / "manifest.yml").read_text("utf-8")
    scopes = text.split("scopes:", 1)[1].split("\nsettings:", 1)[0]
    found = re.findall(r"^\s+- ([a-z_.:]+)\s+# (.+)$", scopes, re.M)
    return dict(found)


def test_every_scope_has_a_reason() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text("utf-8"))
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    reasons = scope_reasons()
    assert sorted(reasons) == sorted(scopes)
    assert all(len(reason) > 10 for reason in reasons.values())
    # "Ask a person" hears replies through the channels' message events.
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"message.channels", "message.groups"} <= set(events)
    assert {"channels:history", "groups:history"} <= set(scopes)


def dockerfile_commands() -> list[str]:
    """The shell commands the Dockerfile runs: RUN, HEALTHCHECK's CMD, and CMD."""
    text = (REPO / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        words = line.split(None, 1)
        if not words or words[0] not in ("RUN", "CMD", "HEALTHCHECK"):
            continue
        rest = words[1]
        if words[0] == "HEALTHCHECK":
            rest = rest.split(" CMD ", 1)[1]
        if rest.startswith("["):  # exec form
            rest = " ".join(yaml.safe_load(rest))
        commands.append(" ".join(rest.split()))
    return commands


def test_every_dockerfile_command_is_run_by_ci_outside_docker() -> None:
    commands = dockerfile_commands()
    # The dependencies in a layer of their own, then pmbot: a code edit reinstalls no library.
    assert commands[0].startswith("pip install --no-cache-dir $(python -c ")
    assert "['project']['dependencies']" in commands[0]
    assert commands[1] == "pip install --no-cache-dir --no-deps ."
    assert commands[-1] == "pmbot serve --http"
    script = " ".join((REPO / ".ci" / "deploy-check").read_text("utf-8").split())
    missing = [c for c in commands if c not in script and not c.startswith("useradd ")]
    assert missing == []
    assert ".ci/deploy-check" in (REPO / ".ci" / "run").read_text("utf-8")


def test_dockerfile_is_non_root_with_a_health_check_and_a_data_volume() -> None:
    text = (REPO / "Dockerfile").read_text("utf-8")
    assert re.search(r"^USER pmbot$", text, re.M)
    assert re.search(r"^HEALTHCHECK .*", text, re.M) and "/healthz" in text
    assert re.search(r"^VOLUME /data$", text, re.M)
    assert "DATABASE_URL=sqlite:////data/pmbot.sqlite3" in text


def test_compose_runs_pmbot_with_postgresql() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text("utf-8"))
    pmbot, postgres = compose["services"]["pmbot"], compose["services"]["postgres"]
    assert pmbot["build"] == "."
    assert pmbot["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert pmbot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert postgres["image"].startswith("postgres:")


def test_a_python_buildpack_can_detect_and_install_it() -> None:
    requirements = (REPO / "requirements.txt").read_text("utf-8").splitlines()
    assert [line for line in requirements if not line.startswith("#")] == ["."]
    version = (REPO / ".python-version").read_text("utf-8").strip()
    assert re.fullmatch(r"3\.1[1-9]", version)
    procfile = (REPO / "Procfile").read_text("utf-8").splitlines()
    assert procfile == [
        "release: pmbot serve --check",
        "web: pmbot serve --http",
        "worker: pmbot serve --socket-mode",
    ]


def readme_deploy_block() -> str:
    text = (REPO / "docs" / "deploy.md").read_text("utf-8")
    after = text.split("<!-- ci: tests/test_deploy.py runs the next block -->", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_readme_http_deploy_path_against_the_stand_in(tmp_path: Path) -> None:
    """The README's "try HTTP mode" commands, as written (only the ports are made
    free and `.venv/bin/` is this interpreter's): /healthz, then a signed /pm."""
    block = readme_deploy_block()
    assert "pmbot serve --http &" in block and "standin ask" in block
    script = (
        block.replace("8901", str(free_port()))
        .replace("3000", str(free_port()))
        .replace(".venv/bin/", f"{Path(sys.executable).parent}/")
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),  # the default database goes under it
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout.splitlines()
    assert out.pop(0).startswith("Slack Web API stand-in: SLACK_API_URL=http://127.0.0.1:")
    assert out[0] == f"ok: knowledge: {REPO / 'knowledge'} (shipped with pmbot)"
    assert out[1].startswith(
        f"ok: database: the SQLite file {tmp_path}/.local/share/pmbot/pmbot.sqlite3"
    )
    assert out[2].startswith("ok: Slack accepted SLACK_BOT_TOKEN at http://127.0.0.1:")
    assert out[3:6] == [
        '{"ok":true}',
        "HTTP 200",
        "The roadmap: *Product manager* owns the product roadmap and its release schedules. "
        "The *project manager* owns the project plan and schedule, and may put together "
        "sprint roadmaps for the team.",
    ]
    assert "INFO pmbot.requests: surface=command status=answer topic=owns-roadmap" in done.stderr
    assert "who owns the roadmap" not in done.stderr
