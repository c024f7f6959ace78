"""Extraction on the seed report (the acceptance list of issue 2) and on small cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.annotate import record
from bot.extract import Gazetteer, extract
from bot.models import Annotations, EntityKind, MeetingType, Report
from tests.conftest import make_report


def ids(annotations: Annotations, kind: EntityKind) -> set[str]:
    return {m.entity_id.split(":", 1)[1] for m in annotations.of_kind(kind)}


def test_seed_countries_and_orgs(seed_annotations: Annotations) -> None:
    countries = ids(seed_annotations, EntityKind.COUNTRY)
    assert {"PK", "RU"} <= countries
    assert "UZ" not in countries  # Tashkent is a place, not a country the text names
    assert {"SCO", "IPU", "UN"} <= ids(seed_annotations, EntityKind.ORG)


def test_seed_people(seed_annotations: Annotations) -> None:
    people = {p.name: p for p in seed_annotations.people}
    gilani = people["Syed Yousuf Raza Gilani"]
    assert (gilani.role, gilani.country) == ("Senate Chairman", "PK")
    matviyenko = people["Valentina Matviyenko"]
    assert (matviyenko.role, matviyenko.country) == ("Chairwoman of the Federation Council", "RU")
    assert len(gilani.spans) >= 4  # full name plus the later "Gilani" mentions


def test_seed_meeting(seed_annotations: Annotations) -> None:
    meeting = seed_annotations.meeting
    assert meeting is not None
    assert meeting.place is not None
    assert (meeting.place.name, meeting.place.country) == ("Tashkent", "UZ")
    assert meeting.date == "2025-04-06"
    assert meeting.event is not None
    assert meeting.event.text == "150th Inter-Parliamentary Union (IPU) Assembly"
    assert meeting.type is MeetingType.THIRD_LOCATION
    assert [p.name for p in meeting.participants] == [
        "Syed Yousuf Raza Gilani",
        "Valentina Matviyenko",
    ]
    assert meeting.countries == ("PK", "RU")


def test_seed_topics(seed_annotations: Annotations) -> None:
    topics = ids(seed_annotations, EntityKind.TOPIC)
    expected = {
        "defence",
        "trade",
        "energy",
        "agriculture",
        "pharmaceuticals",
        "information-technology",
        "climate",
        "food-security",
        "counter-narcotics",
        "counterterrorism",
    }
    assert expected <= topics
    assert "nuclear" not in topics


def test_every_annotation_carries_its_proving_span(
    seed_report: Report, seed_annotations: Annotations
) -> None:
    text = seed_report.text
    for mention in seed_annotations.mentions:
        assert mention.spans
        for span in mention.spans:
            assert text[span.start : span.end] == span.text
    for person in seed_annotations.people:
        for span in person.spans:
            assert text[span.start : span.end] == span.text
    meeting = seed_annotations.meeting
    assert meeting is not None and meeting.event is not None
    assert text[meeting.event.start : meeting.event.end] == meeting.event.text


def test_seed_annotate_record(seed_annotations: Annotations) -> None:
    rec = record("seed", seed_annotations)
    assert rec["meeting"]["type"] == "third-location"
    assert rec["meeting"]["place"] == {"name": "Tashkent", "country": "UZ"}
    assert {
        "name": "Valentina Matviyenko",
        "role": "Chairwoman of the Federation Council",
        "country": "RU",
    } in rec["people"]
    assert {"name": "Tashkent", "country": "UZ"} in rec["places"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Pakistani officials arrived.", {"PK"}, id="demonym"),
        pytest.param("Russia's position was clear.", {"RU"}, id="possessive"),
        pytest.param("Russia\u2019s position was clear.", {"RU"}, id="curly-possessive"),
        pytest.param("PAKISTAN AND RUSSIA SIGN DEAL", {"PK", "RU"}, id="all-caps-title"),
        pytest.param("The U.S. and the UK agreed.", {"US", "GB"}, id="dotted-and-short"),
        pytest.param("Officials from Britain and South Korea met.", {"GB", "KR"}, id="short-names"),
        pytest.param("Trade with Latin America grew.", set(), id="region-is-not-a-country"),
        pytest.param("Let us meet and tell us more.", set(), id="us-lower-case-is-a-word"),
        pytest.param("We ate turkey and fine china.", set(), id="common-words"),
        pytest.param("The Soviet Union and West Germany.", {"SU", "DE"}, id="historical"),
        pytest.param("Burma and Zaire were renamed.", {"MM", "CD"}, id="old-names"),
        pytest.param("Americans and Iranians talked.", {"US", "IR"}, id="plural-demonyms"),
    ],
)
def test_countries(gazetteer: Gazetteer, text: str, expected: set[str]) -> None:
    annotations = extract(make_report(text), gazetteer)
    assert ids(annotations, EntityKind.COUNTRY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("The Shanghai Cooperation Organisation met.", {"SCO"}, id="british-spelling"),
        pytest.param("The Shanghai Cooperation Organization met.", {"SCO"}, id="us-spelling"),
        pytest.param("NATO and the EU agreed.", {"NATO", "EU"}, id="acronyms"),
        pytest.param("Who said so? The who and the nato.", set(), id="acronyms-need-capitals"),
        pytest.param("The World Health Organization (WHO) warned.", {"WHO"}, id="who"),
        pytest.param("The European Community and the World Bank.", {"EU", "WB"}, id="long-names"),
        pytest.param("BRICS, the G20 and OPEC+ met.", {"BRICS", "G20", "OPEC"}, id="groups"),
    ],
)
def test_orgs(gazetteer: Gazetteer, text: str, expected: set[str]) -> None:
    assert ids(extract(make_report(text), gazetteer), EntityKind.ORG) == expected


@pytest.mark.parametrize(
    ("text", "topic", "fires"),
    [
        pytest.param("They discussed defence cooperation.", "defence", True, id="defence-phrase"),
        pytest.param("The power of persuasion.", "energy", False, id="one-weak-word-is-not-energy"),
        pytest.param("Power and gas and fuel.", "energy", True, id="weak-words-add-up"),
        pytest.param("Food security was discussed.", "security", False, id="food-security"),
        pytest.param("Food security was discussed.", "food-security", True, id="food-security-2"),
        pytest.param("Nuclear talks resumed.", "nuclear", True, id="nuclear"),
    ],
)
def test_topics_need_enough_evidence(
    gazetteer: Gazetteer, text: str, topic: str, fires: bool
) -> None:
    assert (topic in ids(extract(make_report(text), gazetteer), EntityKind.TOPIC)) is fires


def test_person_country_from_demonym_before_title(gazetteer: Gazetteer) -> None:
    text = (
        "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Pakistan's "
        "Deputy Prime Minister Ishaq Dar in Moscow on Monday."
    )
    annotations = extract(make_report(text), gazetteer)
    people = {p.name: (p.role, p.country) for p in annotations.people}
    assert people["Sergei Lavrov"] == ("Foreign Minister", "RU")
    assert people["Ishaq Dar"] == ("Deputy Prime Minister", "PK")
    meeting = annotations.meeting
    assert meeting is not None
    assert meeting.type is MeetingType.HOST  # in Moscow, reported from Moscow


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(
            "ISLAMABAD, May 2 (Reuters) - Prime Minister Shehbaz Sharif held a telephone "
            "conversation with Turkish President Recep Tayyip Erdogan.",
            MeetingType.CALL,
            id="call",
        ),
        pytest.param(
            "BEIJING, May 2 (Reuters) - Pakistani Foreign Minister Ishaq Dar, on a visit to "
            "China, met Chinese Foreign Minister Wang Yi in Beijing.",
            MeetingType.VISIT,
            id="visit",
        ),
        pytest.param(
            "ISLAMABAD, May 2 - President Asif Ali Zardari received Chinese Foreign Minister "
            "Wang Yi in Islamabad.",
            MeetingType.HOST,
            id="host",
        ),
        pytest.param(
            "TASHKENT, May 2 - Leaders of India, China, Russia and Iran met at the summit held "
            "in Tashkent on Friday. Indian Prime Minister Narendra Modi, Chinese President Xi "
            "Jinping, Russian President Vladimir Putin and Iranian President Masoud Pezeshkian "
            "attended.",
            MeetingType.MULTILATERAL,
            id="multilateral",
        ),
    ],
)
def test_meeting_types(gazetteer: Gazetteer, text: str, kind: MeetingType) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None
    assert meeting.type is kind


def test_no_meeting_in_a_plain_statement(gazetteer: Gazetteer) -> None:
    text = "OTTAWA, May 2 - Canada raised its interest rate by a quarter point."
    assert extract(make_report(text), gazetteer).meeting is None


def test_places_from_dateline_and_cues(gazetteer: Gazetteer) -> None:
    text = "ANKARA, May 2 - The talks, held in Geneva, ended. A second round follows in Doha."
    annotations = extract(make_report(text), gazetteer)
    names = [(p.name, p.country) for p in annotations.places]
    assert names[0] == ("Ankara", "TR")
    assert ("Geneva", "CH") in names
    assert ("Doha", "QA") in names


@pytest.mark.parametrize(
    ("text", "country"),
    [
        pytest.param("NEW YORK, March 3 - Stocks rose.", "US", id="new-york"),
        pytest.param("SAN MATEO, Calif., March 3 - Oracle said.", "US", id="us-state"),
        pytest.param("TORONTO, Ont., March 3 - Banks said.", "CA", id="province"),
        pytest.param("TOKYO, March 3 - The yen rose.", "JP", id="capital"),
    ],
)
def test_dateline_places_carry_their_country(gazetteer: Gazetteer, text: str, country: str) -> None:
    places = extract(make_report(text), gazetteer).places
    assert places and places[0].country == country


def test_country_after_the_name(gazetteer: Gazetteer) -> None:
    text = (
        "President Joseph R. Biden spoke today with Prime Minister Boris Johnson of the "
        "United Kingdom."
    )
    people = {p.name: p for p in extract(make_report(text), gazetteer).people}
    assert people["Boris Johnson"].country == "GB"


def test_the_sources_home_country_is_the_unnamed_side(gazetteer: Gazetteer) -> None:
    from bot.reports import RawDocument, parse_report
    from tests.conftest import NOW

    text = "President Joe Biden spoke today with Chancellor Angela Merkel of Germany."
    report = parse_report(RawDocument(text, source="wh", home_country="us"), now=NOW)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None
    assert meeting.countries == ("US", "DE")
    assert meeting.type is MeetingType.CALL


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(
            "President Biden spoke today with President Macron of France.",
            MeetingType.CALL,
            id="spoke-today-with",
        ),
        pytest.param(
            "President Biden held a video conference with Japanese Prime Minister Kishida.",
            MeetingType.CALL,
            id="video-conference",
        ),
        pytest.param(
            "President Biden met with President Macron of France in Rome and later "
            "spoke with reporters.",
            MeetingType.THIRD_LOCATION,
            id="met-first",
        ),
    ],
)
def test_call_or_meeting_by_the_first_cue(
    gazetteer: Gazetteer, text: str, kind: MeetingType
) -> None:
    from bot.reports import RawDocument, parse_report
    from tests.conftest import NOW

    report = parse_report(RawDocument(text, source="wh", home_country="US"), now=NOW)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None and meeting.type is kind


def test_accented_names_and_nicknames(gazetteer: Gazetteer) -> None:
    text = (
        "President Biden spoke with Mexican President Andrés Manuel López Obrador. Later, "
        "Israeli Minister of Defense Benjamin \u201cBenny\u201d Gantz met him."
    )
    names = {p.name for p in extract(make_report(text), gazetteer).people}
    assert "Andrés Manuel López Obrador" in names
    assert "Benjamin \u201cBenny\u201d Gantz" in names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Michael Jordan scored 40 points.", set(), id="michael-jordan"),
        pytest.param("Jordan and Egypt signed a deal.", {"JO", "EG"}, id="jordan-country"),
        pytest.param("King Abdullah of Jordan met the envoy.", {"JO"}, id="of-jordan"),
        pytest.param("Chad Smith played drums.", set(), id="chad-smith"),
        pytest.param("Troops left Chad on Monday.", {"TD"}, id="chad-country"),
        pytest.param("The plant in Atlanta, Georgia closed.", set(), id="georgia-us-state"),
        pytest.param("Russia and Georgia fought in 2008.", {"RU", "GE"}, id="georgia-country"),
        pytest.param("Niger's junta met ECOWAS envoys.", {"NE"}, id="niger"),
    ],
)
def test_names_that_are_also_countries(gazetteer: Gazetteer, text: str, expected: set[str]) -> None:
    assert ids(extract(make_report(text), gazetteer), EntityKind.COUNTRY) == expected


def _first_letters(parsed: object) -> set[str]:
    """The characters a parsed pattern can start with (enough for a cue list: literals,
    classes, groups, branches, optional parts and assertions)."""
    from re import _constants as c  # type: ignore[attr-defined]

    found: set[str] = set()
    for op, arg in parsed:  # type: ignore[attr-defined]
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return found | {chr(arg)}
        if op is c.IN:
            chars = {chr(a) for o, a in arg if o is c.LITERAL}
            ranges = [(a, b) for o, (a, b) in ((o, a) for o, a in arg if o is c.RANGE)]
            chars |= {chr(x) for a, b in ranges for x in range(a, b + 1)}
            return found | chars
        if op is c.SUBPATTERN:
            return found | _first_letters(arg[-1])
        if op is c.BRANCH:
            return found | {ch for branch in arg[1] for ch in _first_letters(branch)}
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, body = arg
            found |= _first_letters(body)
            if low > 0:
                return found
            continue
        raise AssertionError(f"cannot tell the first letters of {op}")
    raise AssertionError("a cue that can be empty")


def _starting_letters(pattern: str, flags: int = 0) -> set[str]:
    from re import _parser  # type: ignore[attr-defined]

    return _first_letters(_parser.parse(pattern, flags))


def test_the_lookaheads_let_every_cue_and_honorific_through() -> None:
    """`_CUE` and the honorific pattern skip word starts whose letter none of their words
    has; a word added with a new first letter must be added to the lookahead too, or it
    would never be found."""
    from bot.extract import meeting, people, places

    body = meeting._CUE.pattern.replace(meeting._CUE_START, "", 1)
    letters = {ch.lower() for ch in _starting_letters(body, meeting._CUE.flags)}
    assert letters == {ch.lower() for ch in meeting._CUE_START if ch.isalpha()}
    honorifics = _starting_letters(people._HONORIFIC)  # case-sensitive: capitals only
    assert honorifics == {ch for ch in people._HONORIFIC_START if ch.isalpha()}
    cue = places._CANDIDATE.pattern.split("(?P<cue>", 1)[1]
    letters = {ch.lower() for ch in _starting_letters("(?P<cue>" + cue)}
    assert letters == {ch.lower() for ch in places._CUE_START if ch.isalpha()}


@given(
    text=st.text(alphabet="ab_ é-'1\u2019", max_size=30),
    word=st.text(alphabet="ab é'", min_size=1, max_size=3),
)
def test_a_short_name_is_found_where_the_pattern_would_find_it(text: str, word: str) -> None:
    """People's later mentions ("Lavrov") are found as whole words without a pattern
    made for each name: the same places as `\\bword\\b`."""
    import re

    from bot.extract.people import _whole_word

    expected = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
    assert list(_whole_word(word, text)) == expected


@given(
    role=st.text(alphabet="aof rthe-", max_size=30),
    needle=st.text(alphabet="aof rthe-", min_size=1, max_size=6),
)
def test_a_country_ending_a_title_is_found_as_the_pattern_would_find_it(
    role: str, needle: str
) -> None:
    """ "Chairwoman of the Federation Council | of Russia": where " of <name>" begins, with
    one pattern for every name, at the place the pattern made for the name finds it."""
    import re

    from bot.extract.people import _of_at_end

    found = re.search(rf"\s+(?:of|for)\s+(?:the\s+)?{re.escape(needle)}$", role)
    assert _of_at_end(needle, role) == (found.start() if found else None)


def test_the_top_diplomats_of_two_countries_are_the_sides(gazetteer: Gazetteer) -> None:
    report = make_report(
        "SEOUL -- The top diplomats of South Korea and the United States met in Rome on "
        "Sunday to discuss ways to resume the stalled talks."
    )
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None
    assert {s.id for s in meeting.sides} == {"country:KR", "country:US"}
    assert meeting.place is not None and meeting.place.name == "Rome"


def test_a_place_after_since_is_another_events(gazetteer: Gazetteer) -> None:
    # "since ... in Tokyo": the new government's city, not where the two met.
    report = make_report(
        "It marked the first meeting between Foreign Minister Cho Tae-yul and Takeshi Iwaya "
        "since Iwaya took office last month with the new leadership in Tokyo."
    )
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None and meeting.place is None


@pytest.mark.parametrize(
    "text",
    [
        # South Asian English: "Talking to <official>, he said ..." reports a meeting.
        "Talking to Australian High Commissioner Neil Hawkins in Islamabad today, Speaker "
        "of the National Assembly of Pakistan Raja Pervaiz Ashraf lauded the ties.",
        # "held ... discussion" in the singular.
        "Nigeria's Foreign Affairs Minister Yusuf Tuggar has held bilateral discussion with "
        "Australian High Commissioner Neil Hawkins in Abuja.",
    ],
)
def test_more_ways_english_tells_a_meeting(gazetteer: Gazetteer, text: str) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None and meeting.type is not MeetingType.CALL
    assert "country:AU" in {s.id for s in meeting.sides}


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("In the capital Jakarta, the minister held talks with his counterpart.", "Jakarta"),
        ("They met in the Kazakh capital, Astana, on Monday.", "Astana"),
        ("The two had a meeting on December 10 at State House Nairobi.", "Nairobi"),
    ],
)
def test_a_city_after_capital_or_a_venue_is_a_place(
    gazetteer: Gazetteer, text: str, city: str
) -> None:
    from bot.extract.places import find_places

    assert [p.name for p, _ in find_places(text, gazetteer)] == [city]


def test_the_day_something_was_said_is_not_the_meetings(gazetteer: Gazetteer) -> None:
    from datetime import UTC, datetime

    from bot.reports import RawDocument, parse_report

    text = (
        "Foreign Minister Cho Tae-yul and his Japanese counterpart, Takeshi Iwaya, have held "
        "talks on the sidelines of the APEC meeting in Peru, Seoul's foreign ministry said "
        "Friday. The top diplomats of the two nations held a meeting in Lima on Thursday."
    )
    friday = datetime(2024, 11, 15, tzinfo=UTC)
    report = parse_report(RawDocument(text, source="t", published_at=friday), now=friday)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None and (meeting.date, meeting.date_stated) == ("2024-11-14", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "He met him on March 15. The talks went well.",
            ["He met him on March 15.", "The talks went well."],
            id="a-day-after-its-english-month-ends-a-sentence",
        ),
        pytest.param(
            "Am 20. April trafen sich die Minister. Sie sprachen.",
            ["Am 20. April trafen sich die Minister.", "Sie sprachen."],
            id="a-day-written-as-an-ordinal-does-not",
        ),
        pytest.param(
            "EE.UU. mantuvieron la reunión. El ministro dijo.",
            ["EE.UU. mantuvieron la reunión.", "El ministro dijo."],
            id="a-lower-case-word-goes-on",
        ),
        pytest.param(
            "Mr. Smith met Ms. Jones. They talked.",
            ["Mr. Smith met Ms. Jones.", "They talked."],
            id="abbreviations",
        ),
        pytest.param(
            "王毅与外长会谈。双方交换意见。",
            ["王毅与外长会谈。", "双方交换意见。"],
            id="a-full-stop-that-needs-no-space",
        ),
        pytest.param(
            "Лавров встретился с Фиданом. Стороны обсудили Сирию.",
            ["Лавров встретился с Фиданом.", "Стороны обсудили Сирию."],
            id="an-upper-case-letter-of-another-script",
        ),
    ],
)
def test_one_sentence_splitter_for_every_language(text: str, expected: list[str]) -> None:
    from bot.extract.text import sentences

    assert [s.text for s in sentences(text)] == expected


def test_a_venue_of_diplomacy_is_the_place_before_a_namesake_elsewhere(
    gazetteer: Gazetteer,
) -> None:
    """places_extra.tsv's venues win over GeoNames' namesakes in another country: "Bali"
    is Indonesia's island, not Bāli in India."""
    bali = gazetteer.city("Bali")
    assert bali is not None and bali.country == "ID"
    text = (
        "Russian Foreign Minister Sergei Lavrov met UN Secretary-General Antonio Guterres on "
        "the sidelines of the G20 summit in Bali on Tuesday."
    )
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None and meeting.place is not None
    assert (meeting.place.name, meeting.place.country) == ("Bali", "ID")
