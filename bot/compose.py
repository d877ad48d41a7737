"""The composition root: the one place that knows every feature. It builds each
feature folder (tips, team, curation, handoff) with its store and hands them to the Slack
app in Deps; shared code reaches them only through their hooks (bot/slack/features.py).

To add a feature: a folder like bot/tips/, its tables in bot/schema.py, and one line
in `features()` below. Serving every workspace that installs pmbot, `for_workspaces`
builds the same services once per workspace (bot/workspaces/).
"""

from __future__ import annotations

import time
from typing import Any

import bot.schema  # noqa: F401  every table registered before a store opens
from bot.answers.engine import Engine
from bot.answers.live import LiveEngine
from bot.curation.curators import Curators, WorkspaceCurators
from bot.curation.feature import Curation
from bot.curation.roster import CuratorRoster
from bot.curation.store import TaughtStore
from bot.handoff.feature import Handoff
from bot.handoff.store import HandoffStore
from bot.slack.resilience import ReplyPool
from bot.slack.services import REPLY_THREADS, Deps, Feature
from bot.store.database import Store
from bot.team.feature import Team
from bot.team.store import holder_store
from bot.tips.feature import Tips
from bot.tips.store import TipStore
from bot.workspaces.tenants import Workspaces


def features(
    store: Store | None,
    curators: Curators | None = None,
    taught: TaughtStore | None = None,
    experts: str | None = None,
) -> tuple[Feature, ...]:
    """Every feature, in the order App Home shows them; without a store, each says
    what it would need. `experts`: the channel "Ask a person" asks when the
    question's channel has nobody holding its role (PMBOT_EXPERTS_CHANNEL)."""
    return (
        Team(holder_store(store) if store else None),
        Curation(taught or (TaughtStore(store) if store else None), curators, store),
        Tips(TipStore(store) if store else None),
        Handoff(HandoffStore(store) if store else None, experts),
    )


def of(engine: Engine | LiveEngine, curators: Curators | None = None, **extra: Any) -> Deps:
    """The app's services without a database: answers, and no stored state."""
    return Deps.of(engine, features=features(None, curators), **extra)


def with_store(
    engine: Engine | LiveEngine,
    store: Store,
    background: bool = False,
    curators: Curators | None = None,
    experts: str | None = None,
    **extra: Any,
) -> Deps:
    """The app's services on `store` (see Deps.with_store); taught phrasings come
    from it, in every process."""
    live = engine if isinstance(engine, LiveEngine) else LiveEngine(engine)
    live.taught = taught = TaughtStore(store)
    built = features(store, curators, taught, experts)
    return Deps.with_store(live, store, background, features=built, **extra)


def for_serving(
    engine: Engine | LiveEngine,
    store: Store,
    curators: Curators | None = None,
    experts: str | None = None,
) -> Deps:
    """As `pmbot serve` runs: questions logged and replies sent on threads of their own."""
    replies = ReplyPool(REPLY_THREADS)
    return with_store(
        engine, store, background=True, curators=curators, experts=experts, replies=replies
    )


def for_workspaces(live: LiveEngine, main: Store, url: str, client_id: str) -> Workspaces:
    """Serving every workspace that installs pmbot: each gets, on its first request,
    what one workspace gets from `for_serving`, on a database of its own (`url`'s
    sibling), its curators the installer and its admins. Replies share one pool."""
    from bot.workspaces.installs import installed, installer_of  # only serving them all
    from bot.workspaces.tables import installation_tables

    installation_tables()
    main.migrate()  # adds the installations' tables if pmbot's database lacks them
    replies = ReplyPool(REPLY_THREADS)

    def build(key: str, store: Store) -> Deps:
        curators = WorkspaceCurators(installer_of(main, client_id, key), CuratorRoster(store))
        own = LiveEngine(live.current)  # the files' knowledge, plus this workspace's teaching
        return with_store(own, store, background=True, curators=curators, replies=replies)

    storeless = of(live, replies=replies)
    installed_keys = lambda: {i.key for i in installed(main, client_id)}  # noqa: E731
    return Workspaces(main, url, live, build, storeless, time.monotonic, installed_keys)
