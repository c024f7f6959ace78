"""Meeting facts, rule by rule (issue 9): who took part and for which country, the sides,
call or in person, host, visit or third location, place, date, and one meeting per alert.
Short texts written for these tests; the real readouts are measured in test_quality.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.cluster import ClusterConfig, find_cluster
from bot.extract import Gazetteer, extract
from bot.knowledge import load_gazetteer
from bot.models import Annotations, MeetingType, Report, StoredReport
from bot.reports import RawDocument, parse_report
from bot.summarize import card, digest_line
from tests.conftest import NOW

PUBLISHED = datetime(2025, 6, 30, 15, 0, tzinfo=UTC)  # a Monday


def read(
    text: str,
    *,
    home: str | None = None,
    title: str | None = None,
    published: datetime | None = PUBLISHED,
) -> tuple[Report, Annotations]:
    raw = RawDocument(text, source="test", title=title, published_at=published, home_country=home)
    report = parse_report(raw, now=NOW)
    return report, extract(report, load_gazetteer())  # loaded once per process


def sides(text: str, **kwargs: object) -> tuple[str, ...]:
    _, annotations = read(text, **kwargs)  # type: ignore[arg-type]
    return tuple(s.split(":", 1)[1] for s in annotations.sides)


def person(text: str, name: str, **kwargs: object) -> tuple[str | None, str | None]:
    _, annotations = read(text, **kwargs)  # type: ignore[arg-type]
    found = {p.name: p for p in annotations.people}
    assert name in found, f"{name!r} not among {sorted(found)}"
    return found[name].country or found[name].org, found[name].evidence


# -- participants and their countries, from evidence attached to the person -------------------


@pytest.mark.parametrize(
    ("text", "name", "country", "rule"),
    [
        pytest.param(
            "German Federal Minister of Defence Boris Pistorius met his Polish counterpart.",
            "Boris Pistorius",
            "DE",
            "grammar",
            id="demonym-title-name",
        ),
        pytest.param(
            "Japan National Security Secretariat Secretary General Akiba Takeo met officials.",
            "Akiba Takeo",
            "JP",
            "grammar",
            id="country-long-title-name",
        ),
        pytest.param(
            "Prime Minister Boris Johnson of the United Kingdom met the Emir.",
            "Boris Johnson",
            "GB",
            "grammar",
            id="title-name-of-country",
        ),
        pytest.param(
            "The meeting was chaired by Wang Yi, member of the Political Bureau and Chinese "
            "Foreign Minister, in Beijing.",
            "Wang Yi",
            "CN",
            "grammar",
            id="apposition",
        ),
        pytest.param(
            "Dar held a meeting with Ama Serwaa Mensah, Minister for Foreign Affairs and "
            "Regional Integration, the Republic of Ghana.",
            "Ama Serwaa Mensah",
            "GH",
            "grammar",
            id="apposition-closed-by-the-country",
        ),
        pytest.param(
            "Blinken met his Israeli counterpart Israel Katz in Tel Aviv.",
            "Israel Katz",
            "IL",
            "grammar",
            id="counterpart-whose-name-is-a-country",
        ),
        pytest.param(
            "Valentina Matviyenko, Chairwoman of the Federation Council, received the guests.",
            "Valentina Matviyenko",
            "RU",
            "institution",
            id="country-bound-institution",
        ),
        pytest.param(
            "Sergei Lavrov met the visiting delegation in Moscow.",
            "Sergei Lavrov",
            "RU",
            "officeholders",
            id="dated-record",
        ),
        pytest.param(
            "NATO Secretary General Mark Rutte met ministers.",
            "Mark Rutte",
            "NATO",
            "grammar",
            id="an-organisation-speaks-too",
        ),
    ],
)
def test_a_persons_country_comes_from_evidence_attached_to_the_person(
    text: str, name: str, country: str, rule: str
) -> None:
    found, evidence = person(text, name)
    assert found == country
    assert evidence is not None and evidence.startswith(rule)


def test_a_person_with_no_evidence_keeps_an_unknown_country() -> None:
    # Pakistan is the country the text names most; nothing ties Mr Ahmed Karimov to it.
    text = (
        "Pakistan and Pakistan's partners: Senior Adviser Rustam Karimov met officials of "
        "Pakistan. Pakistan welcomed it."
    )
    assert person(text, "Rustam Karimov")[0] is None


def test_the_sources_home_country_is_given_to_its_officials_named_without_one() -> None:
    text = (
        "Foreign Minister Tomas Vrbeticky held talks with Russian Foreign Minister Sergei Lavrov."
    )
    assert sides(text, home="CZ") == ("CZ", "RU")
    assert sides(text) == ("RU",)  # without the home country: unknown, not guessed


@pytest.mark.parametrize(
    ("name", "title", "on", "expected"),
    [
        pytest.param("Biden", "President", date(2022, 3, 1), "US", id="in-office"),
        pytest.param("Biden", "President", date(2019, 3, 1), None, id="before-the-term"),
        pytest.param("Xi", "President", date(2012, 1, 1), None, id="vice-president-then"),
        pytest.param("Xi", "President", date(2020, 1, 1), "CN", id="president-now"),
        pytest.param(
            "Kamala Harris", "Vice President", date(2022, 1, 1), "US", id="vice-is-not-head"
        ),
        pytest.param("Harris", "President", date(2022, 1, 1), None, id="a-pm-is-no-president"),
        pytest.param("Antonio Guterres", None, date(2025, 7, 1), "org:UN", id="un-chief-today"),
        pytest.param("Antonio Guterres", None, date(2000, 7, 1), "PT", id="portugal-then"),
        pytest.param("Workneh Gebeyehu", None, date(2025, 9, 24), "org:IGAD", id="igad-now"),
        pytest.param("Workneh Gebeyehu", None, date(2017, 6, 1), "ET", id="ethiopia-then"),
        pytest.param("Emmanuel Macron", "President", date(2023, 1, 1), "FR", id="not-andorra"),
        pytest.param("Kishida Fumio", None, date(2023, 1, 1), "JP", id="family-name-first"),
        pytest.param("Recep Tayyip Erdogan", None, date(2024, 1, 1), "TR", id="diacritics"),
        pytest.param("Sergey Lavrov", None, date(2024, 1, 1), "RU", id="transliteration"),
        # Spain's diplomat Enrique Viguera Rubio holds an "other" post of the record then.
        pytest.param("Rubio", "Secretary", date(2025, 7, 13), "US", id="an-office-not-a-post"),
        pytest.param("H.E. Dr. Joseph R. Biden, Jr.", None, date(2022, 1, 1), "US", id="titles"),
    ],
)
def test_officeholders_answer_by_date(
    gazetteer: Gazetteer, name: str, title: str | None, on: date, expected: str | None
) -> None:
    found = gazetteer.officeholders.resolve(name, title, on)
    assert (found.country if found else None) == expected


def test_terms_kept_by_hand_end_the_tables_open_ones_and_keep_earlier_tenures(
    gazetteer: Gazetteer,
) -> None:
    record = gazetteer.officeholders
    # The tables left Blinken's foreign ministry open; the hand-kept term ends it in 2025.
    after = record.resolve("Antony Blinken", None, date(2025, 7, 10))
    assert after is not None and after.office is None and "former" in after.evidence
    assert record.resolve("Blinken", "Secretary", date(2025, 7, 10)) is None
    during = record.resolve("Antony Blinken", None, date(2024, 7, 10))
    assert during is not None and during.office == "foreign minister"
    # Motegi's earlier tenure stays beside the one kept by hand (2025-).
    earlier = record.resolve("Toshimitsu Motegi", None, date(2020, 7, 10))
    assert earlier is not None and earlier.office == "foreign minister"


def test_a_spokesperson_who_tells_of_the_call_is_not_in_it() -> None:
    _, annotations = read(
        "Secretary of State Antony Blinken spoke with Chinese Foreign Minister Wang Yi by "
        "phone on Thursday, State Department spokesman Matthew Miller said.",
        published=datetime(2024, 7, 12, tzinfo=UTC),
    )
    meeting = annotations.meeting
    assert meeting is not None
    assert {p.name for p in meeting.participants} == {"Antony Blinken", "Wang Yi"}


def test_the_office_said_is_the_highest_held_on_the_day_and_never_other(
    gazetteer: Gazetteer,
) -> None:
    # The record lists Wang Yi as foreign minister and, beside it, in an "other" post.
    found = gazetteer.officeholders.resolve("Wang Yi", None, date(2024, 1, 1))
    assert found is not None and found.office == "foreign minister"
    modi = gazetteer.officeholders.resolve("Narendra Modi", None, date(2024, 1, 1))
    assert modi is not None and modi.office == "head of government"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Secretary-General", "org:UN"), ("Prime Minister", "PT"), (None, None)],
)
def test_without_a_day_the_title_names_the_office(
    gazetteer: Gazetteer, title: str | None, expected: str | None
) -> None:
    # No day to read the record on, and Guterres led Portugal's government, then the UN:
    # the title decides, and without one there is no answer.
    found = gazetteer.officeholders.resolve("Antonio Guterres", title, None)
    assert (found.country if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected", "name"),
    [
        # Two particles together; a name of the record written with its lower-case words.
        pytest.param(
            "European Commission President Ursula von der Leyen spoke by phone with Chinese "
            "Premier Li Qiang.",
            {"EU", "CN"},
            "Ursula von der Leyen",
            id="von-der",
        ),
        pytest.param(
            "Ursula von der Leyen met Narendra Modi in New Delhi on Friday.",
            {"EU", "IN"},
            "Ursula von der Leyen",
            id="record-name-with-particles",
        ),
        # Muhammad as outlets spell it, a Gulf name as far as the father's name: the
        # record's "Mohammad bin Salman", Saudi Arabia's prime minister on the day.
        pytest.param(
            "Crown Prince Mohammed bin Salman received Pakistani Prime Minister Shehbaz Sharif "
            "in Jeddah.",
            {"SA", "PK"},
            "Mohammed bin Salman",
            id="muhammad-bin",
        ),
        pytest.param(
            "Foreign Minister Sheikh Abdullah bin Zayed met Iranian Foreign Minister Abbas "
            "Araghchi.",
            {"AE", "IR"},
            "Abdullah bin Zayed",
            id="short-gulf-name",
        ),
        # "Md." is Muhammad shortened, no sentence's end.
        pytest.param(
            "Foreign Minister Ishaq Dar held a meeting with the Foreign Adviser of Bangladesh "
            "Md. Touhid Hossain in Dhaka today.",
            {"PK", "BD"},
            "Md. Touhid Hossain",
            id="md-abbreviation",
        ),
        # Two ministers who co-chaired a dialogue met.
        pytest.param(
            "External Affairs Minister S. Jaishankar and Australian Foreign Minister Penny Wong "
            "co-chaired the Foreign Ministers' Framework Dialogue in Canberra.",
            {"IN", "AU"},
            "Penny Wong",
            id="co-chaired",
        ),
        pytest.param(
            "Mohammed bin Zayed met Narendra Modi in Abu Dhabi on Friday.",
            {"AE", "IN"},
            "Mohammed bin Zayed",
            id="short-gulf-name-no-title",
        ),
    ],
)
def test_names_as_outlets_write_them(text: str, expected: set[str], name: str) -> None:
    published = datetime(2025, 7, 13, tzinfo=UTC)
    assert set(sides(text, published=published)) == expected
    assert person(text, name, published=published)[0] in expected


@pytest.mark.parametrize(
    ("text", "name", "side"),
    [
        ("Foreign Minister Ahmed Attaf called on President of Sri Lanka Anura Kumara "
         "Dissanayake in Colombo.", "Anura Kumara Dissanayake", "LK"),
        ("President Kassym-Jomart Tokayev received the Secretary General of the Shanghai "
         "Cooperation Organisation Nurlan Yermekbayev.", "Nurlan Yermekbayev", "SCO"),
        # "of the" inside the title too, before a one-word name.
        ("Foreign Minister Sergey Lavrov held talks with Minister of Foreign Affairs of the "
         "Republic of Indonesia Sugiono in Moscow.", "Sugiono", "ID"),
    ],
)  # fmt: skip
def test_a_title_of_a_country_of_several_words_ends_where_the_country_does(
    text: str, name: str, side: str
) -> None:
    # The title's "of" reads as few words as it can; the country's whole name is still its.
    assert person(text, name)[0] == side
    _, annotations = read(text)
    assert all(not p.name.startswith(("Lanka", "Organisation")) for p in annotations.people)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amid tensions with China over Taiwan, Japanese Prime Minister Shigeru Ishiba met "
         "Philippine President Ferdinand Marcos Jr. in Manila.", {"JP", "PH"}),
        ("Following the attack in Pahalgam, Pakistan's Foreign Minister Ishaq Dar spoke by "
         "telephone with Saudi Foreign Minister Prince Faisal bin Farhan.", {"PK", "SA"}),
    ],
)  # fmt: skip
def test_an_opening_topic_keeps_the_subject(text: str, expected: set[str]) -> None:
    # The opening phrase is what the meeting was about (China is no side); the subject
    # after its comma took part.
    assert set(sides(text)) == expected


def test_a_title_in_the_present_over_a_lead_in_the_future_announces_no_meeting() -> None:
    title = "President Ramaphosa hosts President of Senegal"
    lead = (
        "President Cyril Ramaphosa will on Thursday host President Bassirou Diomaye Faye of "
        "Senegal for a State Visit at the Union Buildings in Pretoria."
    )
    assert read(lead, title=title)[1].meeting is None
    held = lead.replace("will on Thursday host", "on Thursday hosted")
    assert set(sides(held, title=title)) == {"ZA", "SN"}


def test_agreed_during_talks_is_a_meeting_held_and_agreed_to_hold_talks_is_not() -> None:
    held = (
        "Japan's Prime Minister Shigeru Ishiba and South Korean President Lee Jae-myung agreed "
        "to deepen cooperation during talks in Tokyo."
    )
    assert set(sides(held)) == {"JP", "KR"}
    assert read("The two foreign ministers agreed to hold talks in Tokyo.")[1].meeting is None
    assert read("The ministers will discuss trade during talks in Tokyo.")[1].meeting is None


def test_an_undated_readout_gets_its_organisation_from_the_title() -> None:
    text = (
        "Secretary-General Antonio Guterres held a telephone conversation with Pakistan's "
        "Foreign Minister Ishaq Dar."
    )
    assert set(sides(text, published=None)) == {"UN", "PK"}
    assert set(sides(text.replace("Secretary-General ", ""), published=None)) == {"PK"}


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        pytest.param(
            "The Prime Minister met the visiting delegation.", "Prime Minister", id="title"
        ),
        pytest.param("A White House spokesperson met reporters.", "White House", id="white-house"),
        pytest.param(
            "Ethiopian PM Holds Talks With Djiboutian President\n\nThe talks went well.",
            "Holds",
            id="a-title-case-headlines-verb",
        ),
        pytest.param(
            "President Tinubu Receives Letters From Envoys\n\nThe envoys came.",
            "Receives",
            id="a-title-case-headlines-verb-after-a-name",
        ),
        pytest.param(
            "Saudi Crown Prince, Deputy Prime Minister and Defense Minister, called.",
            "Saudi Crown Prince",
            id="titles-and-a-country",
        ),
        pytest.param(
            "Dar met Ama Mensah, Minister for Foreign Affairs and Regional Integration of "
            "Ghana, and Kofi Boateng, Minister of Foreign Affairs and National Community "
            "Abroad.",
            "Integration",
            id="an-office-named-by-its-portfolio",
        ),
        pytest.param(
            "Wang Yi, Director of the Office of the Central Commission for Foreign Affairs, "
            "spoke with Blinken.",
            "Commission",
            id="an-office-named-by-its-body",
        ),
        pytest.param(
            "Prime Minister and Defense Minister Gen. Prayut Chan-ocha met Wang Yi.",
            "Gen",
            id="a-military-rank-before-a-name",
        ),
        pytest.param(
            "HH Prince Faisal bin Farhan received a call from Ayman Safadi.",
            "HH",
            id="an-abbreviated-highness",
        ),
        pytest.param(
            "A delegation led by Senator Sherry Rehman MP met Foreign Minister Wang Yi.",
            "MP",
            id="letters-after-a-name",
        ),
        pytest.param(
            "Sultan Qaboos received Chairman of the Executive Committee of the Palestine "
            "Liberation Organization Mahmoud Abbas.",
            "Liberation",
            id="a-bodys-name-after-a-title",
        ),
        pytest.param(
            "Sultan Qaboos received President Mahmoud Abbas, Chairman of the Executive "
            "Committee of the Palestine Liberation\u2026",
            "Liberation",
            id="a-teaser-cut-short",
        ),
    ],
)
def test_a_title_without_a_name_is_never_a_person(text: str, forbidden: str) -> None:
    _, annotations = read(text)
    assert all(forbidden not in p.name for p in annotations.people)


def test_a_name_never_runs_across_a_paragraph_break() -> None:
    _, annotations = read("The talks were chaired by Foreign Minister Ahmet Yilmaz\nSunday Times")
    assert [p.name for p in annotations.people] == ["Ahmet Yilmaz"]


def test_diacritics_are_folded_for_matching_and_kept_for_display() -> None:
    _, annotations = read("Turkish President Recep Tayyip Erdoğan met Erdogan's advisers.")
    [erdogan] = annotations.people
    assert erdogan.name == "Recep Tayyip Erdoğan"
    assert len(erdogan.spans) == 1  # "Erdogan's" spelled otherwise is not counted as a span


# -- sides -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Russian Foreign Minister Sergei Lavrov held talks with US Secretary of State "
            "Antony Blinken on Ukraine, Syria and Iran's nuclear programme.",
            ("RU", "US"),
            id="topics-are-not-sides",
        ),
        pytest.param(
            "Indian Prime Minister Narendra Modi received Australian Prime Minister Anthony "
            "Albanese. Earlier, he had met French President Emmanuel Macron.",
            ("IN", "AU"),
            id="a-recalled-meeting-is-not-a-side",
        ),
        pytest.param(
            "Pakistani Prime Minister Shehbaz Sharif met Turkish President Recep Tayyip "
            "Erdogan. He is expected to meet Chinese Premier Li Qiang next week.",
            ("PK", "TR"),
            id="a-planned-meeting-is-not-a-side",
        ),
        pytest.param(
            "German and Russian Foreign ministers met in Moscow on Tuesday.",
            ("DE", "RU"),
            id="titles-without-names",
        ),
        pytest.param(
            "U.S. Senator Arlen Specter, who has asked whether Defense Secretary Lloyd Austin "
            "should resign, met Saudi officials on Monday.",
            ("US", "SA"),
            id="a-relative-clause-names-nobody-who-took-part",
        ),
        pytest.param(
            "Palestinian President Mahmoud Abbas took a telephone call from U.S. Middle East "
            "envoy Dennis Ross.",
            ("PS", "US"),
            id="words-between-country-and-title",
        ),
        pytest.param(
            "Vice President Kamala Harris met Cuban American leaders in Miami.",
            ("US",),
            id="a-community-is-not-a-government",
        ),
        pytest.param(
            "Vietnamese Foreign Minister Pham Binh Minh on May 21 held phone talks with US "
            "Secretary of State John Kerry.",
            ("VN", "US"),
            id="the-month-may-is-no-modal-verb",
        ),
        pytest.param(
            "Pakistani Speaker Raja Pervaiz Ashraf has said that diplomacy matters. Talking to "
            "Australian High Commissioner Neil Hawkins in Islamabad today, he lauded the "
            "friendship group.",
            ("PK", "AU"),
            id="a-participle-opens-and-the-pronoun-after-it-is-the-subject",
        ),
        pytest.param(
            "Mr. MOTEGI Toshimitsu, Minister for Foreign Affairs of Japan, held a telephone "
            "talk for approximately 30 minutes with Senator the Hon. Marise Payne, Minister for "
            "Foreign Affairs of Australia.",
            ("JP", "AU"),
            id="a-call-for-a-while-is-no-call-for-something",
        ),
        pytest.param(
            "Pakistani Deputy Prime Minister Ishaq Dar landed in Banjul. Prior to that, Dar "
            "met with Azerbaijan's Foreign Minister Jeyhun Bayramov.",
            ("PK", "AZ"),
            id="a-time-before-then-a-deed-is-no-plan",
        ),
    ],
)
def test_sides_are_who_took_part(text: str, expected: tuple[str, ...]) -> None:
    assert sides(text) == expected


def test_two_countries_joined_by_a_dash_before_a_title_are_both_sides() -> None:
    title = "Japan-Australia Foreign Ministers\u2019 Telephone Talk"
    assert sides("The ministers discussed the pandemic.", title=title) == ("JP", "AU")


def test_a_ministrys_heading_naming_only_the_guest_has_the_source_as_host() -> None:
    title = "Bilateral meeting with Japanese Foreign Minister"
    text = "Marise Payne: Good morning, Minister, and welcome to you and your team."
    assert sides(text, title=title, home="AU") == ("JP", "AU")
    assert sides(text, title=title) == ("JP",)  # whose heading it is, nothing says


def test_a_country_only_discussed_never_becomes_a_side() -> None:
    text = (
        "Kenyan President William Ruto spoke with Ugandan President Yoweri Museveni about "
        "the war in Sudan. Sudan, Sudan and Sudan: the two leaders discussed South Sudan too."
    )
    assert "SD" not in sides(text) and "SS" not in sides(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Turkish Foreign Minister Hakan Fidan met his counterparts on the sidelines of the "
            "ASEAN meeting on Friday. Fidan separately held talks with Bangladeshi Foreign "
            "Minister AK Abdul Momen, his Vietnamese counterpart Bui Thanh Son and Norwegian "
            "Foreign Minister Anniken Huitfeldt.",
            {"TR", "BD", "VN", "NO"},
            id="a-lead-naming-no-counterpart-then-the-round",
        ),
        pytest.param(
            "Russian Foreign Minister Sergey Lavrov held talks with Hungarian Foreign Minister "
            "Peter Szijjarto. On Tuesday, Lavrov held talks with US Secretary of State Marco "
            "Rubio, Slovak Foreign Minister Juraj Blanar and Vietnamese Foreign Minister Bui "
            "Thanh Son.",
            {"RU", "HU"},
            id="a-round-after-the-meeting-reported-is-background",
        ),
    ],
)
def test_a_round_of_talks_is_the_news_only_when_the_lead_names_no_counterpart(
    text: str, expected: set[str]
) -> None:
    assert set(sides(text)) == expected


def test_a_round_told_in_one_clause_is_one_meeting_per_counterpart() -> None:
    text = (
        "Turkish Foreign Minister Hakan Fidan met his counterparts on Friday. In Jakarta, "
        "Fidan separately held talks with Bangladeshi Foreign Minister AK Abdul Momen, his "
        "Vietnamese counterpart Bui Thanh Son and Norwegian Foreign Minister Anniken "
        "Huitfeldt."
    )
    _, annotations = read(text)
    pairs = [set(m.countries) for m in annotations.meetings]
    # The lead's meeting, then one per counterpart: Bangladesh never "met" Norway.
    assert pairs == [{"TR"}, {"TR", "BD"}, {"TR", "VN"}, {"TR", "NO"}]
    assert [p.name for p in annotations.meetings[2].participants] == [
        "Hakan Fidan",
        "Bui Thanh Son",
    ]
    # The lead says no place; the round it announced does.
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert annotations.meeting.place.name == "Jakarta"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Turkish Foreign Minister Hakan Fidan met his Russian counterpart Sergey Lavrov in "
            "New York. Fidan later met with Alexander Schallenberg, Minister of Foreign Affairs "
            "of Austria.",
            [{"TR", "RU"}, {"TR", "AT"}],
            id="one-side-then-another-counterpart",
        ),
        pytest.param(
            "Saudi Foreign Minister Prince Faisal bin Farhan received a phone call from his "
            "Iranian counterpart Hossein Amirabdollahian on Sunday. Qatar's foreign minister "
            "also spoke with Amirabdollahian via phone call on Sunday.",
            [{"SA", "IR"}, {"IR", "QA"}],
            id="a-later-clause-whose-subject-is-a-countrys-minister",
        ),
    ],
)
def test_a_clause_that_meets_a_new_side_beside_one_met_is_another_meeting(
    text: str, expected: list[set[str]]
) -> None:
    _, annotations = read(text)
    assert [set(m.countries) for m in annotations.meetings] == expected


def test_a_later_clause_meets_the_titles_it_names_after_its_verb() -> None:
    text = (
        "Ethiopian Prime Minister Abiy Ahmed received Kenyan President William Ruto in Addis "
        "Ababa. The two leaders discussed trade. They spoke of security too. The Prime "
        "Minister also met with the leaders of Algeria, Morocco and Estonia to discuss "
        "various issues. The Russian Ambassador said the summit went well."
    )
    found = set(sides(text, home="ET"))
    assert {"ET", "KE", "DZ", "MA", "EE"} <= found
    assert "RU" not in found  # a title that only speaks is no side


def test_a_round_told_for_another_day_than_the_lead_is_background() -> None:
    text = (
        "Addis Ababa, February 11, 2019 - Prime Minister Abiy Ahmed today held talks with "
        "presidents of African countries. He conferred with President of Botswana Mokgweetsi "
        "Masisi, President of Djibouti Ismail Omar Guelleh and President of Ghana Nana "
        "Akufo-Addo. Yesterday, the Prime Minister also had bilateral meetings with "
        "Palestinian President Mahmoud Abbas, South African President Cyril Ramaphosa and "
        "Kenyan President Uhuru Kenyatta."
    )
    assert set(sides(text, home="ET")) == {"ET", "BW", "DJ", "GH"}


def test_a_list_of_titles_and_names_gives_each_title_to_the_name_after_it() -> None:
    text = (
        "Ethiopian Prime Minister Abiy Ahmed held talks with African leaders. He conferred "
        "with President of Botswana Mokgweetsi Masisi, President of Somalia, Mohamed "
        "Abdullahi Farmajo, President of Djibouti Ismail Omar Guelleh and President of Ghana "
        "Nana Akufo-Addo."
    )
    _, annotations = read(text)
    found = {p.name: p.country for p in annotations.people}
    assert found["Mokgweetsi Masisi"] == "BW"
    assert found["Ismail Omar Guelleh"] == "DJ"
    assert found["Mohamed Abdullahi Farmajo"] == "SO"
    assert "Botswana Mokgweetsi Masisi" not in found


def test_a_report_of_two_separate_meetings_gives_two_meetings() -> None:
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh received Japanese Ambassador Ito Naoki. "
        "Separately, Chinh held a phone call with Lao Prime Minister Sonexay Siphandone."
    )
    _, annotations = read(text)
    assert annotations.meeting is not None and len(annotations.other_meetings) == 1
    assert annotations.meeting.countries == ("VN", "JP")
    assert annotations.other_meetings[0].type is MeetingType.CALL
    assert set(annotations.sides) == {"country:VN", "country:JP", "country:LA"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The ministry said Pakistan and India must settle the Kashmir dispute.",
            id="statement",
        ),
        pytest.param(
            "Pakistan will not seek a bilateral meeting with Indian Prime Minister Narendra Modi.",
            id="denied",
        ),
        pytest.param(
            "Hungarian Foreign Minister Peter Szijjarto expects to meet his Russian counterpart "
            "Sergei Lavrov next week.",
            id="expected",
        ),
        pytest.param(
            "Senator Dianne Feinstein, a California Democrat, called it a big bump for Pakistan.",
            id="called-it",
        ),
    ],
)
def test_a_report_that_tells_no_meeting_gives_no_meeting_and_no_card_sides(
    gazetteer: Gazetteer, text: str
) -> None:
    report, annotations = read(text)
    assert annotations.meeting is None
    c = card(1, report, annotations, gazetteer)
    assert c.who is None and c.meeting_type == "no meeting reported"
    line = digest_line(report, annotations, gazetteer)
    assert line.endswith(f"(no meeting reported) {c.title} \u00b7 {report.outlet_name}")
    assert "\U0001f1f5\U0001f1f0" not in c.headline  # no flag for a country only named


# -- call or in person, and the type -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(
            "Kuwaiti Emir Sheikh Mishal received a telephone call from Saudi King Salman.",
            MeetingType.CALL,
            id="received-a-telephone-call",
        ),
        pytest.param(
            "Prime Minister Anwar Ibrahim received on Tuesday a phone call from Turkish "
            "President Recep Tayyip Erdogan.",
            MeetingType.CALL,
            id="received-on-a-day-a-call",
        ),
        pytest.param(
            "Chinese Foreign Minister Wang Yi held a phone conversation with Japanese Foreign "
            "Minister Toshimitsu Motegi.",
            MeetingType.CALL,
            id="phone-conversation",
        ),
        pytest.param(
            "President Joe Biden held a video conference with Japanese Prime Minister Fumio "
            "Kishida.",
            MeetingType.CALL,
            id="video-conference",
        ),
        pytest.param(
            "Malaysian Prime Minister Anwar Ibrahim received a courtesy call from Australian "
            "Foreign Minister Penny Wong in Putrajaya.",
            MeetingType.HOST,
            id="courtesy-call-is-in-person",
        ),
        pytest.param(
            "US Secretary of State Antony Blinken met British Foreign Secretary David Lammy in "
            "Munich.",
            MeetingType.THIRD_LOCATION,
            id="third-location",
        ),
        # "a call on Monday" is a call; "paid a call on" a visit.
        pytest.param(
            "The leaders of France and Germany discussed Ukraine with President Trump during a "
            "call on Monday.",
            MeetingType.CALL,
            id="during-a-call-on-a-day",
        ),
        # The host's country unknown: Jeddah may be theirs, so no third location is said.
        pytest.param(
            "Prince Abdulrahman Al Qasimi received Pakistani Prime Minister Shehbaz Sharif in "
            "Jeddah on Monday.",
            MeetingType.MEETING,
            id="host-of-no-known-country",
        ),
        # The host is of no known country: Ukraine, the only side, hosted nobody.
        pytest.param(
            "Pope Leo XIV received Ukrainian President Volodymyr Zelensky at Castel Gandolfo.",
            MeetingType.MEETING,
            id="host-of-no-side",
        ),
        # One country known: nothing says the other party is away from home too.
        pytest.param(
            "The delegation met Chinese Premier Li Qiang in Brussels.",
            MeetingType.MEETING,
            id="one-country-away",
        ),
    ],
)
def test_call_or_in_person_from_the_clause_that_tells_it(text: str, kind: MeetingType) -> None:
    _, annotations = read(text)
    assert annotations.meeting is not None
    assert annotations.meeting.type is kind


def test_a_call_has_no_place() -> None:
    _, annotations = read(
        "ISLAMABAD, June 30 (APP) - Pakistani Prime Minister Shehbaz Sharif held a telephone "
        "conversation with Turkish President Recep Tayyip Erdogan."
    )
    assert annotations.meeting is not None and annotations.meeting.place is None


def test_welcomed_to_the_white_house_is_a_hosted_visit() -> None:
    _, annotations = read(
        "President Joe Biden welcomed Kenyan President William Ruto to the White House.",
        home="US",
        published=datetime(2024, 5, 23, tzinfo=UTC),
    )
    meeting = annotations.meeting
    assert meeting is not None and meeting.place is not None
    assert (meeting.place.name, meeting.type) == ("Washington", MeetingType.HOST)


# -- place -----------------------------------------------------------------------------------


@pytest.mark.parametrize("city", ["Paris", "Brussels", "Athens", "Davos", "Lagos"])
def test_cities_ending_in_s_are_places(city: str) -> None:
    _, annotations = read(
        f"French President Emmanuel Macron met Nigerian President Bola Tinubu in {city}."
    )
    meeting = annotations.meeting
    assert meeting is not None and meeting.place is not None
    assert meeting.place.name == city


def test_the_text_beats_the_dateline_and_a_venue_tells_the_city() -> None:
    _, annotations = read(
        "LONDON, June 30 (Reuters) - Russian President Vladimir Putin received Indian Prime "
        "Minister Narendra Modi at the Kremlin."
    )
    meeting = annotations.meeting
    assert meeting is not None and meeting.place is not None
    assert (meeting.place.name, meeting.type) == ("Moscow", MeetingType.HOST)
    _, annotations = read(
        "Prime Minister Keir Starmer welcomed Indian Prime Minister Narendra Modi to 10 Downing "
        "Street."
    )
    meeting = annotations.meeting
    assert meeting is not None and meeting.place is not None
    assert meeting.place.name == "London"  # a house number before the venue's street


def test_a_city_and_a_dash_before_the_first_sentence_is_a_dateline() -> None:
    text = (
        "Addis Ababa \u2014 Ethiopian Prime Minister Abiy Ahmed received Kenyan President "
        "William Ruto."
    )
    _, annotations = read(text)
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert annotations.meeting.place.name == "Addis Ababa"


def test_a_dateline_in_the_country_the_clause_names_is_the_place() -> None:
    text = (
        "JAKARTA: Top Chinese diplomat Wang Yi held talks with US Secretary of State Antony "
        "Blinken on Thursday on the sidelines of a summit in Indonesia."
    )
    _, annotations = read(text)
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert annotations.meeting.place.name == "Jakarta"


def test_the_top_diplomats_of_the_two_nations_are_the_pair_named_before() -> None:
    text = (
        "South Korean Foreign Minister Cho Tae-yul and his Japanese counterpart Takeshi "
        "Iwaya have held talks on the sidelines of the APEC meeting in Peru. The top "
        "diplomats of the two nations held a meeting in Lima on Thursday."
    )
    _, annotations = read(text)
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert annotations.meeting.place.name == "Lima"


def test_a_meeting_a_statement_describes_takes_no_place_from_the_desk() -> None:
    described = (
        "LONDON (Reuters) - Britain on Friday described foreign minister David Lammy's "
        "meeting with his Chinese counterpart Wang Yi as constructive."
    )
    told = (
        "LONDON (Reuters) - British Foreign Secretary David Lammy met Chinese Foreign "
        "Minister Wang Yi on Friday."
    )
    _, annotations = read(described)
    assert annotations.meeting is not None and annotations.meeting.place is None
    _, annotations = read(told)
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert annotations.meeting.place.name == "London"


def test_a_small_city_after_a_place_cue_is_the_place_and_a_word_is_not() -> None:
    text = (
        "Fijian Prime Minister Sitiveni Rabuka met with Australian Prime Minister Anthony "
        "Albanese yesterday in Nadi."
    )
    _, annotations = read(text)
    assert annotations.meeting is not None and annotations.meeting.place is not None
    assert (annotations.meeting.place.name, annotations.meeting.place.country) == ("Nadi", "FJ")
    # "Most" and "March" are towns of the Czech Republic and England, and words first.
    _, annotations = read(
        "Indian Prime Minister Narendra Modi met Czech President Petr Pavel in March."
    )
    assert annotations.meeting is not None and annotations.meeting.place is None


def test_a_desk_dateline_far_from_both_sides_is_not_the_place() -> None:
    _, annotations = read(
        "TASHKENT, June 30 (TASS) - Russian Foreign Minister Sergei Lavrov held talks with "
        "Turkish Foreign Minister Hakan Fidan."
    )
    assert annotations.meeting is not None and annotations.meeting.place is None


# -- date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param("on June 28", "2025-06-28", id="month-day"),
        pytest.param("on 11 March 2021", "2021-03-11", id="day-month-year"),
        pytest.param("yesterday", "2025-06-29", id="yesterday"),
        pytest.param("on Friday", "2025-06-27", id="weekday"),
        pytest.param("today", "2025-06-30", id="today"),
    ],
)
def test_the_meeting_date_comes_from_the_text(words: str, expected: str) -> None:
    _, annotations = read(
        f"Egyptian President Abdel Fattah el-Sisi received Turkish President Recep Tayyip "
        f"Erdogan {words} in Cairo."
    )
    assert annotations.meeting is not None and annotations.meeting.date == expected


def test_welcomed_to_a_city_is_the_place_and_welcomed_a_proposal_no_meeting() -> None:
    _, annotations = read(
        "Chancellor Olaf Scholz welcomed French President Emmanuel Macron to Berlin for talks "
        "on Ukraine on Wednesday.",
        published=datetime(2024, 5, 30, tzinfo=UTC),
    )
    meeting = annotations.meeting
    assert meeting is not None and meeting.place is not None
    assert (meeting.place.name, meeting.type) == ("Berlin", MeetingType.HOST)
    _, welcomed = read(
        "Chancellor Olaf Scholz welcomed French President Emmanuel Macron's proposal to send "
        "troops to Kyiv."
    )
    assert welcomed.meeting is None  # his proposal, not him


def test_a_dateline_an_earlier_meeting_contradicts_places_no_later_one() -> None:
    _, annotations = read(
        "ISLAMABAD, July 10: Foreign Minister Ishaq Dar met Chinese Foreign Minister Wang Yi in "
        "Beijing on Thursday. The two discussed CPEC and regional security. Later in the day, "
        "Dar also met Russian Foreign Minister Sergey Lavrov on the sidelines of the SCO "
        "meeting.",
        published=datetime(2025, 7, 10, tzinfo=UTC),
    )
    first, later = annotations.meetings
    assert first.place is not None and first.place.name == "Beijing"
    assert later.place is None  # not the desk's Islamabad
    assert later.type is MeetingType.MEETING


def test_under_a_title_without_a_day_the_bodys_clause_gives_it() -> None:
    # The title tells the meeting first but gives no day; the body's "On March 10" does,
    # months before the publication (not the publication's day).
    _, annotations = read(
        "On March 10, Foreign Minister Sergey Lavrov held talks with Minister of Foreign "
        "Affairs of the Arab Republic of Egypt Badr Abdelatty in Moscow.",
        title="Foreign Minister Sergey Lavrov's talks with Foreign Minister of Egypt Badr "
        "Abdelatty",
        published=datetime(2025, 7, 13, tzinfo=UTC),
    )
    meeting = annotations.meeting
    assert meeting is not None
    assert (meeting.date, meeting.date_stated) == ("2025-03-10", True)


def test_relative_days_count_from_the_datelines_day() -> None:
    _, annotations = read(
        "MOSCOW, May 31 (IANS) Russian Foreign Minister Sergei Lavrov and US Secretary of "
        "State Mike Pompeo held a phone conversation on Wednesday.",
        published=datetime(2018, 6, 1, tzinfo=UTC),
    )
    assert annotations.meeting is not None and annotations.meeting.date == "2018-05-30"


def test_a_year_less_dateline_takes_the_publications_year() -> None:
    report, _ = read(
        "MOSCOW, Dec 30 - Russian President Vladimir Putin met X.",
        published=datetime(2022, 1, 2, tzinfo=UTC),
    )
    assert report.dateline == "Moscow" and report.dateline_date == date(2021, 12, 30)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        pytest.param(
            "Lavrov meets Fidan\nANKARA, June 9, 2026 - Lavrov met X.", None, id="title-line"
        ),
        pytest.param(
            "# Lavrov meets Fidan\n\nANKARA, June 9, 2026 - Lavrov met X.", None, id="markdown"
        ),
        pytest.param(
            "Lavrov meets Fidan\n\nANKARA, June 9, 2026 - Lavrov met X.",
            "Lavrov meets Fidan",
            id="html-title-repeated",
        ),
    ],
)
def test_a_heading_no_longer_hides_the_dateline(text: str, title: str | None) -> None:
    report, _ = read(text, title=title, published=None)
    assert (report.dateline, report.title, report.body) == (
        "Ankara",
        "Lavrov meets Fidan",
        "Lavrov met X.",
    )
    assert report.dateline_date == date(2026, 6, 9)


# -- one meeting, one alert ------------------------------------------------------------------


def _stored(number: int, text: str, published: datetime) -> StoredReport:
    report, annotations = read(text, published=published)
    return StoredReport(number, report, annotations, NOW, number)


def test_the_two_national_readouts_of_one_call_are_one_meeting() -> None:
    moscow = _stored(
        1,
        "MOSCOW, June 30 - Russian Foreign Minister Sergei Lavrov held a telephone "
        "conversation with Pakistani Foreign Minister Ishaq Dar at the Pakistani side's "
        "initiative. The ministers discussed Afghanistan.",
        PUBLISHED,
    )
    report, annotations = read(
        "ISLAMABAD, June 30 (APP) - Deputy Prime Minister and Foreign Minister Mohammad Ishaq "
        "Dar received a phone call from Russian Foreign Minister Sergey Lavrov. Regional "
        "security and bilateral trade came up.",
        published=datetime(2025, 6, 30, 19, 0, tzinfo=UTC),
    )
    assert find_cluster(report, annotations, [moscow], ClusterConfig()) == 1


def test_two_meetings_of_one_outlet_on_one_day_stay_two() -> None:
    draghi = _stored(
        1,
        "President Joseph R. Biden, Jr. met today with Prime Minister Mario Draghi of Italy. "
        "The leaders discussed the pandemic and climate change.",
        PUBLISHED,
    )
    report, annotations = read(
        "President Joseph R. Biden, Jr. met today with President Sergio Mattarella of Italy. "
        "The leaders discussed the pandemic and climate change."
    )
    assert find_cluster(report, annotations, [draghi], ClusterConfig()) is None


def test_a_hard_wrapped_wire_is_read_as_sentences_not_lines() -> None:
    wire = (
        "PARIS, March 3 - French Finance Minister Edouard Balladur, who\n"
        "also had private talks with British Prime Minister Margaret\n"
        "Thatcher, said his government would present the bill in June\n"
        "after consulting the parliamentary groups of the majority and\n"
        "the opposition about its main points and about the calendar.\n"
        "He said the privatisation programme would continue this year\n"
        "as planned by the government in its budget for the next year."
    )
    report, annotations = read(wire, published=datetime(1987, 3, 3, tzinfo=UTC))
    assert "Margaret Thatcher" in report.body
    assert "Margaret Thatcher" in [p.name for p in annotations.people]


def test_one_person_in_talks_with_nobody_named_is_no_meeting() -> None:
    _, annotations = read(
        "Federal Reserve Vice Chairman Manuel Johnson said some banks were too rigid in talks "
        "with developing countries."
    )
    assert annotations.meeting is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "External Affairs Minister S. Jaishankar met Mexican Foreign Minister Alicia "
            "Barcena on the sidelines of the 78th session of the UN General Assembly.",
            "New York",
        ),
        # Its President is met where he is: the Assembly names no place then.
        (
            "Foreign Minister Ishaq Dar met the President of the UN General Assembly, Dennis "
            "Francis, and Turkish Foreign Minister Hakan Fidan.",
            None,
        ),
    ],
)
def test_a_meeting_at_a_body_that_always_meets_in_one_city_is_there(
    text: str, place: str | None
) -> None:
    _, annotations = read(text, published=datetime(2023, 9, 24, tzinfo=UTC))
    meeting = annotations.meeting
    assert meeting is not None
    assert (meeting.place.name if meeting.place else None) == place


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        pytest.param(
            "Deputy Prime Minister and Foreign Minister Mohammad Ishaq Dar on Monday held a "
            "telephone conversation with US Secretary of State Marco Rubio. The call follows "
            "other contacts: in June, US President Donald Trump hosted Pakistan's army chief.",
            ["Mohammad Ishaq Dar", "Marco Rubio"],
            id="another-meeting-of-the-same-countries",
        ),
        pytest.param(
            "President of Kazakhstan Kassym-Jomart Tokayev held a meeting with Minister of "
            "Foreign Affairs of Russia Sergey Lavrov. During the meeting, attention was paid to "
            "the upcoming visit of Russian President Vladimir Putin.",
            ["Kassym-Jomart Tokayev", "Sergey Lavrov"],
            id="a-leader-whose-visit-was-discussed",
        ),
        pytest.param(
            "Russian Foreign Minister Sergei Lavrov and US Secretary of State Mike Pompeo "
            "discussed bilateral relations in a phone conversation. The ministers agreed to "
            "work on the task set in a telephone conversation between Russian President "
            "Vladimir Putin and US President Donald Trump.",
            ["Sergei Lavrov", "Mike Pompeo"],
            id="the-leaders-whose-call-set-the-task",
        ),
        pytest.param(
            "Chinese Foreign Minister Wang Yi met Thai Foreign Minister Don Pramudwinai in "
            "Bangkok. He also met Thai Prime Minister Prayut Chan-o-cha.",
            ["Wang Yi", "Don Pramudwinai", "Prayut Chan-o-cha"],
            id="but-whom-he-also-met-he-met",
        ),
        pytest.param(
            "US Under Secretary Victoria Nuland held consultations with South Korean Foreign "
            "Minister Park Jin on the Yoon Suk-yeol administration's North Korea policy.",
            ["Victoria Nuland", "Park Jin"],
            id="a-name-that-qualifies-a-government",
        ),
    ],
)
def test_people_of_the_same_sides_told_of_later_are_not_the_meetings(
    text: str, participants: list[str]
) -> None:
    """A later clause whose people are all others, of sides whose people the meeting has,
    tells no one who took part in it."""
    _, annotations = read(text, published=datetime(2025, 8, 4, tzinfo=UTC))
    meeting = annotations.meeting
    assert meeting is not None
    assert [p.name for p in meeting.participants] == participants


@pytest.mark.parametrize(
    ("text", "participants", "sides"),
    [
        pytest.param(
            "A special envoy of Japanese Prime Minister Fumio Kishida paid a call on "
            "Nigerian President Bola Ahmed Tinubu.",
            ["Bola Ahmed Tinubu"],
            {"country:JP", "country:NG"},
            id="an-envoy-of",
        ),
        pytest.param(
            "Israeli Prime Minister Benjamin Netanyahu sent a delegation which met with "
            "Nigerian President Bola Ahmed Tinubu.",
            ["Bola Ahmed Tinubu"],
            {"country:IL", "country:NG"},
            id="sent-a-delegation",
        ),
    ],
)
def test_whom_another_stands_for_is_a_side_not_a_participant(
    text: str, participants: list[str], sides: set[str]
) -> None:
    _, annotations = read(text, published=datetime(2023, 6, 2, tzinfo=UTC))
    meeting = annotations.meeting
    assert meeting is not None
    assert [p.name for p in meeting.participants] == participants
    assert {s.id for s in meeting.sides} == sides


def test_who_was_with_a_side_took_part() -> None:
    """A sentence after the meeting's that says who accompanied a side: its people are
    participants; someone of another country named there is not."""
    _, annotations = read(
        "Prime Minister Shehbaz Sharif met Iranian President Ebrahim Raisi in New York. "
        "The Prime Minister was accompanied by Finance Minister Miftah Ismail and Minister "
        "of State Hina Rabbani Khar, while Turkish President Recep Tayyip Erdogan looked on.",
        published=datetime(2022, 9, 21, tzinfo=UTC),
    )
    meeting = annotations.meeting
    assert meeting is not None
    names = [p.name for p in meeting.participants]
    assert {"Miftah Ismail", "Hina Rabbani Khar"} <= set(names)
    assert "Recep Tayyip Erdoğan" not in names


def test_a_title_then_a_comma_then_the_name_is_the_names_title() -> None:
    """ "Sudanese Prime Minister, Abdalla Hamdok": the comma parts title and name, and the
    name takes its own title's country, not the next one's."""
    _, annotations = read(
        "Abiy discussed bilateral issues with Sudanese Prime Minister, Abdalla Hamdok, "
        "Guinean President Alpha Conde and South Sudanese President, Salva Kiir.",
        published=datetime(2020, 2, 10, tzinfo=UTC),
    )
    countries = {p.name: p.country for p in annotations.people}
    assert countries["Abdalla Hamdok"] == "SD"
    assert countries["Alpha Conde"] == "GN"
    assert countries["Salva Kiir"] == "SS"


def test_malay_honorifics_are_no_part_of_the_name() -> None:
    _, annotations = read(
        "Prime Minister Datuk Seri Anwar Ibrahim received Indian Defence Minister Rajnath "
        "Singh, with Defence Minister Dato' Seri Mohamad Hasan.",
        published=datetime(2023, 7, 10, tzinfo=UTC),
    )
    names = {p.name for p in annotations.people}
    assert {"Anwar Ibrahim", "Rajnath Singh"} <= names
    assert not [n for n in names if "Datuk" in n or "Dato" in n]
