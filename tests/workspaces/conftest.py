"""The workspaces' tests open pmbot's store as `pmbot serve` does when it serves every
workspace: with the installations' tables put in its metadata first."""

from __future__ import annotations

import pytest

from bot.workspaces.tables import installation_tables


@pytest.fixture(autouse=True)
def _installation_tables() -> None:
    installation_tables()
