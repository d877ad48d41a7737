from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import Io, main
from bot.store.database import Store
from tests.answers.test_lint import LUNCH_LINE
from tests.conftest import REPO, shared_file


def run(
    argv: list[str], stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, Io(env=env or {}, stdin=io.StringIO(stdin), stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def test_ask_prints_readable_answer() -> None:
    code, out, _ = run(["ask", "who", "owns", "the", "roadmap?"])
    assert code == 0
    assert out.startswith("The roadmap (")
    assert "*Product manager* owns the product roadmap" in out


def test_ask_json_one_question() -> None:
    code, out, _ = run(["ask", "--json", "which pm earns more"])
    data = json.loads(out)
    assert code == 0
    assert data["topic"] == "salary"
    assert set(data) == {"status", "topic", "confidence", "text", "alternatives"}
    assert data["status"] == "answer"


def test_ask_json_reads_stdin_lines() -> None:
    code, out, _ = run(["ask", "--json"], stdin="who owns scope\nwhere is the coffee\n\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["topic"] for line in lines] == ["owns-scope", None, None]


def test_ask_with_no_question_prints_help() -> None:
    code, out, _ = run(["ask"])
    assert code == 0
    assert out.startswith("Ask me who does what")


def test_ask_json_says_status_and_keeps_topic_null_unless_answered() -> None:
    stdin = (
        "who owns scope\n"
        "what does a scrum master do that a product owner doesn't?\n"
        "how do I write a PRD?\n"
        "\n"
    )
    code, out, _ = run(["ask", "--json"], stdin=stdin)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(line["status"], line["topic"]) for line in lines] == [
        ("answer", "owns-scope"),
        ("clarify", None),
        ("decline", None),
        ("help", None),
    ]
    assert set(lines[1]["alternatives"]) == {"scrum-master", "product-owner"}
    assert lines[2]["alternatives"] == ["owns-features", "owns-roadmap"]


def test_ask_prints_clarify_and_decline_readably() -> None:
    _, out, _ = run(["ask", "what does a scrum master do that a product owner doesn't?"])
    assert out.startswith("I'm not sure which you mean: ")
    assert "*" not in out
    _, out, _ = run(["ask", "how do I write a PRD?"])
    assert out.splitlines()[-1] == "What I can tell you: Features and the backlog; The roadmap"


def test_ask_abstains_plainly() -> None:
    _, out, _ = run(["ask", "how many legs does a spider have"])
    assert out.startswith("I don't know that one.")
    _, out, _ = run(["ask", "what's on the lunch menu"])
    assert out.startswith("That's outside what I know.")  # a subject declined on purpose


def test_ask_offers_alternatives() -> None:
    _, out, _ = run(["ask", "how do I become a PM"])
    assert "Did you mean: Becoming a " in out


def test_topics_json_lists_every_topic() -> None:
    code, out, _ = run(["topics", "--json"])
    listing = json.loads(out)
    assert code == 0
    assert {"id", "title", "questions", "answer"} == set(listing[0])
    assert "owns-roadmap" in {t["id"] for t in listing}


def test_topics_table() -> None:
    _, out, _ = run(["topics"])
    assert "owns-roadmap" in out and "The roadmap" in out


def test_validate_ok_with_contract() -> None:
    contract = shared_file("topics.yaml")
    code, out, _ = run(["validate", "--contract", str(contract)])
    assert code == 0
    assert out.startswith("ok: ")


def test_validate_reports_file_line_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("topics:\n  - id: x\n    title: X\n", encoding="utf-8")
    code, out, err = run(["validate", str(tmp_path), "--contract", str(tmp_path / "none.yaml")])
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{tmp_path}/bad.yaml:2: topic 'x' is missing 'answer'",
        f"{tmp_path}/bad.yaml:2: topic 'x' is missing 'questions'",
        f"{tmp_path / 'none.yaml'}:1: cannot read file: No such file or directory",
    ]


def test_validate_reports_a_missing_setting(tmp_path: Path) -> None:
    text = "topics:\n  - id: x\n    title: X\n    answer: A.\n    questions: [what is x]\n"
    (tmp_path / "k.yaml").write_text(text + "settings:\n  suggested_topics: [x]\n", "utf-8")
    (tmp_path.parent / "contract.yaml").write_text("topics:\n  x: {}\n", "utf-8")
    contract = str(tmp_path.parent / "contract.yaml")
    code, out, err = run(["validate", str(tmp_path), "--contract", contract])
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{tmp_path}:1: settings: 'ambiguous_topic' is not set "
        '(the topic that answers a bare "PM", offering both roles)'
    ]


