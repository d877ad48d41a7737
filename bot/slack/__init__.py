"""The Slack surface: a Bolt app, its listeners, and the ways to serve it."""
