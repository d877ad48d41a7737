"""Answering: knowledge files → model → normaliser → index → engine → evaluation.
Nothing here imports Slack, a web framework or a database library (a test holds it)."""
