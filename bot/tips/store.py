"""Tip subscriptions and the per-channel, per-day claim table (see poster.py)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.engine import count_by
from bot.store.protocols import SqlDatabase
from bot.tips.records import Subscription, TipPost
from bot.tips.tables import subscriptions, tip_posts

Record = TypeVar("Record", Subscription, TipPost)


def _record(cls: type[Record], row: Any) -> Record:
    """A dataclass from a row whose columns include its fields (SQLAlchemy has
    already turned them into Python bools, floats and ints on both databases)."""
    mapping = row._mapping
    return cls(**{f.name: mapping[f.name] for f in fields(cls)})


class TipStore:
    def __init__(self, db: SqlDatabase) -> None:
        self.db = db

    # --- subscriptions -----------------------------------------------------------
    def subscribe(
        self,
        channel: str,
        post_time: str,
        timezone: str,
        weekdays_only: bool,
        user: str,
        now: float | None = None,
    ) -> Subscription:
        """Create or change a channel's subscription; tips start at the next slot after `now`."""
        values = {
            "active_since": self.db.clock() if now is None else now,
            "post_time": post_time,
            "timezone": timezone,
            "weekdays_only": weekdays_only,
            "active": True,
            "paused_reason": None,
            "created_by": user,
            "updated_at": self.db.clock(),
        }
        with self.db.begin() as conn:
            changed = conn.execute(
                update(subscriptions).where(subscriptions.c.channel_id == channel).values(**values)
            ).rowcount
            if not changed:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(subscriptions).values(channel_id=channel, **values))
                except IntegrityError:  # subscribed a moment ago by someone else: update it
                    conn.execute(
                        update(subscriptions)
                        .where(subscriptions.c.channel_id == channel)
                        .values(**values)
                    )
        found = self.subscription(channel)
        assert found is not None
        return found

    def unsubscribe(self, channel: str) -> bool:
        with self.db.begin() as conn:
            return bool(
                conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.channel_id == channel)
                    .where(subscriptions.c.active.is_(True))
                    .values(active=False, paused_reason=None, updated_at=self.db.clock())
                ).rowcount
            )

    def pause(self, channel: str, reason: str) -> None:
        with self.db.begin() as conn:
            conn.execute(
                update(subscriptions)
                .where(subscriptions.c.channel_id == channel)
                .values(active=False, paused_reason=reason[:64], updated_at=self.db.clock())
            )

    def subscription(self, channel: str) -> Subscription | None:
        with self.db.connect() as conn:
            row = conn.execute(
                select(subscriptions).where(subscriptions.c.channel_id == channel)
            ).first()
        return _record(Subscription, row) if row else None

    def all_subscriptions(self, active_only: bool = True) -> list[Subscription]:
        query = select(subscriptions).order_by(subscriptions.c.channel_id)
        if active_only:
            query = query.where(subscriptions.c.active.is_(True))
        with self.db.connect() as conn:
            return [_record(Subscription, row) for row in conn.execute(query).all()]

    # --- the claim table -------------------------------------------------------------
    def tip_post(self, channel: str, local_date: str) -> TipPost | None:
        with self.db.connect() as conn:
            row = conn.execute(
                select(tip_posts)
                .where(tip_posts.c.channel_id == channel)
                .where(tip_posts.c.local_date == local_date)
            ).first()
        return _record(TipPost, row) if row else None

    def history(self, channel: str) -> list[TipPost]:
        with self.db.connect() as conn:
            rows = conn.execute(
                select(tip_posts)
                .where(tip_posts.c.channel_id == channel)
                .order_by(tip_posts.c.local_date)
            ).all()
        return [_record(TipPost, row) for row in rows]

    def claim(
        self, channel: str, local_date: str, tip_id: str, round_: int, token: str, now: float
    ) -> bool:
        """Insert the day's row; the primary key lets exactly one claimant win."""
        try:
            with self.db.begin() as conn:
                conn.execute(
                    insert(tip_posts).values(
                        channel_id=channel,
                        local_date=local_date,
                        tip_id=tip_id,
                        round=round_,
                        state="claimed",
                        claim_token=token,
                        claimed_at=now,
                        attempts=1,
                    )
                )
            return True
        except IntegrityError:
            return False

    def take_over(
        self, channel: str, local_date: str, expected: TipPost, token: str, now: float
    ) -> bool:
        """Compare-and-swap: claim a stale or failed row only if nobody else just did."""
        return self._update_if_held(
            channel,
            local_date,
            expected.claim_token,
            expected.state,
            state="claimed",
            claim_token=token,
            claimed_at=now,
            attempts=expected.attempts + 1,
            next_attempt_at=None,
        )

    def _update_if_held(
        self, channel: str, local_date: str, token: str, in_state: str | None, **values: Any
    ) -> bool:
        """Update the day's row only while `token` holds it (and it is `in_state`)."""
        query = (
            update(tip_posts)
            .where(tip_posts.c.channel_id == channel)
            .where(tip_posts.c.local_date == local_date)
            .where(tip_posts.c.claim_token == token)
        )
        if in_state is not None:
            query = query.where(tip_posts.c.state == in_state)
        with self.db.begin() as conn:
            return conn.execute(query.values(**values)).rowcount == 1

    def mark_posted(self, channel: str, local_date: str, token: str, ts: str, now: float) -> bool:
        return self._update_if_held(
            channel,
            local_date,
            token,
            None,
            state="posted",
            message_ts=ts,
            posted_at=now,
            error=None,
        )

    def mark_failed(
        self, channel: str, local_date: str, token: str, error: str, retry_at: float | None
    ) -> bool:
        return self._update_if_held(
            channel,
            local_date,
            token,
            None,
            state="failed",
            error=error[:64],
            next_attempt_at=retry_at,
        )

    def last_posted(self, channel: str) -> TipPost | None:
        with self.db.connect() as conn:
            row = conn.execute(
                select(tip_posts)
                .where(tip_posts.c.channel_id == channel)
                .where(tip_posts.c.state == "posted")
                .order_by(tip_posts.c.local_date.desc())
                .limit(1)
            ).first()
        return _record(TipPost, row) if row else None

    def post_counts(self, since: float = 0.0) -> dict[str, int]:
        """Tip posts claimed since `since`, by state (posted, failed, claimed)."""
        return count_by(self.db.connect, tip_posts.c.state, tip_posts.c.claimed_at >= since)
