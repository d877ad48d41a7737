"""`pmbot taught export|clear`, through the command line."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

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
    assert run(["taught", "clear"], env=env) == (0, "forgot 2 taught phrasings\n", "")
    assert run(["taught", "export"], env=env) == (0, "", "no taught phrasings\n")
    store.close()
