"""The local shell's triggers for the message shortcut and the AI-app pane: the real
Bolt app, the stand-in Web API, the terminal as Slack."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import compose
from bot.answers.engine import Engine
from bot.local.shell import Shell


@pytest.fixture
def shell(engine: Engine) -> Iterator[tuple[Shell, io.StringIO]]:
    out = io.StringIO()
    running = Shell(compose.of(engine), out)
    yield running, out
    running.close()


def test_shortcut_on_a_message_answers_privately(shell: tuple[Shell, io.StringIO]) -> None:
    running, out = shell
    running.handle("shortcut: the project manager owns the roadmap, right?")
    text = out.getvalue()
    assert text.startswith("pmbot (only you can see this):\n  Product manager owns the product")
    assert "[1] 👍 Helpful  [2] 👎 Not helpful  [3] Share in channel" in text


def test_assistant_opens_the_pane_and_a_prompt_number_asks_it(
    shell: tuple[Shell, io.StringIO],
) -> None:
    running, out = shell
    running.handle("assistant")
    assert out.getvalue() == (
        "pmbot in the AI-app pane (in the thread):\n"
        "  Hi! Ask me who does what: product manager or project manager.\n\n"
        "Try asking:\n"
        "  [1] What is the difference between a product manager and a project manager?\n"
        "  [2] Which role is more senior, product or project manager?\n"
        "  [3] Who maintains the product roadmap?\n"
        "  [4] How much does a product manager earn?\n\n"
    )
    out.truncate(0)
    out.seek(0)
    running.handle("2")
    text = out.getvalue()
    assert text.startswith("(pmbot is looking that up…)\npmbot in the AI-app pane (in the thread):")
    assert "(Which role is more senior ·" in text


def test_asking_in_the_pane_opens_it_first(shell: tuple[Shell, io.StringIO]) -> None:
    running, out = shell
    running.handle("assistant: who owns the budget?")
    text = out.getvalue()
    assert text.index("Try asking:") < text.index("(pmbot is looking that up…)")
    assert "  Both, at different levels. The product manager keeps track" in text


def test_at_a_terminal_lines_wrap_to_its_width(engine: Engine) -> None:
    out = io.StringIO()
    running = Shell(compose.of(engine), out, width=40)
    try:
        running.handle("/pm what does a product manager do?")
    finally:
        running.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "pmbot (only you can see this):"
    assert len(lines) > 8 and all(len(line) <= 40 for line in lines[1:])
    assert lines[1].startswith("  ") and not lines[1].startswith("   ")


def test_a_colleague_s_reply_answers_an_ask_a_person(engine: Engine, tmp_path: Path) -> None:
    """The whole loop at a terminal: a holder set, a decline, "Ask a person", the
    holder's reply (`reply @alice …`), and the asker told in their DM."""
    from bot.store.database import Store

    store = Store(f"sqlite:///{tmp_path}/db.sqlite3")
    out = io.StringIO()
    running = Shell(compose.with_store(engine, store), out)
    try:
        running.handle("/pm team product @alice")
        running.handle("@pmbot what should a product manager wear to the offsite?")
        ask = next(n for n, (e, _, _) in running.buttons.items() if e["action_id"] == "ask_person")
        running.handle(str(ask))
        running.handle("reply @alice smart casual is fine")
    finally:
        running.close()
        store.close()
    text = out.getvalue()
    assert "🙋 @localuser asked for a person. @UALICE (product manager here)" in text
    assert (
        "pmbot in your DM:\n  @alice replied to the question you asked a person about. "
        "See the reply (https://local.slack.invalid/archives/CLOCALCHAN/p"
    ) in text
