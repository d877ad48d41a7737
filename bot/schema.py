"""Every table pmbot keeps, registered with the store's migrations: the store's own
(bot/store/tables.py) and each feature's. Whatever opens a store imports this first,
so a new database gets every table and an old one every step."""

from __future__ import annotations

import bot.curation.tables
import bot.handoff.tables
import bot.team.tables
import bot.tips.tables
import bot.workspaces.tables

FEATURE_TABLES = (
    bot.curation.tables,
    bot.handoff.tables,
    bot.team.tables,
    bot.tips.tables,
    bot.workspaces.tables,
)
