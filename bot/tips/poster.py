"""Daily tips: posting each channel's tip exactly once (the schedule is in schedule.py).

How "exactly once" holds, with any number of processes and crashes:

1. Claim. Before posting, a process inserts the row (channel, local date) into
   pmbot_tip_posts. That pair is the primary key, so of two schedulers racing,
   one insert succeeds and the other gets an integrity error and moves on. The
   database decides, not memory; a restart changes nothing.
2. Post. Only the claimant posts, and the message carries metadata naming the
   local date (`pmbot_daily_tip`), so a post can be recognised later.
3. Record. The claimant marks the row `posted` (only while it still holds the
   claim token).

A crash between 1 and 3 leaves a `claimed` row. Once its lease has run out,
another run takes it over with a compare-and-swap on the token (again only one
wins), then reads the channel's history since the claim: if the crashed process
had posted, the message is found by its metadata and the row is recorded as
posted; if not, the tip is posted now. So the day is neither skipped nor posted
twice. A post that fails (Slack error, network) marks the row `failed` with a
retry time later the same day; channel errors that will not heal on their own
(`channel_not_found`, `not_in_channel`, `is_archived`) pause the subscription.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.tips.records import Subscription
from bot.tips.schedule import choose_tip, due_date, next_post_at
from bot.tips.store import TipStore

# History scopes not granted: no history to check, ever (not a passing failure).
NO_HISTORY_SCOPE = ("missing_scope", "no_permission")
log = logging.getLogger("pmbot.tips")

METADATA_EVENT = "pmbot_daily_tip"
PAUSING_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
LEASE = timedelta(minutes=10)  # far longer than a post takes, even with 429 retries
RETRY_DELAY = timedelta(minutes=15)


def next_tip_at(tips: TipStore, sub: Subscription, now: datetime) -> datetime:
    """next_post_at, knowing whether today's (local) tip already went out."""
    local_date = now.astimezone(ZoneInfo(sub.timezone)).date().isoformat()
    row = tips.tip_post(sub.channel_id, local_date)
    return next_post_at(sub, now, posted_today=bool(row and row.state == "posted"))


@dataclass
class RunReport:
    posted: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"posted {len(self.posted)}, recovered {len(self.recovered)}, "
            f"failed {len(self.failed)}, paused {len(self.paused)}"
        )


# How a tip becomes a Slack message (text, optional "learn more" topic → message
# dict). The Slack layer hands it in, so tips depend on no Slack module of ours.
Render = Callable[[str, Topic | None], dict[str, Any]]


