"""The push card and its plain rendering."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.extract import Gazetteer, extract
from bot.models import Annotations, Report
from bot.reports import RawDocument, parse_report
from bot.summarize import (
    ALERT_LIMIT,
    QUOTE_LIMIT,
    card,
    headline,
    key_sentences,
    render_plain,
    visible,
)
from tests.conftest import NOW, make_report


def test_headline(seed_report: Report, seed_annotations: Annotations, gazetteer: Gazetteer) -> None:
    assert headline(seed_report, seed_annotations, gazetteer) == (
        "\U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia \u00b7 Tashkent "
        "\u00b7 6 Apr 2025"
    )


def test_card_says_who_where_what(
    seed_report: Report, seed_annotations: Annotations, gazetteer: Gazetteer
) -> None:
    c = card(7, seed_report, seed_annotations, gazetteer, matched=("SCO", "energy"))
    assert c.who == (
        "Senate Chairman Syed Yousuf Raza Gilani (Pakistan) met Valentina Matviyenko, "
        "Chairwoman of the Federation Council (Russia)"
    )
    assert c.event == "150th Inter-Parliamentary Union (IPU) Assembly"
    assert c.meeting_type == "meeting at a third location"
    assert "energy" in c.topics
    text = render_plain(c)
    assert len(text) <= ALERT_LIMIT
    assert text.endswith("matched: SCO, energy")
    # No outlet named and no link: none, never the file path or the folder's name.
    assert "Source: not named\n" in text and "000_6ef0b7c9eee25884.txt" not in text


def test_key_sentences_carry_what_matched(
    seed_report: Report, seed_annotations: Annotations
) -> None:
    sentences = key_sentences(seed_report, seed_annotations, ("SCO",), limit=2)
    assert len(sentences) == 2
    assert any("SCO" in s for s in sentences)
    narcotics = key_sentences(seed_report, seed_annotations, ("counter-narcotics",))
    assert any("counter-narcotics" in s for s in narcotics)


def test_a_long_report_stays_within_the_limit(gazetteer: Gazetteer) -> None:
    text = "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Pakistan's " + (
        "Deputy Prime Minister Ishaq Dar and discussed energy " * 200
    )
    report = make_report(text)
    rendered = render_plain(card(1, report, extract(report, gazetteer), gazetteer, ("energy",)))
    assert len(rendered) <= ALERT_LIMIT
    assert rendered.endswith("matched: energy")
    assert "\u2026" in rendered


def test_the_quote_carries_what_matched_as_the_alert_names_it(
    seed_report: Report, seed_annotations: Annotations, gazetteer: Gazetteer
) -> None:
    """The matched line says how each fired ("SCO (mentioned)"); the quote looks for the
    subscription itself: the sentence naming both the SCO and energy."""
    matched = ("Pakistan (side)", "SCO (mentioned)", "energy")
    [quote] = card(1, seed_report, seed_annotations, gazetteer, matched).key_sentences
    assert "(SCO)" in quote and "energy" in quote


def test_the_quote_is_one_sentence_cut_around_what_matched(gazetteer: Gazetteer) -> None:
    long = (
        "The two sides reviewed the whole breadth of their relations, "
        + "including agriculture, education, health and culture, " * 6
        + "and agreed to expand cooperation on energy within the SCO."
    )
    text = "ISLAMABAD, 6 April 2025 - Pakistan's Foreign Minister met Russia's envoy. " + long
    report = make_report(text)
    c = card(1, report, extract(report, gazetteer), gazetteer, ("energy",))
    [quote] = c.key_sentences
    assert len(quote) <= QUOTE_LIMIT
    assert "energy within the SCO." in quote and quote.startswith("\u2026")


@pytest.mark.parametrize(
    "title",
    [
        "Pakistan and Russia agree to expand energy cooperation",  # a feed's title, the lead
        "Pakistan and Russia agree to expand energy\u2026",  # a title cut from the lead
    ],
)
def test_a_title_the_body_repeats_is_quoted_once(gazetteer: Gazetteer, title: str) -> None:
    body = (
        "Pakistan and Russia agree to expand energy cooperation, officials in Islamabad "
        "said on 6 April 2025. The ministers met for two hours."
    )
    raw = RawDocument(body, source="feed", title=title, published_at=NOW)
    report = parse_report(raw, now=NOW)
    c = card(1, report, extract(report, gazetteer), gazetteer, ("energy",))
    assert render_plain(c).count("agree to expand energy") == 1
    assert c.key_sentences == (  # the body's sentence, whole: not the title again
        "Pakistan and Russia agree to expand energy cooperation, officials in Islamabad "
        "said on 6 April 2025.",
    )


def test_the_matched_line_is_whole_and_last_whatever_else_is_long(gazetteer: Gazetteer) -> None:
    """A long link, many outlets and many matched subscriptions: the visible text stays
    within the limit, the link is whole, and `matched:` is the last line."""
    text = "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Pakistan's " + (
        "Deputy Prime Minister Ishaq Dar and discussed energy, trade and security. " * 30
    )
    url = "https://www.example.org/" + "news/" * 60 + "story.html"
    report = replace(make_report(text), url=url)
    outlets = tuple(f"Outlet number {i}" for i in range(30))
    matched = tuple(f"subscription query {i} AND energy" for i in range(20))
    c = card(1, report, extract(report, gazetteer), gazetteer, matched, outlets)
    rendered = render_plain(c)
    assert len(visible(c)) <= ALERT_LIMIT
    assert url in rendered
    last = rendered.splitlines()[-1]
    assert last.startswith("matched: subscription query 0 AND energy") and last.endswith("more")
    assert "Also reported by: Outlet number 0" in rendered and "+" in rendered


def test_a_report_without_a_meeting_has_no_sides(gazetteer: Gazetteer) -> None:
    # Countries only named are not sides: no flags, no "met", the dateline and the day.
    report = make_report("OTTAWA, May 2, 2026 - Canada and Mexico raised tariffs on steel.")
    c = card(1, report, extract(report, gazetteer), gazetteer, ("trade",))
    assert (c.who, c.meeting_type) == (None, "no meeting reported")
    assert c.headline == "Ottawa \u00b7 2 May 2026"


def test_a_long_sentence_keeps_the_part_that_names_what_matched() -> None:
    from bot.summarize import fit_around

    sentence = "Officials discussed " + "many other things, " * 20 + "and the SCO summit."
    cut = fit_around(sentence, 80, ("SCO",))
    assert len(cut) <= 80 and cut.startswith("\u2026") and cut.endswith("the SCO summit.")
    early = "The SCO " + "met again and again, " * 20
    assert fit_around(early, 80, ("SCO",)).startswith("The SCO")


def test_the_words_that_fired_are_cut_out_for_bold() -> None:
    from bot.summarize import emphasis

    text = "Pakistani and Pakistan's ministers met; Pakistanis cheered. <b>Pakistan</b>."
    pieces = emphasis(text, ["Pakistan", "Pakistani"])
    assert [p for p, bold in pieces if bold] == ["Pakistani", "Pakistan", "Pakistan"]
    assert "".join(p for p, _ in pieces) == text  # nothing lost, nothing added
    assert emphasis("No match here.", ["Iran"]) == [("No match here.", False)]
    assert emphasis("", ["Iran"]) == []


def test_the_alert_names_the_outlet_and_its_tier_and_links_the_others(
    seed_text: str, gazetteer: Gazetteer
) -> None:
    raw = RawDocument(
        seed_text,
        source="feeds/app.xml",
        url="https://www.app.com.pk/gilani",
        outlet="Associated Press of Pakistan",
        tier="agency",
    )
    report = parse_report(raw, now=NOW)
    c = card(
        1,
        report,
        extract(report, gazetteer),
        gazetteer,
        also_reported_by=("Dawn", "Senate of Pakistan"),
        also_links=("https://www.dawn.com/x",),
    )
    assert c.source == "Associated Press of Pakistan" and c.tier == "agency"
    assert c.also_reported() == [("Dawn", "https://www.dawn.com/x"), ("Senate of Pakistan", None)]
    text = render_plain(c)
    assert (
        "Source: Associated Press of Pakistan (agency) \u00b7 https://www.app.com.pk/gilani" in text
    )
    assert parse_report(RawDocument("x", source="s", tier="blog"), now=NOW).tier is None


def test_a_digest_line_names_people_by_family_name(gazetteer: Gazetteer) -> None:
    from bot.summarize import digest_line

    report = make_report(
        "BEIJING, May 20 - Chinese Foreign Minister Wang Yi met Pakistani Foreign Minister "
        "Ishaq Dar in Beijing."
    )
    line = digest_line(report, extract(report, gazetteer), gazetteer)
    assert "\u00b7 Wang \u2013 Dar \u00b7" in line  # Wang Yi is Wang; Ishaq Dar is Dar
    assert line.endswith("\u00b7 test")  # the outlet


def test_an_undated_meeting_says_when_it_was_reported_not_when_it_took_place(
    gazetteer: Gazetteer,
) -> None:
    # No day in the text and no page date: the day it arrived is not the meeting's day.
    report = make_report("Russian Foreign Minister Sergei Lavrov met Pakistan's Ishaq Dar.")
    annotations = extract(report, gazetteer)
    assert annotations.meeting is not None and annotations.meeting.date is None
    assert headline(report, annotations, gazetteer).endswith(
        f"\u00b7 reported {NOW.day} {NOW:%b %Y}"
    )
    # The same report dated by its page: that date stands for the meeting.
    dated = parse_report(
        RawDocument(report.body, source="test", published_at=NOW.replace(day=2)), now=NOW
    )
    assert headline(dated, extract(dated, gazetteer), gazetteer).endswith(f"\u00b7 2 {NOW:%b %Y}")


def test_a_link_stored_before_links_were_checked_is_not_posted(
    seed_report: Report, seed_annotations: Annotations, gazetteer: Gazetteer
) -> None:
    stored = replace(seed_report, url="javascript:alert(1)")
    c = card(7, stored, seed_annotations, gazetteer, also_reported_by=("A", "B"),
             also_links=("tg://resolve?domain=x", "https://b.example.org/r"))  # fmt: skip
    assert c.url is None
    assert c.also_links == (None, "https://b.example.org/r")
    assert "javascript" not in render_plain(c) and "tg://" not in render_plain(c)
