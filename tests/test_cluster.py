"""One meeting, many outlets: one alert that names them all; two meetings stay two."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cluster import ClusterConfig, content_words, find_cluster, similarity
from bot.config import LimitsConfig, OutboxConfig
from bot.extract import Gazetteer, extract
from bot.models import ChatRef, Report
from bot.outbox import Outbox
from bot.pipeline import Ingestor
from bot.query import parse, to_json
from bot.reports import RawDocument, parse_report
from handlers.commands import Command, CommandService
from storage import SqlStore
from tests.conftest import NOW
from tests.test_pipeline import RecordingTransport

APP = (
    "ISLAMABAD, April 6 (APP) - Senate Chairman Syed Yousuf Raza Gilani met Valentina "
    "Matviyenko, Chairwoman of the Federation Council of Russia, on the sidelines of the 150th "
    "Inter-Parliamentary Union Assembly in Tashkent on Sunday. The two leaders agreed to "
    "strengthen parliamentary cooperation between Pakistan and Russia and to expand trade and "
    "energy ties. Gilani invited Matviyenko to visit Islamabad."
)
TASS = (
    "TASHKENT, April 6 (TASS) - Valentina Matviyenko, Chairwoman of the Federation Council, "
    "held talks with Pakistan's Senate Chairman Yousuf Raza Gilani in Tashkent, where both are "
    "attending the Inter-Parliamentary Union Assembly. Matviyenko said Russia and Pakistan "
    "would deepen parliamentary cooperation and expand trade and energy cooperation. Gilani "
    "accepted an invitation to visit Moscow."
)
DAWN = (
    "Senate Chairman Yousuf Raza Gilani and Russian Federation Council Chairwoman Valentina "
    "Matviyenko discussed trade, energy and parliamentary exchanges between Pakistan and Russia "
    "during a meeting on the margins of the Inter-Parliamentary Union Assembly in Tashkent. "
    "Gilani said the two parliaments should revive their friendship groups."
)
OTHER_MEETING = (
    "ISLAMABAD, April 6 (APP) - Pakistan's Foreign Minister Ishaq Dar met Russian Deputy "
    "Foreign Minister Andrey Rudenko in Islamabad on Sunday for consultations on Afghanistan, "
    "counterterrorism and regional security. Dar and Rudenko agreed that Pakistan and Russia "
    "would hold the next round of consultations in Moscow."
)


PUBLISHED = datetime(2025, 4, 6, 14, 0, tzinfo=UTC)  # as the feeds give it


def ingest(store: SqlStore, gazetteer: Gazetteer, text: str, source: str, url: str) -> int | None:
    raw = RawDocument(text, source=source, url=url, published_at=PUBLISHED)
    result = Ingestor(store, gazetteer, ClusterConfig()).ingest([raw], NOW)
    return result.ingested[0].cluster_id if result.ingested else None


def test_rewrites_are_similar_and_other_meetings_are_not(gazetteer: Gazetteer) -> None:
    app, tass, dawn, other = (content_words(t) for t in (APP, TASS, DAWN, OTHER_MEETING))
    assert similarity(app, tass) >= ClusterConfig().min_similarity
    assert similarity(app, dawn) >= ClusterConfig().min_similarity
    assert similarity(app, other) < similarity(app, tass)


def test_traditional_and_simplified_characters_share_their_words(gazetteer: Gazetteer) -> None:
    simplified = "王毅与韩国外长举行视频会晤，双方就两国关系交换意见。"
    traditional = "王毅與韓國外長舉行視像會晤，雙方就兩國關係交換意見。"
    read = gazetteer.transliterate
    assert similarity(content_words(simplified, read), content_words(traditional, read)) >= 0.6
    # Without the syllables, only the characters both scripts write alike are shared.
    assert similarity(content_words(simplified), content_words(traditional)) < 0.3


async def test_three_outlets_one_alert_listing_them_all(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    chat = store.ensure_chat(ChatRef("console", "desk"), NOW)
    store.add_subscription(chat.id, "Pakistan", to_json(parse("Pakistan", gazetteer)), NOW)
    first = ingest(store, gazetteer, APP, "APP", "https://app.com.pk/1")
    assert ingest(store, gazetteer, TASS, "TASS", "https://tass.com/2") == first
    assert ingest(store, gazetteer, DAWN, "Dawn", "https://dawn.com/3") == first
    transport = RecordingTransport()
    box = Outbox(store, {"console": transport}, gazetteer, OutboxConfig())
    assert (await box.drain_once(NOW)).sent == 1
    [(_, message)] = transport.sent
    assert message.card is not None
    assert message.card.source == "APP"
    assert message.card.also_reported_by == ("TASS", "Dawn")
    assert "Also reported by: TASS, Dawn" in message.text

    # A fourth outlet after the alert went out: nothing is sent again.
    fourth = APP.replace("(APP)", "(PTV)").replace("on Sunday", "on Sunday afternoon")
    assert ingest(store, gazetteer, fourth, "PTV", "https://ptv.com.pk/4") == first
    assert (await box.drain_once(NOW)).handled == 0

    service = CommandService(store, gazetteer, LimitsConfig())
    latest = service.handle(Command(ChatRef("console", "desk"), "latest"), NOW).text
    assert latest.count("\n") == 1  # one line for the one meeting
    assert "also reported by:" in latest
    for outlet in ("TASS", "Dawn", "APP"):
        assert outlet in latest


async def test_one_batch_telling_one_meeting_three_times_is_one_alert(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    # A poll that brings three outlets' reports of one meeting, another meeting and a copy
    # of the first: stored in one transaction, clustered among themselves.
    chat = store.ensure_chat(ChatRef("console", "desk"), NOW)
    store.add_subscription(chat.id, "Pakistan", to_json(parse("Pakistan", gazetteer)), NOW)
    raws = [
        RawDocument(text, source=source, url=url, published_at=PUBLISHED)
        for text, source, url in [
            (APP, "APP", "https://app.com.pk/1"),
            (TASS, "TASS", "https://tass.com/2"),
            (OTHER_MEETING, "APP", "https://app.com.pk/5"),
            (DAWN, "Dawn", "https://dawn.com/3"),
            (APP, "APP again", "https://app.com.pk/1"),
        ]
    ]
    summary = Ingestor(store, gazetteer, ClusterConfig()).ingest(raws, NOW)
    [app, tass, other, dawn] = summary.ingested
    assert [d.source for d in summary.duplicates] == ["APP again"]
    assert tass.cluster_id == dawn.cluster_id == app.report_id == app.cluster_id
    assert other.cluster_id == other.report_id != app.report_id
    assert (app.chats, tass.chats, dawn.chats) == (1, 0, 0)  # one alert for the meeting
    transport = RecordingTransport()
    box = Outbox(store, {"console": transport}, gazetteer, OutboxConfig())
    assert (await box.drain_once(NOW)).sent == 2  # that one and the other meeting's
    cards = [message.card for _, message in transport.sent]
    assert any(c is not None and c.also_reported_by == ("TASS", "Dawn") for c in cards)


async def test_two_meetings_of_the_same_countries_on_one_day_stay_two(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    chat = store.ensure_chat(ChatRef("console", "desk"), NOW)
    store.add_subscription(chat.id, "Russia", to_json(parse("Russia", gazetteer)), NOW)
    a = ingest(store, gazetteer, APP, "APP", "https://app.com.pk/1")
    b = ingest(store, gazetteer, OTHER_MEETING, "APP", "https://app.com.pk/2")
    assert a is not None and b is not None and a != b
    transport = RecordingTransport()
    assert (
        await Outbox(store, {"console": transport}, gazetteer, OutboxConfig()).drain_once(NOW)
    ).sent == 2


def test_a_member_matching_a_new_chat_still_alerts_that_chat(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    first_chat = store.ensure_chat(ChatRef("console", "a"), NOW)
    store.add_subscription(first_chat.id, "Pakistan", to_json(parse("Pakistan", gazetteer)), NOW)
    ingest(store, gazetteer, APP, "APP", "https://app.com.pk/1")
    second_chat = store.ensure_chat(ChatRef("console", "b"), NOW)
    store.add_subscription(
        second_chat.id, "Moscow", to_json(parse('"visit Moscow"', gazetteer)), NOW
    )
    ingest(store, gazetteer, TASS, "TASS", "https://tass.com/2")  # only TASS says Moscow
    chats = {d.chat_id for d in store.deliveries_for_report(2)}
    assert chats == {second_chat.id}  # the first chat already has the meeting


@pytest.mark.parametrize("day", ["April 3", "April 9"])
def test_far_apart_in_time_is_another_meeting(gazetteer: Gazetteer, day: str) -> None:
    from bot.models import StoredReport

    def read(text: str, source: str) -> Report:
        return parse_report(RawDocument(text, source=source, published_at=PUBLISHED), now=NOW)

    base = read(APP, "APP")
    stored = StoredReport(1, base, extract(base, gazetteer), NOW, 1)
    moved = read(TASS.replace("April 6", day), "TASS")  # same people, days apart
    assert find_cluster(moved, extract(moved, gazetteer), [stored], ClusterConfig()) is None
    same_day = read(TASS, "TASS")
    assert find_cluster(same_day, extract(same_day, gazetteer), [stored], ClusterConfig()) == 1
