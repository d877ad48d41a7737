"""The `/pm` subcommand table is the one list: the router, the manifest and the README
agree with it."""

from __future__ import annotations

import re

import yaml

from bot.local.shell import BANNER
from bot.slack.listeners.commands import REPLIES
from bot.slack.subcommands import (
    COMPARE,
    CURATOR_NAMES,
    SUBCOMMANDS,
    TEAM,
    TIPS,
    banner_names,
    usage_hint,
)
from tests.conftest import REPO


def test_every_subcommand_is_routed() -> None:
    assert {*REPLIES, TIPS, TEAM, COMPARE, *CURATOR_NAMES} == {s.name for s in SUBCOMMANDS}


def test_manifest_usage_hint_is_the_table() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/pm"
    assert command["usage_hint"] == usage_hint()


def test_the_docs_name_every_subcommand_and_no_other() -> None:
    page = (REPO / "docs" / "slack.md").read_text(encoding="utf-8")
    in_slack = page.split("## In Slack", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`/pm ([a-z?]+)`", in_slack))
    assert named == {s.name for s in SUBCOMMANDS}
    assert all(f"/pm {s.name}" in page for s in SUBCOMMANDS)


def test_shell_banner_lists_the_table() -> None:
    assert f"/pm {banner_names()}\n" in BANNER
