"""The installations pmbot's database keeps: who installed a workspace, which
workspaces are installed, a bot token fit to use now (background work refreshes
rotated tokens itself: Bolt only does on incoming requests, bolt-python #510), and
the installations' tables as pmbot reads them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import desc, select

from bot.store.database import Store
from bot.workspaces.installations import REFRESH_MINUTES
from bot.workspaces.stores import KEY, open_workspace_store
from bot.workspaces.tables import installation_tables, owned_by

log = logging.getLogger("pmbot.workspaces")


@dataclass(frozen=True)
class Installed:
    """One installation: a workspace's (team id), or an org's (enterprise id)."""

    enterprise_id: str | None
    team_id: str | None
    is_enterprise_install: bool

    @property
    def key(self) -> str:
        return str(self.enterprise_id if self.is_enterprise_install else self.team_id)


def installer_of(main: Store, client_id: str, key: str) -> str | None:
    """Who last installed workspace (or org) `key`: its first curator."""
    installations = installation_tables()[0]
    query = (
        select(installations.c.user_id)
        .where(installations.c.client_id == client_id, owned_by(installations, key))
        .order_by(desc(installations.c.installed_at))
        .limit(1)
    )
    with main.connect() as conn:
        found = conn.execute(query).scalar()
    return str(found) if found else None


def installed(main: Store, client_id: str) -> list[Installed]:
    """Every installation that has a bot token, each once."""
    c = installation_tables()[1].c
    query = (
        select(c.enterprise_id, c.team_id, c.is_enterprise_install)
        .where(c.client_id == client_id, c.bot_token.is_not(None))
        .distinct()
    )
    with main.connect() as conn:
        rows = conn.execute(query).all()
    found = {Installed(e, None if org else t, bool(org)) for e, t, org in rows}
    return sorted((i for i in found if KEY.fullmatch(i.key)), key=lambda i: i.key)


def find_bot(store: SQLAlchemyInstallationStore, where: Installed) -> Bot | None:
    return store.find_bot(
        enterprise_id=where.enterprise_id,
        team_id=where.team_id,
        is_enterprise_install=where.is_enterprise_install,
    )


def fresh_bot(store: SQLAlchemyInstallationStore, rotator: TokenRotator, bot: Bot, key: str) -> Bot:
    """`bot`, its token refreshed and saved first when it expires soon. A refused
    refresh (revoked) raises SlackTokenRotationError."""
    rotated = rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=REFRESH_MINUTES)
    if rotated is None:
        return bot
    store.save_bot(rotated)
    log.info("workspace %s: bot token refreshed", key)
    return rotated


def installed_stores(main: Store, url: str, client_id: str) -> list[Store]:
    """Every installed workspace's store, opened (the caller closes them): what
    `pmbot purge` purges besides pmbot's own database."""
    return [open_workspace_store(main, url, where.key) for where in installed(main, client_id)]
