"""Settings, read from a mapping (the environment plus `.env`), never from globals.

Every problem stops start-up with one line naming the variable, so a wrong
token is found on the first run, not by a user in Slack.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.answers.location import user_dir

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Used only when neither XDG_DATA_HOME nor HOME is known (see default_database_url).
DEFAULT_DATABASE_URL = "sqlite:///data/pmbot.sqlite3"
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")  # a public (C…) or private (G…) channel
SLACK_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")  # a user (U…, W…) or a user group (S…)
SECRET_LENGTH = 32  # Slack's signing secrets are 32 hex characters
CLIENT_ID = re.compile(r"^[0-9]+\.[0-9]+$")  # Slack's app client ids: 1234567890.1234567890


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    port: int = 3000
    host: str = "0.0.0.0"
    log_level: str = "INFO"
    api_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    curators: tuple[str, ...] = ()  # user and user group ids; empty: no curator commands
    experts_channel: str | None = None  # where "Ask a person" goes when no holder is set
    # Distributed mode (docs/workspaces.md): installed into any workspace through OAuth.
    client_id: str | None = None
    client_secret: str | None = None

    @property
    def has_slack_tokens(self) -> bool:
        return bool(self.bot_token or self.app_token or self.client_id)

    @property
    def distributed(self) -> bool:
        """Every workspace that installs pmbot, each with its own token and data."""
        return bool(self.client_id)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def require_for_serving(self, socket_mode: bool | None = None) -> None:
        """Raise ConfigError unless this is enough to talk to Slack. `socket_mode`
        None: the mode follows SLACK_APP_TOKEN; True/False: forced (--socket-mode, --http)."""
        forced = socket_mode is not None
        socket_mode = self.socket_mode if socket_mode is None else socket_mode
        if self.distributed:
            self._require_for_distributed(socket_mode)
            return
        if not self.bot_token:
            raise ConfigError("SLACK_BOT_TOKEN is not set (a bot token, xoxb-…; see .env.example)")
        if socket_mode and not self.app_token:
            raise ConfigError("SLACK_APP_TOKEN is not set (Socket Mode needs an xapp- token)")
        if not socket_mode and not self.signing_secret:
            # Socket Mode is an alternative only when the user did not ask for HTTP.
            other = "" if forced else "; or set SLACK_APP_TOKEN for Socket Mode"
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set (HTTP mode needs it: Basic Information → "
                f"App Credentials{other}; see .env.example)"
            )

    def _require_for_distributed(self, socket_mode: bool) -> None:
        if self.bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: unset SLACK_BOT_TOKEN to "
                "serve every workspace that installs pmbot, or SLACK_CLIENT_ID to serve one"
            )
        if socket_mode:
            raise ConfigError(
                "SLACK_APP_TOKEN is set, but installs through SLACK_CLIENT_ID are served over "
                "HTTP only (as Slack's Marketplace requires): unset SLACK_APP_TOKEN"
            )
        for name, value in (
            ("PMBOT_CURATORS", self.curators),
            ("PMBOT_EXPERTS_CHANNEL", self.experts_channel),
        ):
            if value:
                raise ConfigError(
                    f"{name} names one workspace's people or channel; unset it when serving "
                    "every workspace through SLACK_CLIENT_ID (docs/workspaces.md)"
                )
        if not self.signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set (installs through SLACK_CLIENT_ID are served "
                "over HTTP: Basic Information → App Credentials)"
            )


def environment(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> dict[str, str]:
    """The process environment over `.env` (a real variable wins over the file)."""
    merged: dict[str, str] = {}
    path = dotenv if dotenv is not None else Path(".env")
    if path.is_file():
        from dotenv import dotenv_values  # only with a .env: a cold `pmbot ask` skips it

        merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(os.environ if env is None else env)
    return merged


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _token(env: Mapping[str, str], name: str, prefix: str, what: str) -> str | None:
    value = _optional(env, name)
    if value is not None and (not value.startswith(prefix) or any(c.isspace() for c in value)):
        raise ConfigError(f"{name} must be {what} starting with {prefix}")
    return value


def _curators(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = _optional(env, "PMBOT_CURATORS")
    if raw is None:
        return ()
    ids = tuple(part.strip() for part in raw.split(",") if part.strip())
    for found in ids:
        if not SLACK_ID.match(found):
            raise ConfigError(
                "PMBOT_CURATORS must be Slack user ids (U…, W…) or user group ids (S…), "
                f"comma-separated, not {found!r}"
            )
    return ids


def _experts_channel(env: Mapping[str, str]) -> str | None:
    channel = _optional(env, "PMBOT_EXPERTS_CHANNEL")
    if channel is not None and not CHANNEL_ID.match(channel):
        raise ConfigError(
            "PMBOT_EXPERTS_CHANNEL must be a channel id (C… or G…: the channel's details, "
            f"at the bottom), not {channel!r}"
        )
    return channel


def _client(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: both or neither."""
    where = "Basic Information → App Credentials"
    client_id, secret = _optional(env, "SLACK_CLIENT_ID"), _optional(env, "SLACK_CLIENT_SECRET")
    if client_id is not None and not CLIENT_ID.match(client_id):
        raise ConfigError(
            f"SLACK_CLIENT_ID must be digits, a dot and digits ({where}), not {client_id!r}"
        )
    if client_id is not None and secret is None:
        raise ConfigError(f"SLACK_CLIENT_SECRET is not set; SLACK_CLIENT_ID needs it ({where})")
    if secret is not None and client_id is None:
        raise ConfigError(f"SLACK_CLIENT_ID is not set; SLACK_CLIENT_SECRET needs it ({where})")
    if secret is not None and (any(c.isspace() for c in secret) or len(secret) < 16):
        raise ConfigError(
            f"SLACK_CLIENT_SECRET does not look like Slack's; copy it again ({where})"
        )
    return client_id, secret


