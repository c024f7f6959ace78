"""Reports in other languages (issue 13, first part): each report's language, country names
in other scripts and their Russian case forms, Latin-script names only in their language,
and subscriptions written in any of them."""

from __future__ import annotations

import pytest

from bot.extract import Gazetteer, extract
from bot.match import document, evaluate
from bot.query import parse
from bot.summarize import card, render_plain
from tests.conftest import make_report


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Министр иностранных дел России провёл переговоры с министром Пакистана.", "ru", "PK"),
        ("Лавров встретился с послом Пакистана в Москве.", "ru", "PK"),
        ("王毅同巴基斯坦副总理兼外长达尔举行会谈。", "zh", "PK"),
        ("التقى وزير الخارجية الروسي بنظيره من باكستان في موسكو.", "ar", "PK"),
        ("Le ministre a rencontré son homologue de la Russie à Paris.", "fr", "RU"),
        ("El canciller se reunió con su homólogo de Rusia en Madrid.", "es", "RU"),
    ],
)
def test_country_names_in_other_languages(
    gazetteer: Gazetteer, text: str, language: str, country: str
) -> None:
    annotations = extract(make_report(text), gazetteer)
    assert annotations.language == language
    assert f"country:{country}" in annotations.entity_ids


def test_a_latin_script_name_is_read_only_in_its_language(gazetteer: Gazetteer) -> None:
    # "Maurice" is Mauritius in French and a man's name in English.
    english = extract(make_report("Maurice Smith met the ambassador in London."), gazetteer)
    assert "country:MU" not in english.entity_ids
    french = extract(make_report("Le ministre de Maurice a rencontré son homologue."), gazetteer)
    assert "country:MU" in french.entity_ids


@pytest.mark.parametrize("query", ["Пакистан", "巴基斯坦", "باكستان", "Pakistan"])
def test_one_subscription_in_any_language_fires_on_every_language(
    gazetteer: Gazetteer, query: str
) -> None:
    node = parse(query, gazetteer)
    for text in (
        "ISLAMABAD, May 2 - Pakistan and Russia held talks.",
        "Лавров встретился с послом Пакистана в Москве.",
        "王毅同巴基斯坦副总理兼外长达尔举行会谈。",
    ):
        report = make_report(text)
        assert evaluate(node, document(report, extract(report, gazetteer)))


def test_the_alert_names_the_language(gazetteer: Gazetteer) -> None:
    report = make_report("Лавров встретился с послом Пакистана в Москве.")
    text = render_plain(card(1, report, extract(report, gazetteer), gazetteer))
    assert "\u00b7 in Russian" in text


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Министр иностранных дел США провёл переговоры в Москве.", "country:US"),
        ("Глава российского МИД встретился с коллегой.", "country:RU"),
        ("Лидеры обсудили работу ШОС и ООН.", "org:SCO"),
        ("وبحث وزير الخارجية والروسية العلاقات.", "country:RU"),  # و clings to the word
        ("Le ministre russe a reçu son homologue.", "country:RU"),
        ("上海合作组织成员国外长会议在北京举行。", "org:SCO"),
    ],
)
def test_short_forms_demonyms_and_organisations(
    gazetteer: Gazetteer, text: str, entity: str
) -> None:
    assert entity in extract(make_report(text), gazetteer).entity_ids


def test_a_french_word_is_not_read_in_english(gazetteer: Gazetteer) -> None:
    assert "country:RU" not in extract(make_report("The russe cafe opened."), gazetteer).entity_ids


def test_the_lead_of_a_russian_readout_tells_the_call_and_its_sides(gazetteer: Gazetteer) -> None:
    text = (
        "Министр иностранных дел России Сергей Лавров провел телефонный разговор с министром "
        "иностранных дел Турции Хаканом Фиданом. Стороны обсудили ситуацию в Сирии."
    )
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None and meeting.type.value == "call"
    assert [s.id for s in meeting.sides] == ["country:RU", "country:TR"]  # not Syria


@pytest.mark.parametrize(
    "text",
    [
        # The place is no side, and one country named leaves the other side unknown.
        "La canciller se reunió este jueves en Brasil con el secretario de Estado de Chile.",
        "Le ministre s'est entretenu avec son homologue de la Russie.",
        # What follows the topic word is the topic.
        "Le ministre a rencontré son homologue russe pour discuter de la situation en Iran.",
    ],
)
def test_no_side_the_lead_does_not_name(gazetteer: Gazetteer, text: str) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    sides = [s.id for s in meeting.sides] if meeting else []
    assert "country:BR" not in sides and "country:IR" not in sides and len(sides) != 1


@pytest.mark.parametrize(
    ("text", "sides", "kind"),
    [
        # The title names one side; the next lead sentence names both.
        (
            "Лавров приступил к переговорам с главой МИД Турции.\n"
            "Министр иностранных дел России Сергей Лавров проводит переговоры с главой МИД "
            "Турции Хаканом Фиданом.",
            ["country:RU", "country:TR"],
            "meeting",
        ),
        ("中國外長王毅同日本新任外相茂木敏充通電話。", ["country:CN", "country:JP"], "call"),
        ("Algérie – USA : Attaf reçoit un appel de Blinken", ["country:DZ", "country:US"], "call"),
    ],
)
def test_lead_sentences_in_other_languages(
    gazetteer: Gazetteer, text: str, sides: list[str], kind: str
) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None and meeting.type.value == kind
    assert [s.id for s in meeting.sides] == sides


def test_a_lead_meeting_has_no_day_when_nothing_gives_one(gazetteer: Gazetteer) -> None:
    from bot.reports import RawDocument, parse_report
    from tests.conftest import NOW

    text = "Le ministre russe s'est entretenu avec son homologue français."
    undated = parse_report(RawDocument(text, source="feed"), now=NOW)  # read today, undated
    meeting = extract(undated, gazetteer).meeting
    assert meeting is not None and meeting.date is None  # not the day it was read
    dated = parse_report(RawDocument(text, source="feed", published_at=NOW), now=NOW)
    lead = extract(dated, gazetteer).meeting
    assert lead is not None and lead.date == NOW.date().isoformat()
