"""A channel's subscription and a day's tip post, as read from the tip tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TipState = Literal["claimed", "posted", "failed"]


@dataclass(frozen=True)
class Subscription:
    channel_id: str
    post_time: str  # "HH:MM", local to `timezone`
    timezone: str
    weekdays_only: bool
    active: bool
    paused_reason: str | None
    created_by: str
    active_since: float = 0.0


@dataclass(frozen=True)
class TipPost:
    channel_id: str
    local_date: str
    tip_id: str
    round: int
    state: TipState
    claim_token: str
    claimed_at: float
    attempts: int
    next_attempt_at: float | None
    message_ts: str | None
