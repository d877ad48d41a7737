"""The `/pm` subcommands, listed once: this table drives the router
(listeners/commands.py), `/pm help` and App Home (blocks.py), the shell's banner,
and the manifest's usage hint (a test holds manifest.yml and the README to it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subcommand:
    name: str
    summary: str = ""  # shown after it in `/pm help` and App Home
    aliases: tuple[str, ...] = ()
    listed: bool = True  # in `/pm help`, App Home and the banner (tips has its own section)
    hint: str = ""  # its word in the manifest's usage hint, when not just the name
    curators: bool = False  # only for PMBOT_CURATORS: never in help or the usage hint


SUBCOMMANDS = (
    Subcommand("help", aliases=("?",)),
    Subcommand("topics", "what I know"),
    Subcommand("compare", "two roles side by side", hint="compare scrum master agile coach"),
    Subcommand("tip", "a quick tip"),
    Subcommand("team", "who holds each role here", hint="team product @name"),
    Subcommand("tips", "daily tips in this channel", listed=False, hint="tips on 09:00"),
    Subcommand("unanswered", "questions I couldn't answer", listed=False, curators=True),
    Subcommand("teach", "teach a topic a question", listed=False, curators=True),
    Subcommand("curators", "who may curate; add or remove one", listed=False, curators=True),
)
TIPS = "tips"
CURATOR_NAMES = tuple(s.name for s in SUBCOMMANDS if s.curators)
TEAM = "team"  # routed before the table (it takes arguments): listeners/commands.py
COMPARE = "compare"  # so is this: `/pm compare scrum master agile coach`


def subcommand(word: str) -> str | None:
    """The subcommand a single word names (`/pm` alone is help), or None: a question."""
    for sub in SUBCOMMANDS:
        if word == sub.name or word in sub.aliases:
            return sub.name
    return "help" if word == "" else None


def listed_line() -> str:
    """`/pm topics` (what I know) · … · `/pm help`: the listed ones, help last."""
    shown = [f"`/pm {s.name}` ({s.summary})" for s in SUBCOMMANDS if s.listed and s.summary]
    return " · ".join([*shown, "`/pm help`"])


# `/pm tips` is not in the listed line (it takes arguments); help and App Home say it here.
TIPS_LINE = (
    "`/pm tips on` in a channel posts a short tip there every weekday at 09:00 "
    "(`/pm tips on 08:30 Europe/Berlin daily` to choose) · `/pm tips` shows it · "
    "`/pm tips off` stops it"
)


def banner_names() -> str:
    return ", ".join(s.name for s in SUBCOMMANDS if s.listed)


def usage_hint() -> str:
    shown = (s.hint or s.name for s in SUBCOMMANDS if not s.curators)
    return " | ".join(["who owns the roadmap?", *shown])
