"""Every listener, registered in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence

from slack_bolt import App

from bot.slack.blocks import ASK_EXAMPLE, DID_YOU_MEAN, FEEDBACK_DOWN, FEEDBACK_UP, SHARE
from bot.slack.listeners import (
    actions,
    assistant,
    commands,
    events,
    shortcuts,
)
from bot.slack.services import Feature


def register(app: App, features: Sequence[Feature] = ()) -> None:
    # Each feature's own buttons and events first: Bolt runs the first listener that
    # matches, so a feature's narrower `message` listener (thread replies in a
    # channel: bot/handoff) must come before the catch-all one below.
    for feature in features:
        feature.register(app)
    app.command("/pm")(commands.handle_pm_command)
    app.event("app_mention")(events.handle_app_mention)
    app.event("message")(events.handle_message)
    app.event("app_home_opened")(events.handle_app_home_opened)
    app.action(FEEDBACK_UP)(actions.handle_feedback)
    app.action(FEEDBACK_DOWN)(actions.handle_feedback)
    app.action(SHARE)(actions.handle_share)
    app.action(re.compile(rf"^{DID_YOU_MEAN}_\d+$"))(actions.handle_pick_topic)
    app.action(re.compile(rf"^{ASK_EXAMPLE}_\d+$"))(actions.handle_pick_topic)
    app.shortcut(shortcuts.ASK_PMBOT)(shortcuts.handle_ask_pmbot)
    app.event("app_context_changed")(assistant.handle_app_context_changed)
    app.middleware(assistant.log_thread_edits)
    app.use(assistant.assistant())  # the AI-app pane; takes DM thread replies (see there)