SMALL_KB = (
    "topics:\n  - id: x\n    title: X\n    answer: A.\n    questions: [what is x]\n"
    "settings:\n  ambiguous_topic: x\n  suggested_topics: [x]\n"
)


def test_validate_takes_knowledge_after_the_subcommand_and_needs_no_contract(
    tmp_path: Path,
) -> None:
    (tmp_path / "k.yaml").write_text(SMALL_KB, "utf-8")
    for argv in (["validate", "--knowledge", str(tmp_path)], ["validate", str(tmp_path)]):
        code, out, err = run(argv)
        assert (code, out, err) == (0, "ok: 1 topics, 0 declines, 0 tips in 1 files\n", "")


def test_validate_catches_an_over_indented_question(tmp_path: Path) -> None:
    text = SMALL_KB.replace(
        "questions: [what is x]", "questions:\n      - what is x\n        - who owns x"
    )
    (tmp_path / "k.yaml").write_text(text, "utf-8")
    code, out, err = run(["validate", str(tmp_path)])
    assert (code, out) == (2, "")
    assert err == (
        f"{tmp_path}/k.yaml:7: this '- ' item is indented deeper than the item above, so "
        "YAML joined it to that item; indent it like the line above\n"
    )


def test_knowledge_lookup_order_is_said_by_topics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local, configured = tmp_path / "knowledge", tmp_path / "configured"
    for folder in (local, configured):
        folder.mkdir()
        (folder / "k.yaml").write_text(SMALL_KB.replace("title: X", f"title: {folder.name}"))
    monkeypatch.chdir(tmp_path)  # ./knowledge is read from the current directory
    env = {"PMBOT_KNOWLEDGE_DIR": str(configured)}
    assert run(["topics"])[1:] == ("x  knowledge\n", f"knowledge: {local} (./knowledge)\n")
    assert run(["topics"], env=env)[1:] == (
        "x  configured\n",
        f"knowledge: {configured} (PMBOT_KNOWLEDGE_DIR)\n",
    )
    assert run(["--knowledge", str(local), "topics"], env=env)[2] == (
        f"knowledge: {local} (--knowledge)\n"
    )
    monkeypatch.chdir(tmp_path.parent)
    _, out, err = run(["topics"])
    assert "owns-roadmap" in out
    assert err == f"knowledge: {REPO / 'knowledge'} (shipped with pmbot)\n"


def test_broken_knowledge_stops_ask_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("topics: [\n", encoding="utf-8")
    code, out, err = run(["ask", "hi"], env={"PMBOT_KNOWLEDGE_DIR": str(tmp_path)})
    assert (code, out) == (2, "")
    assert err.startswith(f"{tmp_path}/bad.yaml:2: invalid YAML: ")


def test_eval_prints_scores_and_misses(tmp_path: Path) -> None:
    cases = tmp_path / "e.yaml"
    cases.write_text(
        "in_scope:\n  - {q: who owns scope, expect: owns-scope}\n"
        "  - {q: who owns scope, expect: salary}\nout_of_scope:\n  - where is lunch\n",
        encoding="utf-8",
    )
    code, out, _ = run(["eval", str(cases), "--min-accuracy", "0.4"])
    assert code == 0
    assert out.splitlines() == [
        "miss: 'who owns scope' expected salary, got owns-scope",
        "confidence   answers  right",
        "60%-70%            2    50%",
        "wrong answers: 33.3% (1/3)",
        "asked to clarify: 0",
        "in-scope top-1 accuracy: 50.0% (1/2)",
        "out-of-scope abstention: 100.0% (1/1)",
        "right 50.0% · declined 100.0% · wrong 33.3%",
    ]
    code, _, err = run(["eval", str(cases), "--min-accuracy", "0.9"])
    assert code == 1
    assert err == "eval failed: accuracy 50.0% is below 90.0%\n"


