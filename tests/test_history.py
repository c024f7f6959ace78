"""A relationship's history: the figures (pure), the chart drawn from them, and /history
on every platform (sendPhoto and files_upload_v2 against the loopback fakes)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.config import LimitsConfig
from bot.extract import Gazetteer
from bot.history import Month, Tally, days_back, monthly, series_order, sparkline, surname
from bot.models import ChatRef, MeetingType
from bot.pipeline import Ingestor
from bot.reports import RawDocument
from handlers import charts
from handlers.commands import Command, CommandService
from handlers.console import run_chat
from storage import SqlStore

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 12, tzinfo=UTC)


def meeting(day: date, kind: MeetingType, level: str) -> Tally:
    return Tally(day, kind, level, 1)


def test_monthly_counts_by_kind_and_the_highest_level() -> None:
    months = monthly(
        [
            meeting(date(2025, 6, 1), MeetingType.CALL, "ministers"),
            meeting(date(2025, 6, 9), MeetingType.VISIT, "leaders"),
            meeting(date(2025, 4, 30), MeetingType.MULTILATERAL, "officials"),
            meeting(date(2023, 6, 30), MeetingType.CALL, "leaders"),  # before the 24 months
        ],
        TODAY,
    )
    assert len(months) == 24
    assert months[0].start == date(2023, 7, 1) and months[-1].start == date(2025, 6, 1)
    june, april = months[-1], months[-3]
    assert june.counts == {"call": 1, "visit": 1}  # a visit whose host no place says
    assert june.level == "leaders" and june.total == 2
    assert april.counts["other"] == 1 and april.level == "officials"
    assert months[-2].total == 0 and months[-2].level is None
    assert sum(m.total for m in months) == 3


def test_family_names_first_where_that_is_the_custom() -> None:
    assert surname("Wang Yi", "CN") == "Wang"
    assert surname("Sergey Lavrov", "RU") == "Lavrov"
    assert surname("Fumio Kishida", "JP") == "Kishida"  # written given name first in English
    assert surname("Ishaq Dar", None) == "Dar"


@pytest.mark.parametrize(
    ("name", "country", "short"),
    [
        ("Jean-Yves Le Drian", "FR", "Le Drian"),  # the particle is the family name's
        ("Luigi Di Maio", "IT", "Di Maio"),
        ("Ursula von der Leyen", "DE", "von der Leyen"),
        ("Mohammed VI", "MA", "Mohammed VI"),  # a monarch keeps the regnal number
        ("Abdullah II", "JO", "Abdullah II"),
        ("Mohammed bin Salman", "SA", "Mohammed bin Salman"),  # an Arab name's patronymic
        ("Tamim bin Hamad Al Thani", "QA", "Tamim bin Hamad"),
        ("Anwar Ibrahim", "MY", "Anwar"),  # a Malay name has no family name
        ("Recep Tayyip Erdoğan", "TR", "Erdoğan"),
    ],
)
def test_a_short_name_follows_the_custom_of_the_name(name: str, country: str, short: str) -> None:
    assert surname(name, country) == short


PAIR_SERIES = [
    ("call", "calls"),
    ("hosted:country:PK", "Pakistan hosted"),
    ("hosted:country:RU", "Russia hosted"),
    ("visit", "visits, host not said"),
    ("third location", "third location"),
    ("other", "other"),
]


def test_the_chart_is_a_phone_sized_png_with_a_colour_for_each_host() -> None:
    keys = [key for key, _ in PAIR_SERIES]
    months = [
        Month(date(2024 + (i + 6) // 12, (i + 6) % 12 + 1, 1), dict.fromkeys(keys, i % 2), None)
        for i in range(24)
    ]
    png = charts.meetings_by_month(months, "Pakistan \u2013 Russia", PAIR_SERIES, "to June")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (960, 600)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
    # Each side's hosted visits in its own colour of the colour-blind-safe palette.
    assert {(0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00), (0x56, 0xB4, 0xE9)} <= colours
    bars = Image.open(io.BytesIO(charts.counterparts([("China", 3), ("Russia", 1)], "Pakistan")))
    assert bars.size == (960, 600)


CALL = (
    "ISLAMABAD, June 10 - Pakistani Foreign Minister Ishaq Dar held a telephone conversation "
    "with Russian Foreign Minister Sergey Lavrov."
)
VISIT = (
    "BEIJING, May 20, 2025 - Chinese Foreign Minister Wang Yi received Pakistani Foreign Minister "
    "Ishaq Dar in Beijing."
)


UNPLACED = (
    "ISLAMABAD, April 20, 2025 - Pakistani Foreign Minister Ishaq Dar paid a visit to China "
    "and held talks with Chinese Foreign Minister Wang Yi."
)


def stored(store: SqlStore, gazetteer: Gazetteer) -> None:
    Ingestor(store, gazetteer).ingest(
        [
            RawDocument(CALL, source="feed", outlet="APP", url="https://app.example/1"),
            RawDocument(VISIT, source="feed", outlet="Xinhua"),
        ],
        NOW,
    )


def test_history_of_two_sides_and_of_one(store: SqlStore, gazetteer: Gazetteer) -> None:
    stored(store, gazetteer)
    service = CommandService(store, gazetteer, LimitsConfig())
    chat = ChatRef("console", "desk")
    pair = service.handle(Command(chat, "history", "Pakistan Russia"), NOW)
    assert pair.text.splitlines()[1] == (
        "1. 10 Jun 2025 \u00b7 ministers \u00b7 Dar \u2013 Lavrov \u00b7 call \u00b7 APP "
        "https://app.example/1"
    )
    assert "1 meeting in the last 24 months" in pair.text
    assert pair.image is not None and pair.image_title.startswith("Pakistan \u2013 Russia")
    one = service.handle(Command(chat, "history", "Pakistan"), NOW)
    assert (
        "1. \U0001f1e8\U0001f1f3 China: 1" in one.text
        and "2. \U0001f1f7\U0001f1fa Russia: 1" in one.text
    )
    assert one.image is not None
    assert (
        "No meetings between" in service.handle(Command(chat, "history", "India-China"), NOW).text
    )
    assert "energy is a topic" in service.handle(Command(chat, "history", "energy"), NOW).text
    assert "Usage: /history" in service.handle(Command(chat, "history", ""), NOW).text


def test_a_visit_counts_under_the_side_that_hosted_it(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    """Wang Yi received Dar in Beijing: China hosted. A visit no place tells the host of
    counts as a visit whose host is not said, never as either side's."""
    stored(store, gazetteer)
    Ingestor(store, gazetteer).ingest([RawDocument(UNPLACED, source="feed", outlet="Dawn")], NOW)
    [beijing] = [
        m for m in store.meetings_between("country:CN", "country:PK") if m.place == "Beijing"
    ]
    assert beijing.host == "country:CN"
    months = monthly(
        store.meeting_tallies("country:PK", "country:CN", since=date(2024, 1, 1)), TODAY
    )
    may, april = months[-2], months[-3]
    assert may.counts == {"hosted:country:CN": 1}
    assert april.counts == {"visit": 1}
    assert series_order(["country:PK", "country:CN"])[:3] == (
        "call",
        "hosted:country:PK",
        "hosted:country:CN",
    )