class TipPoster:
    def __init__(
        self,
        tips: TipStore,
        client: WebClient,
        kb: KnowledgeBase | Callable[[], KnowledgeBase],
        render: Render,
        lease: timedelta = LEASE,
        retry_delay: timedelta = RETRY_DELAY,
    ) -> None:
        self.tips = tips
        self.client = client
        self._kb = kb
        self.render = render
        self.lease = lease
        self.retry_delay = retry_delay

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge of this moment: given a function, a hot reload's tips are used
        from the next post on."""
        return self._kb if isinstance(self._kb, KnowledgeBase) else self._kb()

    def run_due(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> RunReport:
        """Post every due tip; once `stopping()` (shutdown), start no further channel."""
        report = RunReport()
        for sub in self.tips.all_subscriptions():
            if stopping():
                break
            try:
                self._run_one(sub, now, report)
            except Exception as error:  # one channel's trouble must not stop the others
                log.error("tip for %s failed: %s: %s", sub.channel_id, type(error).__name__, error)
                report.failed.append(sub.channel_id)
        return report

    def _run_one(self, sub: Subscription, now: datetime, report: RunReport) -> None:
        day = due_date(sub, now)
        if day is None:
            return
        local_date, stamp, token = day.isoformat(), now.timestamp(), str(uuid.uuid4())
        row = self.tips.tip_post(sub.channel_id, local_date)
        if row is None:
            tip_id, round_ = choose_tip(
                self.kb.tips, sub.channel_id, self.tips.history(sub.channel_id)
            )
            if self.tips.claim(sub.channel_id, local_date, tip_id, round_, token, stamp):
                self._deliver(sub, local_date, tip_id, token, now, None, report)
            return
        stale = row.state == "claimed" and stamp - row.claimed_at >= self.lease.total_seconds()
        retry = (
            row.state == "failed"
            and row.next_attempt_at is not None  # None: paused, never retried
            and stamp >= row.next_attempt_at
        )
        if (stale or retry) and self.tips.take_over(sub.channel_id, local_date, row, token, stamp):
            self._deliver(sub, local_date, row.tip_id, token, now, row.claimed_at, report)

    def _deliver(
        self,
        sub: Subscription,
        local_date: str,
        tip_id: str,
        token: str,
        now: datetime,
        earlier_claim: float | None,
        report: RunReport,
    ) -> None:
        channel, stamp = sub.channel_id, now.timestamp()
        try:
            if earlier_claim is not None:
                found = self._posted_if_readable(channel, local_date, earlier_claim - 60)
                if found:
                    self.tips.mark_posted(channel, local_date, token, found, stamp)
                    # No channel id at INFO (docs/deploy.md, logs); DEBUG names it.
                    log.info("a tip for %s was already posted; recorded", local_date)
                    log.debug("... in %s", channel)
                    report.recovered.append(channel)
                    return
            response = self.client.chat_postMessage(
                channel=channel,
                **self._message(tip_id),
                metadata={
                    "event_type": METADATA_EVENT,
                    "event_payload": {"local_date": local_date, "tip_id": tip_id},
                },
            )
        except SlackApiError as error:
            code = str(error.response.get("error") or "slack_error")
            if code in PAUSING_ERRORS:
                self.tips.pause(channel, code)
                self.tips.mark_failed(channel, local_date, token, code, None)
                log.warning("tips paused for %s: %s", channel, code)
                report.paused.append(channel)
                return
            self._failed(channel, local_date, token, code, stamp, report)
            return
        except OSError as error:  # connection trouble after the client's own retries
            self._failed(channel, local_date, token, type(error).__name__, stamp, report)
            return
        self.tips.mark_posted(channel, local_date, token, str(response.get("ts") or ""), stamp)
        log.info("tip %s posted for %s", tip_id, local_date)
        log.debug("... in %s", channel)
        report.posted.append(channel)

    def _failed(
        self, channel: str, local_date: str, token: str, code: str, stamp: float, report: RunReport
    ) -> None:
        retry_at = stamp + self.retry_delay.total_seconds()
        self.tips.mark_failed(channel, local_date, token, code, retry_at)
        log.warning("tip for %s failed (%s); will retry later today", channel, code)
        report.failed.append(channel)

    def _posted_if_readable(self, channel: str, local_date: str, oldest: float) -> str | None:
        """_posted_since, when pmbot may read history at all. channels:history and
        groups:history are optional scopes (manifest.yml): without them a tip cut
        short by a crash is posted again rather than checked for (at worst twice
        that day), instead of never. A transient failure still means retry later."""
        try:
            return self._posted_since(channel, local_date, oldest)
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            if code not in NO_HISTORY_SCOPE:
                raise
            log.warning(
                "cannot read %s's history (%s) to see whether the tip of %s went out before "
                "a crash; posting it (add channels:history and groups:history to avoid a "
                "repeat)",
                channel,
                code,
                local_date,
            )
            return None

    def _posted_since(self, channel: str, local_date: str, oldest: float) -> str | None:
        """The ts of our tip for `local_date` in the channel since `oldest`, if any."""
        cursor = None
        for _ in range(10):  # a day of a busy channel; bounded
            page = self.client.conversations_history(
                channel=channel,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if (
                    meta.get("event_type") == METADATA_EVENT
                    and payload.get("local_date") == local_date
                ):
                    return str(message.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _message(self, tip_id: str) -> dict[str, Any]:
        tip = next((t for t in self.kb.tips if t.id == tip_id), None)
        if tip is None:  # the tip was removed from the knowledge base since the claim
            tip = self.kb.tips[0]
        return self.render(tip.text, self.kb.topics.get(tip.topic or ""))