def test_eval_missing_file(tmp_path: Path) -> None:
    code, _, err = run(["eval", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert err == f"{tmp_path / 'nope.yaml'}:1: cannot read file: No such file or directory\n"


def test_module_entry_point_keeps_stdout_to_json_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input="who owns the roadmap\n:wave:\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    assert [json.loads(line)["topic"] for line in proc.stdout.splitlines()] == [
        "owns-roadmap",
        None,
    ]


def test_ask_imports_no_slack_web_or_database_library() -> None:
    code = (
        "import sys; from bot.cli import main; main(['ask', 'who owns scope']); "
        "heavy = ('slack', 'sqlalchemy', 'starlette', 'uvicorn'); "
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert proc.stdout.splitlines()[-1] == "[]"


# --- the Slack commands ----------------------------------------------------------


def test_plain_pmbot_without_tokens_is_the_local_shell(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    code, out, _ = run([], stdin="/pm who owns the roadmap\nquit\n", env=env)
    assert code == 0
    assert out.startswith("pmbot local shell")
    assert "pmbot (only you can see this):" in out
    assert "Product manager owns the product roadmap" in out  # mrkdwn rendered


def test_plain_pmbot_with_tokens_says_why_and_how_to_get_the_shell() -> None:
    code, out, _ = run([], env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert code == 0
    assert out.startswith(
        "pmbot: SLACK_BOT_TOKEN is set (environment or .env), so plain `pmbot` does not "
        "open the local shell. Run `pmbot shell` for the shell, `pmbot serve` to connect "
        "to Slack.\n\nusage: pmbot"
    )


def test_serve_without_token_names_the_variable() -> None:
    code, out, err = run(["serve"])
    assert (code, out) == (2, "")
    assert err == "pmbot: SLACK_BOT_TOKEN is not set (a bot token, xoxb-…; see .env.example)\n"


def test_malformed_setting_stops_with_one_line() -> None:
    code, _, err = run(["serve"], env={"SLACK_BOT_TOKEN": "xoxb-1", "PORT": "abc"})
    assert code == 2
    assert err == "pmbot: PORT must be a number from 1 to 65535, not 'abc'\n"


def test_shell_as_a_process_with_piped_input(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "@pmbot who owns the budget?",
            "^ @pmbot and the risks?",
            "what does a pjm do",
            "/pm how do I become a PM",
            "11",
            "home",
            "99",
            "quit",
            "/pm never reached",
        ]
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "shell"],
        input=script,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert out.count("pmbot in #local (in the thread):") == 2
    assert "Both, at different levels." in out
    assert "Project manager. Spotting and managing the project's risks" in out
    assert "pmbot in your DM:" in out and "A project manager plans and runs" in out
    assert "[11] Becoming a product manager" in out
    assert out.count("pmbot (only you can see this):") == 2  # the answer, then the pick
    assert "App Home:" in out and "== pmbot: who does what? ==" in out
    assert "(there is no button [99])" in out
    assert "never reached" not in out
    assert "Traceback" not in proc.stderr


def test_serve_over_http_as_a_process_with_its_tip_scheduler(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request
    from urllib.parse import urlencode

    from slack_sdk.signature import SignatureVerifier

    from bot.local.local_api import WebApiStandIn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "serve0test0secret000000000000abc"
    from bot.store.database import Store
    from bot.tips.store import TipStore

    database_url = f"sqlite:///{tmp_path}/db.sqlite3"
    seeded = Store(database_url)  # a channel whose tip is due now: the scheduler must post it
    TipStore(seeded).subscribe("CTIPS", "00:00", "UTC", False, "U1", now=0.0)
    seeded.close()
    with WebApiStandIn() as api:
        env = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
            "SLACK_BOT_TOKEN": "xoxb-serve-test",
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": api.base_url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "INFO",
            "DATABASE_URL": database_url,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                        assert response.status == 200
                        break
                except OSError:
                    assert proc.poll() is None, proc.communicate()[1]
                    assert time.monotonic() < deadline, "pmbot serve did not start"
                    time.sleep(0.1)
            body = urlencode(
                {
                    "command": "/pm",
                    "text": "which pm earns more",
                    "user_id": "U1",
                    "channel_id": "C1",
                    "team_id": "T1",
                    "response_url": api.response_url("serve"),
                    "trigger_id": "1.2.3",
                    "api_app_id": "A1",
                }
            )
            ts = str(int(time.time()))
            request = urllib.request.Request(
                base + "/slack/events",
                data=body.encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": ts,
                    "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
                        timestamp=ts, body=body
                    ),
                },
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200
                assert json.loads(response.read())["text"].startswith("Salaries:")
            (tip,) = api.wait_for("chat.postMessage", timeout=30)
            assert tip.params["channel"] == "CTIPS"
            assert tip.params["metadata"]["event_type"] == "pmbot_daily_tip"
        finally:
            proc.terminate()
            _, stderr = proc.communicate(timeout=20)
        assert "xoxb-serve-test" not in stderr
        assert secret not in stderr
        assert "which pm earns more" not in stderr
        assert "CTIPS" not in stderr and "U1" not in stderr and "C1" not in stderr  # no ids
        assert re.search(r"INFO pmbot.tips: tip \S+ posted for \d{4}-\d\d-\d\d", stderr)
        # One format for every line, pmbot's and uvicorn's; one line per request.
        stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING|ERROR) [a-z_.]+: "
        for line in stderr.splitlines():
            assert re.match(stamp, line), line
        assert re.search(r"INFO uvicorn: Uvicorn running on http://127\.0\.0\.1:\d+", stderr)
        (request,) = [line for line in stderr.splitlines() if " pmbot.requests: " in line]
        assert re.search(
            r"INFO pmbot.requests: surface=command status=answer topic=salary "
            r"confidence=0\.\d\d ms=\d+\.\d id=r-[0-9a-f]{8}$",
            request,
        )


def test_serve_socket_mode_needs_app_token() -> None:
    code, _, err = run(["serve", "--socket-mode"], env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert code == 2
    assert err == "pmbot: SLACK_APP_TOKEN is not set (Socket Mode needs an xapp- token)\n"


def test_serve_http_needs_signing_secret_even_with_app_token() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    code, _, err = run(["serve", "--http"], env=env)
    assert code == 2
    assert err == (
        "pmbot: SLACK_SIGNING_SECRET is not set (HTTP mode needs it: Basic Information → "
        "App Credentials; see .env.example)\n"
    )


def test_tips_run_due_needs_a_token_and_a_zoned_time(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    code, _, err = run(["tips", "run-due"], env=env)
    assert (code, err) == (
        2,
        "pmbot: SLACK_BOT_TOKEN is not set (a bot token, xoxb-…; see .env.example)\n",
    )
    env["SLACK_BOT_TOKEN"] = "xoxb-1"
    code, _, err = run(["tips", "run-due", "--now", "2027-03-29 07:05"], env=env)
    assert code == 2
    assert err == (
        "pmbot: --now must be ISO-8601 with a time zone, e.g. 2027-03-29T07:05:00Z, "
        "not '2027-03-29 07:05'\n"
    )


def test_tips_run_due_with_nothing_subscribed(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "SLACK_BOT_TOKEN": "xoxb-1"}
    code, out, _ = run(["tips", "run-due", "--now", "2027-03-29T07:05:00Z"], env=env)
    assert (code, out) == (
        0,
        "tips at 2027-03-29T07:05:00+00:00: posted 0, recovered 0, failed 0, paused 0\n",
    )


def test_shell_renders_clarify_and_decline(tmp_path: Path) -> None:
    script = (
        "/pm what does a scrum master do that a product owner doesn't?\n1\n"
        "/pm how do I write a PRD?\nquit\n"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    code, out, _ = run(["shell"], stdin=script, env=env)
    assert code == 0
    assert "I'm not sure which you mean: The product owner or The scrum master?" in out
    assert "[1] The product owner  [2] The scrum master" in out
    assert "Product owner is a Scrum role" in out  # the pick answers
    assert "Writing specs, PRDs or user stories is a craft I don't teach." in out
    assert "[6] Features and the backlog  [7] The roadmap" in out


def test_report_after_a_shell_session(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    script = "which pm earns more\nwhere is the canteen\n/pm tips on 00:00 UTC daily\ntips\nquit\n"
    code, out, _ = run(["shell"], stdin=script, env=env)
    assert code == 0
    # Today's slot has passed; the summary says when the next one is.
    assert (
        "(daily tips: posted 0, recovered 0, failed 0, paused 0; none due then: the next is" in out
    )
    assert re.search(r"next is for CLOCALCHAN on \S+ at 00:00 UTC \(\S+T00:00Z\)\)", out)
    code, out, _ = run(["report"], env=env)
    assert code == 0
    assert "  salary  1" in out
    assert "decline  ULOCALUSER  -      where is the canteen" in out
    assert "  CLOCALCHAN  00:00 UTC, every day  on     -" in out


@pytest.mark.parametrize("command", [["report"], ["shell"], ["tips", "run-due"]])
def test_every_command_opens_the_store_the_same_way(command: list[str]) -> None:
    env = {"DATABASE_URL": "postgresql://x@127.0.0.1:1/nope", "SLACK_BOT_TOKEN": "xoxb-1"}
    code, out, err = run(command, stdin="quit\n", env=env)
    assert (code, out) == (2, "")
    assert err.startswith("pmbot: DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:1/nope")
    assert len(err.splitlines()) == 1


def test_validate_warns_about_lint_and_freshness_and_strict_fails(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", folder)
    (folder / "team.yaml").write_text(
        "topics:\n  - id: team-lunch\n    title: Lunch\n    answer: Lunch costs $9.\n"
        "    reviewed: 2026-01-10\n    maintainer: office team\n"
        "    questions: [where should we go for lunch today]\n"
        "settings:\n  review_days: 180\n",
        encoding="utf-8",
    )
    argv = ["validate", str(folder), "--contract", str(shared_file("topics.yaml"))]
    code, out, err = run([*argv, "--today", "2026-12-02"])
    mine = [line for line in err.splitlines() if "team.yaml" in line.split(": ")[0]]
    assert code == 0
    assert mine == [
        f"{folder}/team.yaml:7: warning: phrasing 'where should we go for lunch today' of "
        "topic 'team-lunch' already declines (decline 'decline-unrelated'): nobody reaches "
        "the topic this way",
        f"{folder}/team.yaml:7: warning: phrasing 'where should we go for lunch today' of "
        "topic 'team-lunch' reads the same to the engine as phrasing 'where should we go for "
        f"lunch' of topic 'decline-unrelated' ({folder}/declines.yaml:{LUNCH_LINE}): it "
        "cannot tell "
        "them apart",
        f"{folder}/team.yaml:2: warning: topic 'team-lunch' is stale: last reviewed "
        "2026-01-10, review was due 2026-07-09 (146 days ago), maintainer office team",
        f"{folder}/team.yaml:2: warning: topic 'team-lunch' states figures but has no 'as_of' date",
    ]
    count = len(err.splitlines())
    assert out.startswith("ok: ") and out.endswith(f", {count} warnings\n")
    code, out, err = run([*argv, "--today", "2026-12-02", "--strict"])
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"validate: {count} warnings, which --strict makes errors"
    _, _, err = run([*argv, "--today", "2026-07-09"])  # the review is due, not late
    assert "is stale" not in err


def test_validate_rejects_a_bad_today() -> None:
    code, out, err = run(["validate", "--today", "tomorrow"])
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "pmbot: --today must be a date, YYYY-MM-DD, not 'tomorrow'"


def test_shell_records_team_roles_and_names_them(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    script = "/pm team product @alice\n/pm who owns the roadmap?\nquit\n"
    code, out, _ = run(["shell"], stdin=script, env=env)
    assert code == 0
    assert "Recorded: the product manager here is @UALICE." in out
    assert "\n  Here: @UALICE\n" in out


def test_greeting_and_thanks_have_their_own_status() -> None:
    code, out, _ = run(["ask", "--json"], stdin="hey\nthanks!\nhey, who owns scope?\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(line["status"], line["topic"]) for line in lines] == [
        ("smalltalk", None),
        ("smalltalk", None),
        ("answer", "owns-scope"),
    ]
    assert lines[1]["text"] == "You're welcome! Ask me anything else about who does what."


def test_shell_says_where_its_state_lives_and_previews_a_daily_tip(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    script = (
        "/pm tips on 09:00 UTC daily\ntips 2099-01-05T09:05Z\ntips tomorrow\nhey\nthanks!\nquit\n"
    )
    code, out, _ = run(["shell"], stdin=script, env=env)
    assert code == 0
    assert f"  knowledge: {REPO / 'knowledge'} (shipped with pmbot)\n" in out
    assert f"  database: the SQLite file {tmp_path}/db.sqlite3\n" in out
    tip = out.index("pmbot in #local (daily tip):\n  💡 PM tip of the day\n")
    summary = "(daily tips at 2099-01-05 09:05 UTC: posted 1, recovered 0, failed 0, paused 0)"
    assert out.index(summary) > tip
    assert "(tips TIME: ISO-8601 with a zone, e.g. 2027-03-29T09:05Z)" in out
    assert "pmbot in your DM:\n  Hi! 👋\n  Ask me who does what" in out
    assert "pmbot in your DM:\n  You're welcome! Ask me anything else about who does what.\n" in out


def test_report_prints_no_control_or_bidi_character(tmp_path: Path) -> None:
    """A declined question carrying an escape sequence, a bell and a bidi override
    (logged before pmbot cleaned its input, or by another tool) prints inert."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    Store(env["DATABASE_URL"]).log_unanswered(
        "where \x1b[2J\x1b]0;owned\x07is \u202elunch\x9b?", "U8", "decline"
    )
    code, out, _ = run(["report"], env=env)
    assert code == 0
    assert "where [2J]0;ownedis lunch?" in out
    assert not [c for c in out if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0]
    assert "\u202e" not in out


def test_report_says_which_database_and_will_not_invent_an_empty_one(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    code, out, err = run(["report"], env=env)
    default = tmp_path / ".local" / "share" / "pmbot" / "pmbot.sqlite3"
    assert (code, out) == (2, "")
    assert err == (
        f"pmbot: DATABASE_URL: the SQLite file {default} does not exist, so there is nothing "
        "to report; set DATABASE_URL to the database `pmbot serve` uses\n"
    )
    assert not default.exists()
    run(["shell"], stdin="which pm earns more\nquit\n", env=env)  # creates it
    code, out, _ = run(["report", "--since", "7d"], env=env)
    assert code == 0
    assert out.splitlines()[0] == f"Database: the SQLite file {default}"
    assert out.splitlines()[2].startswith("Questions: 1; answered 1 (100%)")


def test_serve_check_verifies_store_and_token_then_exits(tmp_path: Path) -> None:
    from bot.local.local_api import Fault, WebApiStandIn
    from bot.store.migrations import MIGRATIONS

    database = tmp_path / "db.sqlite3"
    with WebApiStandIn() as api:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-check",
            "SLACK_SIGNING_SECRET": "c" * 32,
            "SLACK_API_URL": api.base_url,
            "DATABASE_URL": f"sqlite:///{database}",
        }
        code, out, err = run(["serve", "--check"], env=env)
        assert (code, err) == (0, "")
        assert out.splitlines() == [
            f"ok: knowledge: {REPO / 'knowledge'} (shipped with pmbot)",
            f"ok: database: the SQLite file {database} (schema version {len(MIGRATIONS)}, "
            "matches the code, writable)",
            f"ok: Slack accepted SLACK_BOT_TOKEN at {api.base_url} (team Local, bot user pmbot)",
        ]
        assert [c.method for c in api.calls] == ["auth.test"]
        api.fail("auth.test", Fault(error="invalid_auth"))
        code, out, err = run(["serve", "--check"], env=env)
    assert (code, out) == (2, "")
    assert err == (
        "pmbot: SLACK_BOT_TOKEN was rejected by Slack (invalid_auth); copy the Bot User "
        "OAuth Token (xoxb-…) again from OAuth & Permissions\n"
    )


def test_serve_check_verifies_the_experts_channel(tmp_path: Path) -> None:
    from bot.local.local_api import WebApiStandIn

    with WebApiStandIn() as api:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-check",
            "SLACK_SIGNING_SECRET": "c" * 32,
            "SLACK_API_URL": api.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "PMBOT_EXPERTS_CHANNEL": "C0EXPERTS",
        }
        code, out, err = run(["serve", "--check"], env=env)
        assert (code, err) == (0, "")
        assert out.splitlines()[-1] == (
            "ok: pmbot is in the experts channel C0EXPERTS (PMBOT_EXPERTS_CHANNEL)"
        )
        api.state.channels_without_bot.add("C0EXPERTS")
        assert run(["serve", "--check"], env=env) == (
            2,
            "",
            "pmbot: PMBOT_EXPERTS_CHANNEL: pmbot is not in C0EXPERTS; invite it there "
            "(/invite @pmbot)\n",
        )
        api.state.missing_channels.add("C0EXPERTS")
        assert run(["serve", "--check"], env=env)[0] == 2


def test_validate_taught_checks_what_curators_taught(tmp_path: Path) -> None:
    from bot.curation.store import TaughtStore
    from bot.store.database import Store

    url = f"sqlite:///{tmp_path}/db.sqlite3"
    store = Store(url)
    TaughtStore(store).teach("owns-delivery", "who manages project risks", "k1", "U1")
    store.close()
    code, _, err = run(["validate", "--taught"], env={"DATABASE_URL": url})
    assert code == 0
    assert (
        "warning: taught phrasing 'who manages project risks' of topic 'owns-delivery' is "
        "answered by topic 'owns-risk'" in err
    )
    _, _, plain = run(["validate"], env={"DATABASE_URL": url})
    assert "taught phrasing" not in plain


def test_ask_keeps_its_engine_in_the_users_cache(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = run(["ask", "who owns the roadmap?"], env=env)
    assert len(list((tmp_path / "pmbot").glob("engine-*.pickle"))) == 1
    assert run(["ask", "who owns the roadmap?"], env=env) == first


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    out = io.StringIO()
    with pytest.raises(SystemExit) as done, contextlib.redirect_stdout(out):
        main(["--version"])
    assert done.value.code == 0
    assert out.getvalue() == f"pmbot {version('pmbot')}\n"


def test_the_shell_lives_in_this_machines_time_zone(tmp_path: Path) -> None:
    """The README's preview: `/pm tips on`, then `tips 2027-03-29T09:05Z`, posts one."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "TZ": "Europe/Berlin"}
    script = "/pm tips on 10:00\ntips 2027-03-29T08:05Z\nquit\n"  # 10:05 in Berlin
    code, out, _ = run(["shell"], stdin=script, env=env)
    assert code == 0
    assert "your time zone: Europe/Berlin (this machine's; `/pm tips on` uses it)" in out
    assert "(daily tips at 2027-03-29 08:05 UTC: posted 1," in out


def test_validate_one_file_checks_it_with_the_knowledge_in_use(tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(
        "topics:\n  - id: team-expenses\n    title: Our expense policy\n"
        "    answer: Expenses go through Finbot.\n    questions: [how do i file expenses]\n",
        encoding="utf-8",
    )
    code, out, err = run(["validate", str(team)])
    assert code == 0, err
    shipped = len(list((REPO / "knowledge").glob("*.yaml")))
    assert f" in {shipped + 1} files" in out
    team.write_text(team.read_text("utf-8").replace("answer:", "answr:"), encoding="utf-8")
    code, _, err = run(["validate", str(team)])
    assert code == 2
    assert err.splitlines()[0] == f"{team}:2: topic 'team-expenses' is missing 'answer'"


def test_validate_says_which_answers_a_teams_change_moves(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", folder)
    (folder / "team.yaml").write_text(
        "topics:\n  - id: team-roadmap\n    title: Our roadmap\n"
        "    answer: Ask Ada, she keeps our roadmap.\n"
        "    questions: [who is in charge of the roadmap here]\n",
        encoding="utf-8",
    )
    code, _, err = run(["validate", str(folder)])
    assert code == 0
    assert (
        "warning: dev.yaml: this change moves 'who is in charge of the roadmap?' from "
        "'owns-roadmap' → a clarify (team-roadmap or owns-roadmap)"
    ) in err.splitlines()
