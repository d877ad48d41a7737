"""Daily tips: the schedule (pure), the tip store, the exactly-once poster and its
scheduler thread, and the wording of `/pm tips`. The Slack checks of `/pm tips`
(channel membership, the user's time zone) stay in bot/slack/listeners/commands.py."""