def _check_secret(secret: str) -> None:
    where = "copy it from Basic Information → App Credentials → Signing Secret"
    if any(c.isspace() for c in secret):
        raise ConfigError(f"SLACK_SIGNING_SECRET contains a space or line break; {where}")
    if len(secret) < SECRET_LENGTH // 2:
        raise ConfigError(
            f"SLACK_SIGNING_SECRET is too short ({len(secret)} characters; Slack's have "
            f"{SECRET_LENGTH}); {where}"
        )


def default_database_url(env: Mapping[str, str]) -> str:
    """A SQLite file in the user's data directory, whatever directory pmbot runs
    from: $XDG_DATA_HOME/pmbot/, else ~/.local/share/pmbot/."""
    folder = user_dir(env, "XDG_DATA_HOME")
    return f"sqlite:///{folder / 'pmbot.sqlite3'}" if folder else DEFAULT_DATABASE_URL


def load_settings(env: Mapping[str, str]) -> Settings:
    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", "a bot token")
    app_token = _token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token")
    secret = _optional(env, "SLACK_SIGNING_SECRET")
    if secret is not None:
        _check_secret(secret)
    port_text = _optional(env, "PORT") or "3000"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a number from 1 to 65535, not {port_text!r}")
    level = (_optional(env, "LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    api_url = _optional(env, "SLACK_API_URL")
    if api_url is not None:
        parsed = urlparse(api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}")
        api_url = api_url if api_url.endswith("/") else api_url + "/"
    database_url = _optional(env, "DATABASE_URL") or default_database_url(env)
    if not database_url.startswith(("sqlite:", "postgresql:", "postgresql+", "postgres:")):
        raise ConfigError("DATABASE_URL must start with sqlite:/// or postgresql://")
    client_id, client_secret = _client(env)
    return Settings(
        bot_token=bot_token,
        signing_secret=secret,
        app_token=app_token,
        port=int(port_text),
        host=_optional(env, "HOST") or "0.0.0.0",
        log_level=level,
        api_url=api_url,
        database_url=database_url,
        curators=_curators(env),
        experts_channel=_experts_channel(env),
        client_id=client_id,
        client_secret=client_secret,
    )


def _plain_uvicorn_name(record: logging.LogRecord) -> bool:
    """uvicorn logs its ordinary start-up lines as `uvicorn.error`; call it `uvicorn`,
    so "Uvicorn running on …" does not read as an error."""
    if record.name == "uvicorn.error":
        record.name = "uvicorn"
    return True


def configure_logging(level: str) -> None:
    """Our logs at `level`. The Slack libraries print whole payloads in their debug
    and warning lines (Bolt's "Unhandled request" does), so below DEBUG they only
    report errors: a payload may hold user text, and must not reach INFO logs."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_plain_uvicorn_name)
    debugging = level == "DEBUG"
    logging.getLogger("slack_bolt").setLevel(logging.DEBUG if debugging else logging.ERROR)
    logging.getLogger("slack_sdk").setLevel(logging.DEBUG if debugging else logging.WARNING)
