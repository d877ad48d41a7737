"""pmbot serving every workspace, as the tests build it: against the stand-in, with
the client id and secret the stand-in's oauth.v2.access expects."""

from __future__ import annotations

from bot.answers.engine import Engine
from bot.answers.live import LiveEngine
from bot.config import Settings
from bot.distributed import Distributed, build_distributed
from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET
from bot.slack.app import web_client
from bot.store.database import Store

SECRET = "w0rkspaces0signing0secret0000abc"


def every_workspace(api_url: str, database_url: str) -> Settings:
    return Settings(
        signing_secret=SECRET,
        api_url=api_url,
        database_url=database_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )


def distributed(api_url: str, main: Store, database_url: str, engine: Engine) -> Distributed:
    settings = every_workspace(api_url, database_url)
    return build_distributed(settings, LiveEngine(engine), main, web_client(settings))
