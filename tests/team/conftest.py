"""The listener tests' fixtures (tests/slack/conftest.py): a real Bolt App on a
SQLite store, with the Web API stand-in. The store tests here bring their own."""

from tests.slack.conftest import api, app, clock, store  # noqa: F401
