"""Daily tips: the schedule (pure), the tip store, the exactly-once poster and its
scheduler thread, the wording of `/pm tips`, and `/pm tips` in Slack (feature.py)."""
