"""What every `pmbot` command shares: its streams and environment (`Io`), where
its knowledge and settings come from, the store it opens, and the times it parses."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.answers.knowledge import KnowledgeBase, load_knowledge
from bot.answers.location import KnowledgeSource, locate_knowledge
from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    import argparse

    from bot.answers.live import LiveEngine
    from bot.store.database import Store

EXIT_BAD_INPUT = 2
KNOWLEDGE_HELP = (
    "knowledge directory (default: $PMBOT_KNOWLEDGE_DIR, else ./knowledge when it "
    "holds *.yaml, else the knowledge shipped with pmbot)"
)


class Io:
    """The streams and environment a command runs with (injectable for tests)."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.env = os.environ if env is None else env
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)


def default_contract() -> Path | None:
    """shared/topics.yaml beside the checkout, where the project keeps its contract;
    else the copy a checkout carries (tests/data/shared); installed, none."""
    checkout = Path(__file__).resolve().parent.parent
    for candidate in (checkout.parent / "shared", checkout / "tests" / "data" / "shared"):
        if (candidate / "topics.yaml").is_file():
            return candidate / "topics.yaml"
    return None


def knowledge_source(args: argparse.Namespace, io: Io) -> KnowledgeSource:
    """--knowledge, PMBOT_KNOWLEDGE_DIR, ./knowledge, then the shipped one (location.py)."""
    return locate_knowledge(getattr(args, "knowledge", None), io.env, Path.cwd())


def load(args: argparse.Namespace, io: Io) -> KnowledgeBase:
    return load_knowledge(knowledge_source(args, io).path)


def live_engine(path: Path, env: Mapping[str, str]) -> LiveEngine:
    """An engine that follows the knowledge directory (hot reload: serve, shell); the
    first one comes from the engine cache when the knowledge has not changed."""
    from bot.answers.cache import cached_engine
    from bot.answers.live import LiveEngine

    return LiveEngine(cached_engine(path, env), lambda: load_knowledge(path), watch=path)


def settings_from(io: Io) -> Settings:
    from bot.config import load_settings

    return load_settings(io.env)


def open_store(io: Io, writes: bool = True) -> Store:
    from bot.serving import open_store as open_checked

    return open_checked(settings_from(io), writes=writes)


def parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(
            f"--now must be ISO-8601 with a time zone, e.g. 2027-03-29T07:05:00Z, not {text!r}"
        )
    return moment


def parse_today(text: str | None) -> date:
    try:
        return datetime.now(UTC).date() if text is None else date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--today must be a date, YYYY-MM-DD, not {text!r}") from None
