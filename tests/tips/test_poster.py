"""The tip scheduler with an injected clock, real databases and the Web API stand-in."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.answers.knowledge import KnowledgeBase, Tip
from bot.config import Settings
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.app import web_client
from bot.store.database import Store
from bot.tips.feature import tip_poster
from bot.tips.poster import METADATA_EVENT, TipPoster
from bot.tips.records import Subscription, TipPost
from bot.tips.schedule import choose_tip, due_date, next_post_at
from bot.tips.store import TipStore


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sub(
    zone: str, time: str = "09:00", weekdays_only: bool = True, channel: str = "C1"
) -> Subscription:
    return Subscription(channel, time, zone, weekdays_only, True, None, "U1")


# --- when is a channel due? (pure) -------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2027-03-26T07:59:00Z", None),  # Fri 08:59 CET
        ("2027-03-26T08:00:00Z", "2027-03-26"),  # Fri 09:00 CET
        ("2027-03-29T06:59:00Z", None),  # Mon 08:59 CEST (after the switch)
        ("2027-03-29T07:00:00Z", "2027-03-29"),  # Mon 09:00 CEST
        ("2027-03-27T08:30:00Z", None),  # Saturday
        ("2027-11-01T07:59:00Z", None),  # Mon 08:59 CET (after the switch back)
        ("2027-11-01T08:00:00Z", "2027-11-01"),
        ("2027-03-29T22:30:00Z", None),  # Tuesday 00:30 in Berlin: not yet
    ],
)
def test_due_date_in_berlin_across_dst(now: str, expected: str | None) -> None:
    day = due_date(sub("Europe/Berlin"), at(now))
    assert (day.isoformat() if day else None) == expected


def test_local_date_not_utc_date_counts() -> None:
    tuesday_early = at("2027-03-29T22:30:00Z")  # Tuesday 00:30 in Berlin
    assert due_date(sub("Europe/Berlin", "00:15"), tuesday_early).isoformat() == "2027-03-30"


def test_first_tip_is_the_first_slot_after_subscribing() -> None:
    late = Subscription(
        "C1",
        "09:00",
        "Europe/Berlin",
        True,
        True,
        None,
        "U1",
        active_since=at("2027-03-29T07:30:00Z").timestamp(),
    )  # Mon 09:30
    assert due_date(late, at("2027-03-29T08:00:00Z")) is None
    assert due_date(late, at("2027-03-30T07:00:00Z")).isoformat() == "2027-03-30"
    assert next_post_at(late, at("2027-03-29T08:00:00Z"), False) == at("2027-03-30T07:00:00Z")


def test_daily_includes_weekends() -> None:
    assert due_date(sub("Europe/Berlin", weekdays_only=False), at("2027-03-27T08:30:00Z"))


def test_time_skipped_by_dst_still_posts_that_day() -> None:
    # 02:30 does not exist in Berlin on 2027-03-28; 03:00 CEST is after it.
    assert due_date(sub("Europe/Berlin", "02:30", False), at("2027-03-28T01:00:00Z"))


def test_channels_in_different_zones_have_their_own_dates() -> None:
    now = at("2027-03-29T23:30:00Z")
    tokyo = due_date(sub("Asia/Tokyo", "08:00"), now)  # Tue 08:30
    los_angeles = due_date(sub("America/Los_Angeles", "16:00"), now)  # Mon 16:30
    assert (tokyo.isoformat(), los_angeles.isoformat()) == ("2027-03-30", "2027-03-29")


def test_next_post_at_skips_the_weekend_and_done_days() -> None:
    friday_after = at("2027-03-26T10:00:00Z")
    assert next_post_at(sub("Europe/Berlin"), friday_after, posted_today=True) == datetime(
        2027, 3, 29, 9, 0, tzinfo=next_post_at(sub("Europe/Berlin"), friday_after, True).tzinfo
    )
    assert next_post_at(sub("Europe/Berlin"), at("2027-03-26T07:00:00Z"), False).hour == 8 + 1
    due = at("2027-03-26T10:00:00Z")
    assert next_post_at(sub("Europe/Berlin"), due, posted_today=False) == due


# --- which tip? (pure) --------------------------------------------------------------

TIPS = tuple(Tip(f"t{i}", f"tip {i}") for i in range(5))


def post(tip_id: str, round_: int) -> TipPost:
    return TipPost("C1", "d", tip_id, round_, "posted", "x", 0.0, 1, None, "1.1")


def test_rotation_covers_every_tip_before_repeating() -> None:
    history: list[TipPost] = []
    for _ in range(5):
        tip_id, round_ = choose_tip(TIPS, "C1", history)
        assert round_ == 0
        history.append(post(tip_id, round_))
    assert {p.tip_id for p in history} == {t.id for t in TIPS}
    tip_id, round_ = choose_tip(TIPS, "C1", history)
    assert round_ == 1


def test_rotation_order_differs_per_channel_but_is_stable() -> None:
    assert choose_tip(TIPS, "C1", []) == choose_tip(TIPS, "C1", [])
    firsts = {choose_tip(TIPS, f"C{i}", [])[0] for i in range(20)}
    assert len(firsts) > 1


def test_new_tips_join_the_current_round() -> None:
    history = [post(f"t{i}", 0) for i in range(5)]
    more = (*TIPS, Tip("t5", "tip 5"))
    assert choose_tip(more, "C1", history) == ("t5", 0)


# --- posting (real store, real HTTP to the stand-in) ----------------------------------


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def client(api: WebApiStandIn) -> WebClient:
    return web_client(Settings(bot_token="xoxb-t", api_url=api.base_url))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    yield store
    store.close()


def poster_for(store: Store, client: WebClient, kb: KnowledgeBase) -> TipPoster:
    return tip_poster(TipStore(store), client, kb)


def tips_posted(api: WebApiStandIn, channel: str = "C1") -> list[dict]:
    return [
        c.params
        for c in api.calls_to("chat.postMessage")
        if c.params["channel"] == channel and c.response.get("ok")
    ]


def subscribe(store: Store, channel: str = "C1", zone: str = "Europe/Berlin", **kw) -> None:
    TipStore(store).subscribe(
        channel, kw.get("time", "09:00"), zone, kw.get("weekdays", True), "U1"
    )


def test_a_reloaded_knowledge_base_gives_the_next_tip(
    store: Store, client: WebClient, api: WebApiStandIn, kb: KnowledgeBase
) -> None:
    current = {"kb": kb}
    poster = tip_poster(TipStore(store), client, lambda: current["kb"])
    subscribe(store)
    # Hot reload swaps the knowledge whole; the poster reads it at each post.
    current["kb"] = replace(kb, tips=(Tip("only-tip", "Fresh from the reload."),))
    poster.run_due(at("2027-03-29T07:05:00Z"))
    assert [p["text"] for p in tips_posted(api)] == ["PM tip: Fresh from the reload."]


def test_one_tip_per_local_day(store: Store, client: WebClient, api: WebApiStandIn, kb) -> None:
    subscribe(store)
    poster = poster_for(store, client, kb)
    assert poster.run_due(at("2027-03-29T06:59:00Z")).posted == []
    for minute in range(5, 60, 10):
        poster.run_due(at(f"2027-03-29T07:{minute:02d}:00Z"))
    posted = tips_posted(api)
    assert len(posted) == 1
    assert posted[0]["metadata"]["event_type"] == METADATA_EVENT
    assert posted[0]["metadata"]["event_payload"]["local_date"] == "2027-03-29"
    row = TipStore(store).tip_post("C1", "2027-03-29")
    assert (row.state, row.message_ts) == (
        "posted",
        api.calls_to("chat.postMessage")[0].response["ts"],
    )


def test_no_tip_twice_until_all_seen_across_restarts(
    database_url: str, client: WebClient, api: WebApiStandIn, kb
) -> None:
    store = Store(database_url)
    subscribe(store, weekdays=False)
    store.close()
    day = at("2027-01-01T09:30:00Z")
    seen: list[str] = []
    for n in range(len(kb.tips) + 1):
        restarted = Store(database_url)  # a new process every day
        poster_for(restarted, client, kb).run_due(day + timedelta(days=n))
        restarted.close()
        seen.append(
            TipStore(Store(database_url))
            .tip_post("C1", (day + timedelta(days=n)).date().isoformat())
            .tip_id
        )
    assert len(set(seen[:-1])) == len(kb.tips)
    assert len(tips_posted(api)) == len(kb.tips) + 1


def test_two_schedulers_racing_post_once(
    database_url: str, client: WebClient, api: WebApiStandIn, kb
) -> None:
    store = Store(database_url)
    subscribe(store)
    stores = [Store(database_url) for _ in range(4)]
    start = threading.Barrier(len(stores))
    now = at("2027-03-29T07:05:00Z")

    def run(s: Store) -> None:
        start.wait()
        poster_for(s, client, kb).run_due(now)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(tips_posted(api)) == 1
    for s in [store, *stores]:
        s.close()


def test_crash_after_claim_before_post(
    store: Store, client: WebClient, api: WebApiStandIn, kb
) -> None:
    """The claimant died before posting: the day is neither skipped nor posted early."""
    subscribe(store)
    claimed = at("2027-03-29T07:05:00Z")
    assert TipStore(store).claim("C1", "2027-03-29", kb.tips[0].id, 0, "dead", claimed.timestamp())
    poster = poster_for(store, client, kb)
    poster.run_due(claimed + timedelta(minutes=5))  # lease still running
    assert tips_posted(api) == []
    report = poster.run_due(claimed + timedelta(minutes=11))
    assert report.posted == ["C1"]
    assert tips_posted(api)[0]["metadata"]["event_payload"]["tip_id"] == kb.tips[0].id
    poster.run_due(claimed + timedelta(minutes=30))
    assert len(tips_posted(api)) == 1


def test_crash_after_post_before_record(
    store: Store, client: WebClient, api: WebApiStandIn, kb
) -> None:
    """The claimant posted, then died: the post is found by its metadata, not repeated."""
    subscribe(store)
    claimed = at("2027-03-29T07:05:00Z")
    api.clock = lambda: claimed.timestamp() + 2  # Slack's clock at the time of the post
    TipStore(store).claim("C1", "2027-03-29", kb.tips[0].id, 0, "dead", claimed.timestamp())
    client.chat_postMessage(
        channel="C1",
        text="tip",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"local_date": "2027-03-29"}},
    )
    report = poster_for(store, client, kb).run_due(claimed + timedelta(minutes=11))
    assert report.recovered == ["C1"] and report.posted == []
    assert len(tips_posted(api)) == 1
    assert TipStore(store).tip_post("C1", "2027-03-29").state == "posted"


@pytest.mark.slow  # waits out Slack's retry backoff in real time
def test_rate_limit_is_waited_out(store: Store, client: WebClient, api: WebApiStandIn, kb) -> None:
    subscribe(store)
    api.fail("chat.postMessage", Fault(status=429, error="ratelimited", retry_after=1))
    report = poster_for(store, client, kb).run_due(at("2027-03-29T07:05:00Z"))
    assert report.posted == ["C1"]
    assert [c.response["ok"] for c in api.calls_to("chat.postMessage")] == [False, True]


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_channel_errors_pause_that_channel_only(
    store: Store, client: WebClient, api: WebApiStandIn, kb, error: str, caplog
) -> None:
    subscribe(store, "C1")
    subscribe(store, "C2")
    {
        "channel_not_found": api.state.missing_channels,
        "not_in_channel": api.state.channels_without_bot,
        "is_archived": api.state.archived_channels,
    }[error].add("C1")
    with caplog.at_level(logging.WARNING, logger="pmbot.tips"):
        report = poster_for(store, client, kb).run_due(at("2027-03-29T07:05:00Z"))
    assert (report.paused, report.posted) == (["C1"], ["C2"])
    assert f"tips paused for C1: {error}" in caplog.text
    paused = TipStore(store).subscription("C1")
    assert (paused.active, paused.paused_reason) == (False, error)
    poster_for(store, client, kb).run_due(at("2027-03-29T09:05:00Z"))
    assert len(api.calls_to("chat.postMessage")) == 2  # no new attempt at the paused channel


@pytest.mark.slow  # waits out Slack's retry backoff in real time
def test_failed_post_is_retried_later_that_day(
    store: Store, client: WebClient, api: WebApiStandIn, kb
) -> None:
    subscribe(store)
    api.fail("chat.postMessage", Fault(status=500, error="internal_error", times=3))
    poster = poster_for(store, client, kb)
    first = poster.run_due(at("2027-03-29T07:05:00Z"))
    assert first.failed == ["C1"]
    assert poster.run_due(at("2027-03-29T07:10:00Z")).posted == []  # not before the retry time
    assert poster.run_due(at("2027-03-29T07:21:00Z")).posted == ["C1"]
    assert len(tips_posted(api)) == 1


def test_history_unavailable_means_retry_not_guess(
    store: Store, client: WebClient, api: WebApiStandIn, kb
) -> None:
    subscribe(store)
    claimed = at("2027-03-29T07:05:00Z")
    TipStore(store).claim("C1", "2027-03-29", kb.tips[0].id, 0, "dead", claimed.timestamp())
    api.fail("conversations.history", Fault(error="fatal_error"))
    poster = poster_for(store, client, kb)
    assert poster.run_due(claimed + timedelta(minutes=11)).failed == ["C1"]
    assert tips_posted(api) == []
    assert poster.run_due(claimed + timedelta(minutes=30)).posted == ["C1"]


def test_without_the_history_scopes_a_crashed_claim_is_still_posted(
    store: Store, client: WebClient, api: WebApiStandIn, kb, caplog: pytest.LogCaptureFixture
) -> None:
    """An app installed before channels:history/groups:history were asked for (or
    with them removed): the take-over cannot check for an earlier post, so it
    posts rather than never."""
    subscribe(store)
    claimed = at("2027-03-29T07:05:00Z")
    TipStore(store).claim("C1", "2027-03-29", kb.tips[0].id, 0, "dead", claimed.timestamp())
    api.fail("conversations.history", Fault(error="missing_scope", times=100))
    with caplog.at_level(logging.WARNING, logger="pmbot.tips"):
        report = poster_for(store, client, kb).run_due(claimed + timedelta(minutes=11))
    assert report.posted == ["C1"]
    assert len(tips_posted(api)) == 1
    assert (
        "cannot read C1's history (missing_scope) to see whether the tip of 2027-03-29 went "
        "out before a crash; posting it (add channels:history and groups:history to avoid a "
        "repeat)"
    ) in caplog.text
    # Fresh days never read history: no scope needed at all.
    poster_for(store, client, kb).run_due(at("2027-03-30T07:05:00Z"))
    assert len(tips_posted(api)) == 2
