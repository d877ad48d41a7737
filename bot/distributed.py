"""`pmbot serve` for every workspace that installs pmbot (SLACK_CLIENT_ID set): the
same app, listeners and features as for one workspace, with Bolt's OAuth flow, each
request served by its workspace's services (bot/workspaces/), uninstalls that delete,
and tips posted with each workspace's own token. docs/workspaces.md says how to
switch; single-workspace serving (bot/serving.py) is unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.live import LiveEngine
from bot.compose import for_workspaces
from bot.config import ConfigError, Settings
from bot.slack.app import build_app, web_client
from bot.slack.resilience import first_line
from bot.store.database import Store
from bot.workspaces.installations import stored_authorize
from bot.workspaces.installs import installed
from bot.workspaces.legacy import move_single_workspace_data
from bot.workspaces.oauth import INSTALL_PATH, installation_store, oauth_settings
from bot.workspaces.posting import EveryWorkspace
from bot.workspaces.stores import check_url
from bot.workspaces.tenants import Workspaces, key_of
from bot.workspaces.uninstall import Uninstalls, uninstalling

log = logging.getLogger("pmbot.serve")
CREDENTIALS = "Basic Information → App Credentials"


@dataclass
class Distributed:
    app: App
    workspaces: Workspaces
    posting: EveryWorkspace


def build_distributed(
    settings: Settings, live: LiveEngine, main: Store, client: WebClient | None = None
) -> Distributed:
    """The app serving every installed workspace, on `main` (pmbot's database); the
    data of a database that served one workspace moves to that workspace's first."""
    check_url(settings.database_url)
    move_single_workspace_data(main, settings.database_url)
    client_id = settings.client_id or ""
    client = client or web_client(settings)
    installations = installation_store(settings, main)
    workspaces = for_workspaces(live, main, settings.database_url, client_id)
    oauth = oauth_settings(settings, installations, main)
    authorize = stored_authorize(installations, oauth, client)
    app = build_app(
        settings,
        workspaces.storeless,
        client=client,
        oauth=oauth,
        authorize=authorize,
        services_for=lambda context, body: workspaces.deps_for(
            None if uninstalling(body) else key_of(context)
        ),
    )
    uninstalls = Uninstalls(workspaces, installations)
    app.event("app_uninstalled")(uninstalls.app_uninstalled)
    app.event("tokens_revoked")(uninstalls.tokens_revoked)
    # The tip poster refreshes tokens with the rotator requests use (its client, its app).
    rotator = authorize.token_rotator
    assert rotator is not None  # the client id and secret are set: Bolt made one
    return Distributed(app, workspaces, EveryWorkspace(workspaces, installations, rotator, client))


def check_credentials(settings: Settings, client: WebClient) -> str:
    """Slack accepts SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: exchanging a code that
    is not one is refused as `invalid_code` only when both are right."""
    try:
        client.oauth_v2_access(
            client_id=settings.client_id or "",
            client_secret=settings.client_secret or "",
            code="pmbot-credentials-check",
        )
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "error"
        if code == "invalid_code":
            return f"ok: Slack accepted SLACK_CLIENT_ID {settings.client_id} and its secret"
        if code == "invalid_client_id":
            raise ConfigError(f"SLACK_CLIENT_ID was rejected by Slack; {CREDENTIALS}") from error
        if code == "bad_client_secret":
            raise ConfigError(
                f"SLACK_CLIENT_SECRET was rejected by Slack; copy it again ({CREDENTIALS})"
            ) from error
        raise ConfigError(f"SLACK_CLIENT_ID could not be checked: Slack said {code}") from error
    except Exception as error:  # URLError, timeouts
        api = settings.api_url or "https://slack.com/api/"
        raise ConfigError(
            f"cannot reach Slack's Web API at {api} to check SLACK_CLIENT_ID "
            f"({first_line(error)}); check the network or SLACK_API_URL"
        ) from error
    raise ConfigError("SLACK_CLIENT_ID could not be checked: Slack exchanged a made-up code")


def installed_line(settings: Settings, main: Store) -> str:
    count = len(installed(main, settings.client_id or ""))
    return (
        f"ok: serving every workspace that installs pmbot: {count} installed; "
        f"the install page is {INSTALL_PATH}"
    )


def check_lines(settings: Settings, main: Store) -> list[str]:
    """`pmbot serve --check`'s lines serving every workspace: credentials, installs."""
    return [check_credentials(settings, web_client(settings)), installed_line(settings, main)]


def serve_workspaces(
    settings: Settings, live: LiveEngine, main: Store, ready: Callable[[], str | None]
) -> int:
    """Serve until stopped; the caller opened `main` and closes it."""
    from bot.slack.server import SHUTDOWN_SECONDS, serve_http
    from bot.tips.scheduler import TipScheduler

    client = web_client(settings)
    log.info("%s", check_credentials(settings, client))
    served = build_distributed(settings, live, main, client)
    log.info("%s", installed_line(settings, main))
    live.start()
    served.workspaces.start()
    scheduler = TipScheduler(served.posting).start()
    try:
        serve_http(served.app, settings, ready=ready)
    finally:
        deadline = time.monotonic() + SHUTDOWN_SECONDS
        log.info("stopping: finishing replies and tips in flight")
        scheduler.request_stop()
        served.workspaces.close(SHUTDOWN_SECONDS / 2)
        served.workspaces.storeless.close(max(0.1, deadline - time.monotonic()))
        live.stop()
        if not scheduler.stop(max(0.1, deadline - time.monotonic())):
            log.warning("a tip post was still in flight; its claim is taken over later")
        log.info("stopped")
    return 0
