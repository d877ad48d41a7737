from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, environment, load_settings

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert not settings.has_slack_tokens


def test_default_database_is_in_the_user_data_directory_not_the_current_one() -> None:
    assert load_settings({"HOME": "/home/ada"}).database_url == (
        "sqlite:////home/ada/.local/share/pmbot/pmbot.sqlite3"
    )
    xdg = {"HOME": "/home/ada", "XDG_DATA_HOME": "/var/lib/ada"}
    assert load_settings(xdg).database_url == "sqlite:////var/lib/ada/pmbot/pmbot.sqlite3"
    assert load_settings({}).database_url == "sqlite:///data/pmbot.sqlite3"  # nowhere else


def test_forced_http_does_not_suggest_socket_mode() -> None:
    both = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    with pytest.raises(ConfigError) as caught:
        both.require_for_serving(socket_mode=False)
    assert str(caught.value) == (
        "SLACK_SIGNING_SECRET is not set (HTTP mode needs it: Basic Information → "
        "App Credentials; see .env.example)"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}).require_for_serving()
    assert str(caught.value) == (
        "SLACK_SIGNING_SECRET is not set (HTTP mode needs it: Basic Information → "
        "App Credentials; or set SLACK_APP_TOKEN for Socket Mode; see .env.example)"
    )


def test_full_settings() -> None:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": "xapp-1",
            "PORT": "8080",
            "LOG_LEVEL": "debug",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "DATABASE_URL": "postgresql://localhost/test",
        }
    )
    assert settings.socket_mode
    assert (settings.port, settings.log_level) == (8080, "DEBUG")
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql://localhost/test"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxp-123"},
            "SLACK_BOT_TOKEN must be a bot token starting with xoxb-",
        ),
        (
            {"SLACK_APP_TOKEN": "xoxb-1"},
            "SLACK_APP_TOKEN must be an app-level token starting with xapp-",
        ),
        (
            {"SLACK_SIGNING_SECRET": "abc"},
            "SLACK_SIGNING_SECRET is too short (3 characters; Slack's have 32); copy it from "
            "Basic Information → App Credentials → Signing Secret",
        ),
        (
            {"SLACK_SIGNING_SECRET": "8f742231b10e8888 abcd99yyyzzz85a5"},
            "SLACK_SIGNING_SECRET contains a space or line break; copy it from "
            "Basic Information → App Credentials → Signing Secret",
        ),
        ({"PORT": "http"}, "PORT must be a number from 1 to 65535, not 'http'"),
        ({"PORT": "70000"}, "PORT must be a number from 1 to 65535, not '70000'"),
        (
            {"LOG_LEVEL": "LOUD"},
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'",
        ),
        (
            {"SLACK_API_URL": "slack.com/api"},
            "SLACK_API_URL must be an http(s) URL, not 'slack.com/api'",
        ),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with sqlite:/// or postgresql://"),
        (
            {"PMBOT_CURATORS": "U123, @alice"},
            "PMBOT_CURATORS must be Slack user ids (U…, W…) or user group ids (S…), "
            "comma-separated, not '@alice'",
        ),
        (
            {"PMBOT_CURATORS": "u123"},
            "PMBOT_CURATORS must be Slack user ids (U…, W…) or user group ids (S…), "
            "comma-separated, not 'u123'",
        ),
        (
            {"PMBOT_EXPERTS_CHANNEL": "#pm-experts"},
            "PMBOT_EXPERTS_CHANNEL must be a channel id (C… or G…: the channel's details, "
            "at the bottom), not '#pm-experts'",
        ),
    ],
)
def test_malformed_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert str(caught.value) == message


def test_serving_needs_a_bot_token_and_a_secret_for_http() -> None:
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN is not set"):
        load_settings({}).require_for_serving()
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET is not set"):
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}).require_for_serving()
    load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}).require_for_serving()
    load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SECRET}
    ).require_for_serving()


def test_environment_reads_dotenv_and_real_variables_win(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=4000\nLOG_LEVEL=WARNING\n# comment\n", encoding="utf-8")
    merged = environment({"PORT": "5000"}, dotenv=dotenv)
    assert merged["PORT"] == "5000"
    assert merged["LOG_LEVEL"] == "WARNING"


def test_environment_without_dotenv(tmp_path: Path) -> None:
    assert environment({"A": "1"}, dotenv=tmp_path / "missing") == {"A": "1"}


def test_the_experts_channel_is_a_channel_id() -> None:
    assert load_settings({"PMBOT_EXPERTS_CHANNEL": " C0EXPERTS "}).experts_channel == "C0EXPERTS"
    assert load_settings({"PMBOT_EXPERTS_CHANNEL": "G0PRIVATE"}).experts_channel == "G0PRIVATE"
    assert load_settings({}).experts_channel is None


def test_curators_are_user_and_group_ids() -> None:
    settings = load_settings({"PMBOT_CURATORS": " U0123ABC, W999,S0PMS ,"})
    assert settings.curators == ("U0123ABC", "W999", "S0PMS")
    assert load_settings({"PMBOT_CURATORS": " "}).curators == ()


CLIENT = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "0123456789abcdef0123"}


def test_a_client_id_serves_every_workspace() -> None:
    settings = load_settings(CLIENT | {"SLACK_SIGNING_SECRET": SECRET})
    assert settings.distributed and settings.has_slack_tokens
    settings.require_for_serving()
    assert not load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}).distributed


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SLACK_CLIENT_ID": "1111.2222"},
            "SLACK_CLIENT_SECRET is not set; SLACK_CLIENT_ID needs it "
            "(Basic Information → App Credentials)",
        ),
        (
            {"SLACK_CLIENT_SECRET": "0123456789abcdef0123"},
            "SLACK_CLIENT_ID is not set; SLACK_CLIENT_SECRET needs it "
            "(Basic Information → App Credentials)",
        ),
        (
            CLIENT | {"SLACK_CLIENT_ID": "A0123"},
            "SLACK_CLIENT_ID must be digits, a dot and digits "
            "(Basic Information → App Credentials), not 'A0123'",
        ),
        (
            CLIENT | {"SLACK_CLIENT_SECRET": "short"},
            "SLACK_CLIENT_SECRET does not look like Slack's; copy it again "
            "(Basic Information → App Credentials)",
        ),
    ],
)
def test_client_settings_come_in_pairs(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: unset SLACK_BOT_TOKEN to serve "
            "every workspace that installs pmbot, or SLACK_CLIENT_ID to serve one",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1"},
            "SLACK_APP_TOKEN is set, but installs through SLACK_CLIENT_ID are served over HTTP "
            "only (as Slack's Marketplace requires): unset SLACK_APP_TOKEN",
        ),
        (
            {"PMBOT_CURATORS": "U0ANNA"},
            "PMBOT_CURATORS names one workspace's people or channel; unset it when serving "
            "every workspace through SLACK_CLIENT_ID (docs/workspaces.md)",
        ),
        (
            {"SLACK_SIGNING_SECRET": ""},
            "SLACK_SIGNING_SECRET is not set (installs through SLACK_CLIENT_ID are served over "
            "HTTP: Basic Information → App Credentials)",
        ),
    ],
)
def test_serving_every_workspace_needs_its_own_settings(
    extra: dict[str, str], message: str
) -> None:
    settings = load_settings(CLIENT | {"SLACK_SIGNING_SECRET": SECRET} | extra)
    with pytest.raises(ConfigError) as caught:
        settings.require_for_serving()
    assert str(caught.value) == message
