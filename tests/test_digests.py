"""Daily and weekly digests: alerts held until the chat's digest time, then one message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import DigestConfig, LimitsConfig, OutboxConfig
from bot.digest import next_digest_at, parse_quiet, quiet_until
from bot.extract import Gazetteer
from bot.models import ChatRef, DeliveryMode
from bot.outbox import Outbox
from bot.pipeline import Ingestor
from bot.reports import RawDocument
from handlers.commands import Command, CommandService
from storage import SqlStore
from tests.conftest import SEED
from tests.test_pipeline import RecordingTransport

WED_10 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("mode", "now", "expected"),
    [
        pytest.param(DeliveryMode.INSTANT, WED_10, WED_10, id="instant-now"),
        pytest.param(
            DeliveryMode.DAILY,
            WED_10,
            datetime(2026, 11, 26, 7, tzinfo=UTC),
            id="daily-after-the-hour-is-tomorrow",
        ),
        pytest.param(
            DeliveryMode.DAILY,
            datetime(2026, 11, 25, 6, 59, tzinfo=UTC),
            datetime(2026, 11, 25, 7, tzinfo=UTC),
            id="daily-before-the-hour-is-today",
        ),
        pytest.param(
            DeliveryMode.WEEKLY,
            WED_10,
            datetime(2026, 11, 30, 7, tzinfo=UTC),
            id="weekly-next-monday",
        ),
        pytest.param(
            DeliveryMode.WEEKLY,
            datetime(2026, 11, 30, 7, tzinfo=UTC),
            datetime(2026, 12, 7, 7, tzinfo=UTC),
            id="weekly-at-the-hour-is-next-week",
        ),
    ],
)
def test_next_digest_at(mode: DeliveryMode, now: datetime, expected: datetime) -> None:
    assert next_digest_at(mode, now, hour=7, weekday=0) == expected


async def test_a_daily_chat_gets_one_digest_at_its_hour(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    service = CommandService(store, gazetteer, LimitsConfig(), DigestConfig(hour=7))
    chat = ChatRef("console", "desk")
    assert "an alert for each matching report" in service.handle(Command(chat, "mode"), WED_10).text
    reply = service.handle(Command(chat, "mode", "daily"), WED_10).text
    assert reply == "This chat now gets one digest a day at 07:00 UTC."
    service.handle(Command(chat, "subscribe", "Pakistan"), WED_10)
    service.handle(Command(chat, "subscribe", "energy"), WED_10)
    ingestor = Ingestor(store, gazetteer, digests=DigestConfig(hour=7))
    ingestor.ingest([RawDocument(SEED.read_text(), source="APP")], WED_10)
    ingestor.ingest(
        [
            RawDocument(
                "BEIJING, Nov 25 - Chinese Foreign Minister Wang Yi met "
                "Pakistani Foreign Minister Ishaq Dar on energy.",
                "Xinhua",
            )
        ],
        WED_10,
    )
    transport = RecordingTransport()
    box = Outbox(store, {"console": transport}, gazetteer, OutboxConfig())
    assert (await box.drain_once(WED_10)).handled == 0  # held for the digest
    result = await box.drain_once(datetime(2026, 11, 26, 7, tzinfo=UTC))
    assert result.sent == 2
    [(_, message)] = transport.sent
    assert message.card is None
    lines = message.text.splitlines()
    assert lines[0] == "Your daily Readout digest: 2 meeting report(s)"
    # Grouped by the meeting's sides; each line: place, date, people, kind, outlet.
    assert lines[1] == "\U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia"
    assert lines[2].startswith("   1. Tashkent \u00b7 6 Apr 2025 \u00b7 Gilani \u2013 Matviyenko")
    assert "2. " in message.text


async def test_switching_back_to_instant_releases_held_alerts(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    service = CommandService(store, gazetteer, LimitsConfig())
    chat = ChatRef("console", "desk")
    service.handle(Command(chat, "mode", "weekly"), WED_10)
    service.handle(Command(chat, "subscribe", "SCO"), WED_10)
    Ingestor(store, gazetteer).ingest([RawDocument(SEED.read_text(), source="APP")], WED_10)
    reply = service.handle(Command(chat, "mode", "instant"), WED_10).text
    assert reply.endswith("1 held alert(s) will be posted now.")
    transport = RecordingTransport()
    assert (
        await Outbox(store, {"console": transport}, gazetteer, OutboxConfig()).drain_once(WED_10)
    ).sent == 1
    assert transport.sent[0][1].card is not None  # an ordinary alert again
    assert "Usage: /mode" in service.handle(Command(chat, "mode", "hourly"), WED_10).text


def test_next_digest_at_in_the_chats_time_zone() -> None:
    from zoneinfo import ZoneInfo

    karachi = ZoneInfo("Asia/Karachi")  # UTC+5
    assert next_digest_at(DeliveryMode.DAILY, WED_10, hour=7, weekday=0, zone=karachi) == (
        datetime(2026, 11, 26, 2, tzinfo=UTC)  # 07:00 in Karachi
    )
    new_york = ZoneInfo("America/New_York")  # UTC-5 in November
    assert next_digest_at(DeliveryMode.DAILY, WED_10, hour=7, weekday=0, zone=new_york) == (
        datetime(2026, 11, 25, 12, tzinfo=UTC)  # still to come today in New York
    )


def test_timezone_command(store: SqlStore, gazetteer: Gazetteer) -> None:
    service = CommandService(store, gazetteer, LimitsConfig())
    chat = ChatRef("console", "desk")
    assert "follow UTC time" in service.handle(Command(chat, "timezone"), WED_10).text
    reply = service.handle(Command(chat, "timezone", "asia/karachi"), WED_10).text
    assert reply == "This chat's digests now follow Asia/Karachi time."
    typo = service.handle(Command(chat, "timezone", "Asia/Karachy"), WED_10).text
    assert typo == "Unknown time zone 'Asia/Karachy': did you mean Asia/Karachi?"
    service.handle(Command(chat, "mode", "daily"), WED_10)
    assert "07:00 Asia/Karachi" in service.handle(Command(chat, "mode"), WED_10).text
    service.handle(Command(chat, "subscribe", "Pakistan"), WED_10)
    Ingestor(store, gazetteer).ingest([RawDocument(SEED.read_text(), source="APP")], WED_10)
    [delivery] = store.deliveries_for_report(1)
    assert delivery.next_attempt_at == datetime(2026, 11, 26, 2, tzinfo=UTC)


async def test_a_long_digest_is_one_message_that_says_how_many_were_left_out(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    from bot.outbox import DIGEST_MAX_CHARS

    service = CommandService(store, gazetteer, LimitsConfig())
    chat = ChatRef("console", "desk")
    service.handle(Command(chat, "mode", "daily"), WED_10)
    service.handle(Command(chat, "subscribe", "energy"), WED_10)
    ingestor = Ingestor(store, gazetteer)
    countries = sorted(
        e.name
        for e in gazetteer.entities.values()
        if e.id.startswith("country:") and " " not in e.name
    )[:60]
    for n, country in enumerate(countries):  # sixty different meetings
        text = f"MOSCOW, Nov 25 - Russia and {country} discussed energy and oil at length ({n})."
        ingestor.ingest([RawDocument(text, source=f"wire-{n}")], WED_10)
    transport = RecordingTransport()
    result = await Outbox(store, {"console": transport}, gazetteer, OutboxConfig()).drain_once(
        datetime(2026, 11, 26, 7, tzinfo=UTC)
    )
    assert result.sent == 60
    [(_, message)] = transport.sent
    assert len(message.text) <= DIGEST_MAX_CHARS
    assert message.text.splitlines()[-1].endswith("more: /digest lists them all.")


# -- control per subscription and per chat (issue 11, item 6) --------------------------------

PK_RU = (
    "ISLAMABAD, Nov 25 - Pakistani Foreign Minister Ishaq Dar met Russian Foreign Minister "
    "Sergey Lavrov."
)
PK_CN = (
    "ISLAMABAD, Nov 25 - Pakistani Foreign Minister Ishaq Dar met Chinese Foreign Minister Wang Yi."
)
ENERGY = "ASTANA, Nov 25 - Kazakhstan and Uzbekistan signed an energy agreement on gas supplies."


class Desk:
    """One console chat, its commands, ingestion and outbox, on a clock the test moves."""

    def __init__(self, store: SqlStore, gazetteer: Gazetteer, now: datetime) -> None:
        self.store = store
        self.now = now
        self.service = CommandService(store, gazetteer, LimitsConfig())
        self.ingestor = Ingestor(store, gazetteer)
        self.transport = RecordingTransport()
        self.outbox = Outbox(store, {"console": self.transport}, gazetteer, OutboxConfig())
        self.chat = ChatRef("console", "desk")

    def say(self, text: str) -> str:
        name, _, args = text.lstrip("/").partition(" ")
        return self.service.handle(Command(self.chat, name, args), self.now).text

    def report(self, text: str) -> None:
        self.ingestor.ingest([RawDocument(text, source=f"feed-{len(text)}-{self.now}")], self.now)

    async def sent(self) -> list[str]:
        before = len(self.transport.sent)
        await self.outbox.drain_once(self.now)
        return [message.text for _, message in self.transport.sent[before:]]


async def test_a_muted_subscription_is_silent_then_resumes_and_says_so(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    desk = Desk(store, gazetteer, WED_10)
    desk.say("/subscribe Pakistan")
    assert "Muted Pakistan for 1 day, until 26 Nov 10:00 UTC" in desk.say("/mute 1 24h")
    assert "muted until 26 Nov 10:00 UTC" in desk.say("/subscriptions")
    desk.report(PK_RU)
    assert await desk.sent() == []  # muted: nothing
    desk.now = WED_10 + timedelta(days=1)
    assert await desk.sent() == ["Pakistan is no longer muted: its alerts come again."]
    assert await desk.sent() == []  # said once
    desk.report(PK_CN)
    [alert] = await desk.sent()
    assert "matched: Pakistan (side)" in alert
    assert "Usage: /mute" in desk.say("/mute")
    assert "not a duration" in desk.say("/mute 1 soon")
    assert "No subscription number 9" in desk.say("/mute 9 2h")


async def test_resume_before_the_end_drops_the_notice(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    desk = Desk(store, gazetteer, WED_10)
    desk.say("/subscribe Pakistan")
    desk.say("/mute 1 2h")
    assert desk.say("/resume 1") == "Resumed: Pakistan."
    desk.now = WED_10 + timedelta(hours=3)
    assert await desk.sent() == []  # no "no longer muted" for a mute already ended


async def test_pause_and_resume_the_whole_chat(store: SqlStore, gazetteer: Gazetteer) -> None:
    desk = Desk(store, gazetteer, WED_10)
    desk.say("/subscribe Pakistan, energy")
    assert "Paused all alerts of this chat until you /resume" in desk.say("/pause")
    desk.report(PK_RU)
    assert await desk.sent() == []
    assert "Alerts resume in this chat." in desk.say("/resume")
    desk.report(ENERGY)
    assert len(await desk.sent()) == 1
    assert "until 25 Nov 12:00 UTC" in desk.say("/pause 2h")
    desk.now = WED_10 + timedelta(hours=2)  # the pause ends by itself
    desk.report(PK_CN)
    assert len(await desk.sent()) == 1


async def test_one_subscription_daily_the_others_instant(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    desk = Desk(store, gazetteer, WED_10)
    desk.say("/subscribe Pakistan-Russia, energy")
    assert "energy now gets one digest a day at 07:00 UTC" in desk.say("/mode 2 daily")
    assert "2. energy (daily)" in desk.say("/subscriptions")
    desk.report(ENERGY)
    desk.report(PK_RU)
    [alert] = await desk.sent()  # the pair at once; energy waits for the digest
    assert "matched: Pakistan-Russia" in alert
    desk.now = datetime(2026, 11, 26, 7, tzinfo=UTC)
    [held] = await desk.sent()
    assert "matched: energy" in held
    assert "now follows the chat" in desk.say("/mode 2 default")


async def test_quiet_hours_hold_alerts_and_post_them_together(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    night = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    desk = Desk(store, gazetteer, night)
    desk.say("/subscribe Pakistan")
    assert "Quiet hours 22:00-07:00 (UTC" in desk.say("/quiet 22-7")
    desk.report(PK_RU)
    desk.report(PK_CN)
    assert await desk.sent() == []
    desk.now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    [folded] = await desk.sent()
    assert folded.startswith("Held for you: 2 meeting report(s)")
    assert "No more quiet hours" in desk.say("/quiet off")
    assert "not a span of hours" in desk.say("/quiet late")


async def test_ending_quiet_hours_sends_what_they_held_but_not_a_digests_alerts(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    night = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    desk = Desk(store, gazetteer, night)
    desk.say("/subscribe Pakistan-Russia, energy")
    desk.say("/mode 2 daily")
    desk.say("/quiet 22-7")
    desk.report(PK_RU)
    desk.report(PK_CN)  # not a pair the chat follows: nothing
    desk.report(ENERGY)  # the daily subscription: waits for the digest at 07:00
    assert await desk.sent() == []
    assert desk.say("/quiet 23-8").endswith("The alert held goes at 26 Nov 08:00 UTC.")
    assert desk.say("/quiet off") == (
        "No more quiet hours: alerts come at any hour. The alert held goes now."
    )
    [alert] = await desk.sent()
    assert "matched: Pakistan-Russia" in alert
    desk.now = datetime(2026, 11, 26, 7, tzinfo=UTC)
    [digest] = await desk.sent()
    assert "matched: energy" in digest


@pytest.mark.parametrize(
    ("quiet", "now", "until"),
    [
        (
            "22:00-07:00",
            datetime(2026, 11, 25, 23, 0, tzinfo=UTC),
            datetime(2026, 11, 26, 7, tzinfo=UTC),
        ),
        (
            "22:00-07:00",
            datetime(2026, 11, 26, 6, 59, tzinfo=UTC),
            datetime(2026, 11, 26, 7, tzinfo=UTC),
        ),
        ("22:00-07:00", datetime(2026, 11, 26, 7, 0, tzinfo=UTC), None),
        ("22:00-07:00", datetime(2026, 11, 26, 12, 0, tzinfo=UTC), None),
        (
            "12:30-14:00",
            datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
            datetime(2026, 11, 26, 14, tzinfo=UTC),
        ),
        (None, datetime(2026, 11, 26, 13, 0, tzinfo=UTC), None),
    ],
)
def test_quiet_until(quiet: str | None, now: datetime, until: datetime | None) -> None:
    assert quiet_until(quiet, now) == until


def test_quiet_hours_in_the_chats_time_zone() -> None:
    from zoneinfo import ZoneInfo

    karachi = ZoneInfo("Asia/Karachi")  # UTC+5: 23:00 there is 18:00 UTC
    assert quiet_until("22:00-07:00", datetime(2026, 11, 25, 18, 0, tzinfo=UTC), karachi) == (
        datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    )
    assert parse_quiet("22-7") == parse_quiet("22:00 to 07:00") == "22:00-07:00"


RU_PK = (
    "MOSCOW, Nov 25 - Russian President Vladimir Putin received Pakistan's Prime Minister "
    "Shehbaz Sharif in the Kremlin to discuss trade and regional security."
)


async def test_one_group_per_pair_whatever_its_order_with_the_chats_side_first(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    """Pakistan–Russia and Russia–Pakistan are one relationship: one heading, and the side
    the chat follows first, in /digest and in the daily digest message."""
    desk = Desk(store, gazetteer, WED_10)
    desk.say("/subscribe Russia")
    desk.say("/mode daily")
    desk.report(PK_RU)
    desk.report(RU_PK)
    reply = desk.say("/digest today")
    headings = reply.splitlines()[1::3]  # title, then each heading and its two lines
    assert headings == ["\U0001f1f7\U0001f1fa Russia \u2013 \U0001f1f5\U0001f1f0 Pakistan"]
    assert reply.count(". ") >= 2  # both meetings under it
    desk.now = datetime(2026, 11, 26, 7, tzinfo=UTC)
    [daily] = await desk.sent()
    assert daily.count("Russia \u2013 \U0001f1f5\U0001f1f0 Pakistan\n") == 1
    assert "Pakistan \u2013 \U0001f1f7\U0001f1fa Russia" not in daily.split("\n", 1)[1]