def test_no_chart_without_a_meeting_in_its_24_months(store: SqlStore, gazetteer: Gazetteer) -> None:
    stored(store, gazetteer)
    service = CommandService(store, gazetteer, LimitsConfig())
    later = datetime(2028, 1, 1, tzinfo=UTC)  # the meetings of 2025 are older than that
    reply = service.handle(Command(ChatRef("console", "desk"), "history", "Pakistan Russia"), later)
    assert reply.image is None
    assert reply.text.endswith("None of them in the last 24 months, so no chart.")


def test_the_console_saves_the_chart_and_says_where(store: SqlStore, gazetteer: Gazetteer) -> None:
    stored(store, gazetteer)
    service = CommandService(store, gazetteer, LimitsConfig())
    out = io.StringIO()
    run_chat(
        service, ChatRef("console", "desk"), ["/history Pakistan Russia\n"], out, clock=lambda: NOW
    )
    [line] = [x for x in out.getvalue().splitlines() if x.startswith("Chart: ")]
    path = Path(line.removeprefix("Chart: "))
    try:
        assert Image.open(path).format == "PNG"
    finally:
        path.unlink()


def test_a_meeting_without_a_day_stays_off_the_history(gazetteer: Gazetteer) -> None:
    from bot.extract import extract
    from bot.history import records
    from bot.reports import parse_report

    body = "Russian Foreign Minister Sergei Lavrov met Pakistan's Ishaq Dar in Moscow."
    undated = parse_report(RawDocument(body, source="t"), now=NOW)
    assert records(1, undated, extract(undated, gazetteer)) == []
    dated = parse_report(RawDocument(f"MOSCOW, 3 June 2025 - {body}", source="t"), now=NOW)
    [record] = records(2, dated, extract(dated, gazetteer))
    assert record.day == date(2025, 6, 3) and set(record.sides) == {"country:RU", "country:PK"}


def test_a_sparkline_draws_each_day_against_the_busiest() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == "\u00b7\u2581\u2582\u2584\u2588"
    assert sparkline([0, 0, 0]) == "\u00b7\u00b7\u00b7" and sparkline([]) == ""
    per_day = {date(2025, 6, 15): 3, date(2025, 6, 13): 1, date(2025, 5, 1): 9}
    assert days_back(per_day, TODAY, 3) == [1, 0, 3]  # oldest first; May is out of range
