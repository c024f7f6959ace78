"""Report parsing: datelines, dates, titles, hashes; odd text never crashes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.models import Report
from bot.reports import RawDocument, content_hash, parse_report

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "dateline", "day"),
    [
        pytest.param(
            "date 2025-04-06 ISLAMABAD: Senate Chairman met the envoy.",
            "Islamabad",
            date(2025, 4, 6),
            id="seed-form",
        ),
        pytest.param(
            "MOSCOW, 6 April 2025 \u2014 Lavrov met Dar.",
            "Moscow",
            date(2025, 4, 6),
            id="day-month",
        ),
        pytest.param("TASHKENT (AP) \u2014 Leaders met.", "Tashkent", date(2026, 11, 27), id="ap"),
        pytest.param(
            "NEW DELHI, Dec. 2, 2025 (PTI) - Modi met Putin.",
            "New Delhi",
            date(2025, 12, 2),
            id="two-word-place",
        ),
    ],
)
def test_datelines(text: str, dateline: str, day: date) -> None:
    report = parse_report(RawDocument(text, source="t"), now=NOW)
    assert report.dateline == dateline
    assert report.published_at.date() == day
    assert report.published_at.tzinfo is not None
    assert not report.body.startswith(dateline.upper())


@pytest.mark.parametrize(
    ("text", "dateline", "published", "day"),
    [
        pytest.param(
            "ISLAMABAD, April 6 (Reuters) - Pakistan and Russia met.",
            "Islamabad",
            datetime(2026, 4, 6, 9, tzinfo=UTC),
            date(2026, 4, 6),
            id="reuters-no-year",
        ),
        pytest.param(
            "WASHINGTON, March 3 - Talks held.",
            "Washington",
            datetime(2026, 3, 4, tzinfo=UTC),
            date(2026, 3, 3),
            id="us",
        ),
        pytest.param(
            "BEIJING, Dec 30 (Reuters) - A meeting.",
            "Beijing",
            datetime(2026, 1, 2, tzinfo=UTC),
            date(2025, 12, 30),
            id="a-later-date-is-last-year",
        ),
    ],
)
def test_a_dateline_without_a_year_is_of_the_sources_year(
    text: str, dateline: str, published: datetime, day: date
) -> None:
    report = parse_report(RawDocument(text, source="t", published_at=published), now=NOW)
    assert (report.dateline, report.dateline_date) == (dateline, day)
    assert report.published_at == published and report.date_from_text


def test_a_dateline_without_a_year_on_an_undated_page_gives_no_day() -> None:
    # "June 8" of which year? Not the year the page happens to be read in.
    report = parse_report(RawDocument("ISLAMABAD, Jun 8 (APP): Envoys met.", source="t"), now=NOW)
    assert report.dateline == "Islamabad" and report.dateline_date is None
    assert not report.date_from_text and report.published_at == NOW


def test_a_dateline_without_a_year_arriving_within_the_week_is_this_years() -> None:
    # Wire copy dropped into a folder as it is filed: "Nov 25" two days before it arrived.
    report = parse_report(RawDocument("MOSCOW, Nov 25 (TASS) - Talks.", source="t"), now=NOW)
    assert report.dateline_date == date(2026, 11, 25) and report.date_from_text


@pytest.mark.parametrize(
    ("text", "dateline", "day"),
    [
        pytest.param(
            "NUSA DUA, Indonesia, (PNA/Kyodo) \u2014 The ministers met.",
            "Nusa Dua, Indonesia",
            None,
            id="city-country-comma-agency",
        ),
        pytest.param(
            "TASHKENT (Uzbekistan), Apr 6, 2025 (AKIpress): The ministers met.",
            "Tashkent, Uzbekistan",
            date(2025, 4, 6),
            id="city-bracketed-country-date-agency",
        ),
        pytest.param("BAKU/Trend/ The ministers met.", "Baku", None, id="city-slashed-agency"),
        pytest.param(
            "January 20, 2022 - Paris, France - Global Affairs Canada\n\nThe ministers met.",
            "Paris, France",
            date(2022, 1, 20),
            id="date-place-publisher",
        ),
        pytest.param(
            "The ministers met.\n\nSt. Petersburg, 17 June 2016",
            "St. Petersburg",
            date(2016, 6, 17),
            id="a-closing-line-of-place-and-date",
        ),
    ],
)
def test_dateline_shapes(text: str, dateline: str, day: date | None) -> None:
    report = parse_report(RawDocument(text, source="t"), now=NOW)
    assert (report.dateline, report.dateline_date) == (dateline, day)
    assert report.body == "The ministers met."


def test_seed_report(seed_report: Report) -> None:
    assert seed_report.dateline == "Islamabad"
    assert seed_report.published_at == datetime(2025, 4, 6, tzinfo=UTC)
    assert seed_report.title.startswith("Senate Chairman Syed Yousuf Raza Gilani has stated")
    assert seed_report.title.endswith("multipolar world order.")
    assert seed_report.body.startswith("Senate Chairman")
    assert seed_report.text == seed_report.body  # the title is the body's first sentence
    assert not seed_report.warnings


def test_given_title_is_kept_and_prefixed_to_text() -> None:
    report = parse_report(
        RawDocument("MOSCOW, 6 April 2025 - Lavrov met Dar.", source="t", title="Talks"), now=NOW
    )
    assert report.title == "Talks"
    assert report.text == "Talks\n\nLavrov met Dar."


def test_text_without_dateline_uses_ingestion_time_and_warns() -> None:
    report = parse_report(RawDocument("just some words about things", source="t"), now=NOW)
    assert report.published_at == NOW
    assert report.date_from_text is False
    assert report.dateline is None
    assert any("ingestion time" in w for w in report.warnings)


def test_not_a_dateline_when_an_organisation_opens_the_text() -> None:
    report = parse_report(RawDocument("NATO said on Monday that talks went well.", "t"), now=NOW)
    assert report.dateline is None


def test_content_hash_ignores_whitespace_and_case() -> None:
    assert content_hash("Pakistan  and\nRussia met.") == content_hash("pakistan and Russia met.")
    assert content_hash("Pakistan met") != content_hash("India met")


def test_published_at_from_source_wins() -> None:
    given_time = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    report = parse_report(
        RawDocument("MOSCOW, 6 April 2025 - x.", "t", published_at=given_time), now=NOW
    )
    assert report.published_at == given_time


@given(st.text(max_size=400))
def test_any_text_becomes_a_report(text: str) -> None:
    report = parse_report(RawDocument(text, source="fuzz"), now=NOW)
    assert report.published_at.tzinfo is not None
    assert len(report.content_hash) == 64


def test_nul_characters_and_overlong_urls_never_reach_storage() -> None:
    from bot.reports import RawDocument, parse_report

    raw = RawDocument(
        "ISLAMABAD, April 9 - Dar met\x00 Wang Yi.",
        source="feed\x00",
        title="Dar\x00 meets Wang",
        url="https://example.org/" + "p" * 2100,
    )
    report = parse_report(raw, now=NOW)
    assert "\x00" not in report.body + report.title + report.source
    assert report.url is None and any("URL is longer" in w for w in report.warnings)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "tg://resolve?domain=somebot",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "http://127.0.0.1:8080/admin",
        "http://localhost/report",
        "http://10.0.0.5/report",
        "http://[::1]/report",
        "https://intranet/report",
        "https://printer.local/report",
        "http://[::1",
        "//example.org/no-scheme",
    ],
)
def test_only_a_public_http_link_is_kept(url: str) -> None:
    from bot.reports import RawDocument, parse_report

    report = parse_report(RawDocument("Dar met Wang Yi.", source="feed", url=url), now=NOW)
    assert report.url is None
    assert any("not a public http(s) address" in w for w in report.warnings)


@pytest.mark.parametrize(
    "url", ["https://mofa.gov.pk/press/1", "http://8.8.8.8/r", "HTTPS://X.ORG/"]
)
def test_a_public_link_is_kept_as_given(url: str) -> None:
    from bot.reports import RawDocument, parse_report

    report = parse_report(RawDocument("Dar met Wang Yi.", source="feed", url=url), now=NOW)
    assert report.url == url


def test_a_link_to_a_host_the_operator_allows_is_kept() -> None:
    from bot.reports import RawDocument, parse_report
    from bot.sources.outbound import OutboundPolicy

    allowed = OutboundPolicy.allowing(["intranet", "10.0.0.0/8"]).allows
    for url in ("https://intranet/report", "http://10.1.2.3/r"):
        raw = RawDocument("Dar met Wang Yi.", source="feed", url=url)
        assert parse_report(raw, now=NOW, link_allowed=allowed).url == url
    raw = RawDocument("Dar met Wang Yi.", source="feed", url="http://192.168.1.1/r")
    assert parse_report(raw, now=NOW, link_allowed=allowed).url is None
