"""Where pmbot looks for knowledge, in this order (the first that is set wins):

1. `--knowledge DIR` on the command line;
2. the `PMBOT_KNOWLEDGE_DIR` setting;
3. `./knowledge` in the current directory, when it holds `*.yaml` files;
4. the knowledge pmbot ships with: `knowledge/` of a source checkout, or the
   copy inside the installed package.

Start-up (serve, the shell) and `pmbot topics` say which one is in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.answers.knowledge import default_knowledge_dir, knowledge_files


@dataclass(frozen=True)
class KnowledgeSource:
    path: Path
    origin: str  # "--knowledge", "PMBOT_KNOWLEDGE_DIR", "./knowledge" or "shipped with pmbot"

    @property
    def shipped(self) -> bool:
        return self.origin == SHIPPED

    def describe(self) -> str:
        return f"knowledge: {self.path} ({self.origin})"


SHIPPED = "shipped with pmbot"


def locate_knowledge(flag: str | None, env: Mapping[str, str], cwd: Path) -> KnowledgeSource:
    if flag:
        return KnowledgeSource(Path(flag), "--knowledge")
    configured = (env.get("PMBOT_KNOWLEDGE_DIR") or "").strip()
    if configured:
        return KnowledgeSource(Path(configured), "PMBOT_KNOWLEDGE_DIR")
    shipped = default_knowledge_dir()
    local = cwd / "knowledge"
    if local.is_dir() and knowledge_files(local) and local.resolve() != shipped.resolve():
        return KnowledgeSource(local.resolve(), "./knowledge")
    return KnowledgeSource(shipped, SHIPPED)


# The user's base directories (the XDG spec) and where each is when unset.
XDG_DEFAULTS = {
    "XDG_DATA_HOME": ".local/share",  # the default database
    "XDG_CACHE_HOME": ".cache",  # the engine cache
    "XDG_STATE_HOME": ".local/state",  # the shell's history
}


def user_dir(env: Mapping[str, str], variable: str) -> Path | None:
    """pmbot's folder in one of the user's base directories ($XDG_CACHE_HOME/pmbot,
    else ~/.cache/pmbot); None when the environment names neither."""
    base = env.get(variable, "").strip()
    home = env.get("HOME", "").strip()
    if not base and home:
        base = str(Path(home) / XDG_DEFAULTS[variable])
    return Path(base) / "pmbot" if base else None
