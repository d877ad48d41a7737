"""`pmbot taught export|clear`, through the command line."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.answers.curated import CuratedTopic, as_topic, merge_curated
from bot.answers.knowledge import load_knowledge
from bot.answers.live import merge_taught
from bot.curation.store import TaughtStore
from bot.store.database import Store
from tests.conftest import REPO
from tests.test_cli import run


def test_taught_export_is_a_knowledge_file_and_clear_forgets(tmp_path: Path) -> None:

    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/pmbot.sqlite3"}
    store = Store(env["DATABASE_URL"])
    taught = TaughtStore(store)
    taught.teach("owns-roadmap", "Who plans the: quarter?", "who plans the quarter", "U1")
    taught.teach("salary", "what do pms get paid", "what do pms get paid", "U1")
    code, out, _ = run(["taught", "export"], env=env)
    assert code == 0
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert out == (
        f"# Phrasings taught by curators in Slack (pmbot taught export, {today}).\n"
        "# Commit this file into knowledge/ (e.g. knowledge/taught.yaml), then run\n"
        "# `pmbot taught clear`: each question becomes a way of asking its topic.\n"
        "phrasings:\n"
        "  owns-roadmap:\n"
        "  - 'Who plans the: quarter?'\n"
        "  salary:\n"
        "  - what do pms get paid\n"
    )
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    (knowledge / "taught.yaml").write_text(out, encoding="utf-8")
    kb = load_knowledge(knowledge)
    assert kb.topics["owns-roadmap"].questions[-1] == "Who plans the: quarter?"
    # Exported and still in the store: counted once.
    assert merge_taught(kb, taught.taught_phrasings())[0].topics == kb.topics
    assert run(["taught", "clear"], env=env) == (
        0,
        "forgot 2 taught phrasings and 0 saved topics\n",
        "",
    )
    assert run(["taught", "export"], env=env) == (0, "", "no taught phrasings or saved topics\n")
    store.close()


def test_saved_topics_export_to_a_file_pmbot_validate_passes(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/pmbot.sqlite3"}
    store = Store(env["DATABASE_URL"])
    taught = TaughtStore(store)
    taught.teach("owns-roadmap", "Who plans the quarter?", "who plans the quarter", "U1")
    dress = CuratedTopic(
        "dress-code",
        "Offsite dress code",
        "Whatever the team wears: *nobody* dresses up.\nAsk the organiser if unsure.",
        ("what should a product manager wear to the offsite?", "is there a dress code: offsite"),
        "U1",
        "2026-12-08",
    )
    taught.save_topic(dress)
    code, out, _ = run(["taught", "export"], env=env)
    assert code == 0 and "topics:\n- id: dress-code\n" in out
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    (knowledge / "taught.yaml").write_text(out, encoding="utf-8")
    assert run(["validate", "--knowledge", str(knowledge)])[0] == 0
    kb = load_knowledge(knowledge)
    loaded = replace(kb.topics["dress-code"], source="", question_lines=())
    assert loaded == replace(as_topic(dress), source="")
    # Exported and still in the store: the files win, nothing is counted twice.
    assert merge_curated(kb, taught.curated_topics()).topics == kb.topics
    assert run(["taught", "clear"], env=env)[1] == "forgot 1 taught phrasings and 1 saved topics\n"
    store.close()
