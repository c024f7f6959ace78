"""Reports in other languages (issue 13, first part): each report's language, country names
in other scripts and their Russian case forms, Latin-script names only in their language,
and subscriptions written in any of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.extract import Gazetteer, extract
from bot.extract.dates_i18n import find_date
from bot.extract.text import fold
from bot.knowledge import date_words
from bot.match import document, evaluate
from bot.models import Annotations
from bot.query import parse
from bot.reports import RawDocument, parse_report
from bot.summarize import card, render_plain
from tests.conftest import NOW, make_report


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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Лавров встретился с послом Пакистана в Москве.", "Russian"),
        (
            "Il ministro degli Esteri della Russia ha incontrato a Roma il ministro della Cina.",
            "Italian",
        ),
    ],
)
def test_the_alert_names_the_language(gazetteer: Gazetteer, text: str, name: str) -> None:
    report = make_report(text)
    rendered = render_plain(card(1, report, extract(report, gazetteer), gazetteer))
    assert f"\u00b7 in {name}" in rendered


def test_an_english_alert_names_no_language(gazetteer: Gazetteer) -> None:
    report = make_report("ISLAMABAD, May 2 - Pakistan and Russia held talks in Islamabad.")
    rendered = render_plain(card(1, report, extract(report, gazetteer), gazetteer))
    assert "\u00b7 in English" not in rendered


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
    ("text", "side"),
    [
        # The place is no side, and one country named leaves the other side unknown: the
        # meeting has the one side it names.
        (
            "La canciller se reunió este jueves en Brasil con el secretario de Estado de Chile.",
            "CL",
        ),
        ("Le ministre s'est entretenu avec son homologue de la Russie.", "RU"),
        # What follows the topic word is the topic.
        (
            "Le ministre a rencontré son homologue russe pour discuter de la situation en Iran.",
            "RU",
        ),
    ],
)
def test_no_side_the_lead_does_not_name(gazetteer: Gazetteer, text: str, side: str) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    assert meeting is not None and [s.id for s in meeting.sides] == [f"country:{side}"]


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
    text = "Le ministre russe s'est entretenu avec son homologue français."
    undated = parse_report(RawDocument(text, source="feed"), now=NOW)  # read today, undated
    meeting = extract(undated, gazetteer).meeting
    assert meeting is not None and meeting.date is None  # not the day it was read
    dated = parse_report(RawDocument(text, source="feed", published_at=NOW), now=NOW)
    lead = extract(dated, gazetteer).meeting
    assert lead is not None and lead.date == NOW.date().isoformat()


def _dated(gazetteer: Gazetteer, text: str, day: str, title: str | None = None) -> Annotations:
    """`text` as a feed publishes it on `day`."""
    published = datetime.fromisoformat(day).replace(tzinfo=UTC)
    raw = RawDocument(text, source="feed", title=title, published_at=published)
    return extract(parse_report(raw, now=NOW), gazetteer)


@pytest.mark.parametrize(
    ("text", "published", "sides"),
    [
        # Surnames as German and Russian spell them, in office on the day.
        ("Außenministerin Baerbock traf ihren Kollegen Lawrow in Moskau.", "2022-01-18",
         ["country:DE", "country:RU"]),
        ("Лавров провёл переговоры с Фиданом в Анкаре.", "2024-02-10",
         ["country:RU", "country:TR"]),
        # German's perfect puts the verb last ("hat ... empfangen").
        ("Bundeskanzler Friedrich Merz hat am Dienstag in Berlin den polnischen "
         "Ministerpräsidenten Donald Tusk empfangen.", "2025-07-08", ["country:DE", "country:PL"]),
        ("Лавров побеседовал с Фиданом в Анкаре.", "2024-02-10", ["country:RU", "country:TR"]),
        # Chinese officials in characters, foreign names from the hand-kept spellings.
        ("习近平在北京会见特朗普。", "2025-05-01", ["country:CN", "country:US"]),
        ("التقى ترامب مع بوتين في ألاسكا.", "2025-08-15", ["country:US", "country:RU"]),
        # Turkish puts the verb last: a country qualifying a title is a side, a country
        # qualifying a tension is not.
        ("Dışişleri Bakanı Hakan Fidan, İsrail-Filistin gerilimi üzerine Katar Dışişleri "
         "Bakanı ile telefonda görüştü.", "2023-10-07", ["country:TR", "country:QA"]),
    ],
)  # fmt: skip
def test_people_in_the_lead_give_their_sides_through_the_dated_record(
    gazetteer: Gazetteer, text: str, published: str, sides: list[str]
) -> None:
    meeting = _dated(gazetteer, text, published).meeting
    assert meeting is not None
    assert sorted(s.id for s in meeting.sides) == sorted(sides)


@pytest.mark.parametrize(
    "text",
    [
        # A first name that is someone's surname, a palace, a surname another prominent
        # person bears who held no office that day: none of them is a side.
        "El canciller Luis Gilberto Murillo recibió en el Palacio de San Carlos a su "
        "homóloga de Argentina.",
        # Without a day, a surname alone names nobody.
        "Lawrow traf Baerbock.",
    ],
)
def test_a_surname_is_no_side_without_the_record_on_the_day(
    gazetteer: Gazetteer, text: str
) -> None:
    meeting = extract(make_report(text), gazetteer).meeting
    sides = [s.id for s in meeting.sides] if meeting else []
    assert "country:NI" not in sides and "country:EC" not in sides and "country:HT" not in sides
    assert "country:RU" not in sides or "country:DE" in sides  # never one side guessed


def test_without_a_day_a_surname_with_its_given_names_is_the_records_one_person(
    gazetteer: Gazetteer,
) -> None:
    # No date anywhere: «Касым-Жомарт Токаев» (given names joined by a hyphen, spelt
    # letter for letter) is the record's Kassym-Jomart Tokayev, whose every prominent
    # office was Kazakhstan's; which office he held then is not said.
    text = "Президент Касым-Жомарт Токаев принял послов России и Китая."
    found = extract(make_report(text), gazetteer)
    assert found.meeting is not None
    assert "country:KZ" in {s.id for s in found.meeting.sides}
    [tokayev] = found.people
    assert (tokayev.name, tokayev.country, tokayev.role) == ("Kassym-Jomart Tokayev", "KZ", None)
    assert "no day" in tokayev.evidence
    # Given names that are another person's name nobody, as a surname alone does.
    for other in ("Иван Лавров встретился с послом Пакистана.", "Лавров встретился с послом."):
        assert extract(make_report(other), gazetteer).people == ()


@pytest.mark.parametrize(
    ("text", "published", "day", "kind"),
    [
        ("Le ministre russe s'est entretenu vendredi 10 février par téléphone avec son "
         "homologue français.", "2023-02-11", "2023-02-10", "call"),
        ("El canciller ruso y el secretario de Estado de EE.UU. mantuvieron este sábado una "
         "conversación telefónica.", "2025-05-18", "2025-05-17", "call"),
        ("Министр иностранных дел России вчера провёл переговоры с министром Турции.",
         "2024-01-23", "2024-01-22", "meeting"),
        # The dateline's Beijing is a side's city: China, named first, hosts.
        ("新华社北京11月8日电 中国国家主席会见美国总统。", "2017-11-09", "2017-11-08", "host"),
        ("Islamabad, 13. Juli – Der Außenminister Pakistans führte ein Telefongespräch mit "
         "dem russischen Außenminister.", "2025-07-14", "2025-07-13", "call"),
        ("O presidente brasileiro conversou por telefone com o presidente americano nesta "
         "segunda-feira (6).", "2025-10-07", "2025-10-06", "call"),
    ],
)  # fmt: skip
def test_the_day_and_kind_a_lead_in_another_language_gives(
    gazetteer: Gazetteer, text: str, published: str, day: str, kind: str
) -> None:
    meeting = _dated(gazetteer, text, published).meeting
    assert meeting is not None
    assert (meeting.date, meeting.type.value, meeting.date_stated) == (day, kind, True)


def test_a_title_that_says_met_is_a_call_when_the_body_says_telephone(
    gazetteer: Gazetteer,
) -> None:
    meeting = _dated(
        gazetteer,
        "Le ministre des Affaires étrangères de la Russie a eu une conversation téléphonique "
        "avec le ministre des Affaires étrangères de la Turquie.",
        "2025-01-13",
        title="Le ministre russe a rencontré le ministre turc",
    ).meeting
    assert meeting is not None and meeting.type.value == "call"


def test_a_year_less_date_without_the_reports_own_date_is_not_guessed() -> None:
    words = date_words("fr")
    assert find_date("le 14 février 2024", words, None) == date(2024, 2, 14)
    assert find_date("vendredi 10 février", words, None) is None
    assert find_date("hier", words, None) is None
    # Urdu's کل is both yesterday and tomorrow: no relative words in Urdu.
    ur = date_words("ur")
    assert ur is not None and "کل" not in ur.relative
    assert date_words("en") is None


@pytest.mark.parametrize("query", ["Лавров", "Сергей Лавров", "لافروف", "Lavrov"])
def test_a_person_subscribed_in_any_script_fires_on_a_report_in_another(
    gazetteer: Gazetteer, query: str
) -> None:
    term = parse(query, gazetteer)
    assert "sergey lavrov" in str(term)  # the record's person, not a word
    text = "Министр иностранных дел России Сергей Лавров провёл переговоры с Хаканом Фиданом."
    russian = _dated(gazetteer, text, "2024-02-10")
    # The alert names the participants as the record does, in English.
    participants = russian.meeting.participants if russian.meeting else ()
    assert [(p.name, p.country, p.role) for p in participants] == [
        ("Sergey Lavrov", "RU", "foreign minister"),
        ("Hakan Fidan", "TR", "foreign minister"),
    ]
    assert evaluate(term, document(make_report(text), russian))
    other = _dated(gazetteer, text.replace("Сергей Лавров", "Андрей Руденко"), "2024-02-10")
    assert not evaluate(term, document(make_report(text), other))


@pytest.mark.parametrize(("query", "person"), [("王毅", "Wang Yi"), ("特朗普", "Donald Trump")])
def test_a_name_in_chinese_characters_is_the_records_person(
    gazetteer: Gazetteer, query: str, person: str
) -> None:
    assert f"label='{person}'" in repr(parse(query, gazetteer))


def test_a_person_named_outside_a_meeting_is_found_in_another_language(
    gazetteer: Gazetteer,
) -> None:
    # No meeting told, a statement: the person is still the record's Lavrov on that day.
    statement = _dated(gazetteer, "Лавров заявил, что переговоры продолжатся.", "2024-02-10")
    assert statement.meeting is None
    assert [p.name for p in statement.people] == ["Sergey Lavrov"]
    assert evaluate(parse("Lavrov", gazetteer), document(make_report("Лавров"), statement))
    # The same words with no day to read the record on name nobody.
    undated = extract(make_report("Лавров заявил, что переговоры продолжатся."), gazetteer)
    assert undated.people == ()


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Лавров провёл переговоры с Фиданом в Анкаре.", "Ankara"),  # the locative case
        ("王毅在北京会见黄英贤。", "Beijing"),
        ("Moskau: Außenministerin Baerbock traf ihren Kollegen Lawrow.", "Moscow"),
        ("Le ministre russe a rencontré son homologue turc à Genève.", "Geneva"),
        ("МОСКВА, 26 ноября. Лавров провёл переговоры с Фиданом.", "Moscow"),  # the dateline
        # A palace named after a city is not that city; a call has no place.
        ("El Palacio de San Carlos albergó un encuentro entre el canciller colombiano y su "
         "homóloga argentina.", None),
        ("Лавров провёл телефонный разговор с Фиданом в Москве.", None),
        # A venue after the language's "at" tells its city; the passive tells a meeting.
        ("Le président sénégalais a été reçu à l'Élysée par Emmanuel Macron.", "Paris"),
        ("O presidente Lula recebeu o primeiro-ministro do Canadá, Mark Carney, no Palácio "
         "do Planalto.", "Brasília"),
        # A desk's dateline far from both sides is not the place.
        ("ВАШИНГТОН, 26 ноября. Лавров провёл переговоры с Фиданом.", None),
    ],
)  # fmt: skip
def test_the_place_of_a_meeting_in_another_language(
    gazetteer: Gazetteer, text: str, place: str | None
) -> None:
    meeting = _dated(gazetteer, text, "2024-02-10").meeting
    assert meeting is not None
    assert (meeting.place.name if meeting.place else None) == place


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("Le ministre des Affaires étrangères Jean-Noël Barrot a reçu son homologue algérien "
         "Ahmed Attaf, alors que Paris et Alger tentent de renouer le dialogue avec le Maroc.",
         ["country:DZ", "country:FR"]),
        ("La presidenta de México, Claudia Sheinbaum, conversó por teléfono con el presidente "
         "de Estados Unidos, Donald Trump, sobre aranceles y migración con Canadá.",
         ["country:MX", "country:US"]),
        # "وبحثا" (and they discussed) begins the topic: Iran is discussed, not present.
        ("استقبل ولي العهد السعودي الأمير محمد بن سلمان الرئيس الأمريكي دونالد ترامب في "
         "الرياض، وبحثا التطورات في غزة وإيران.", ["country:SA", "country:US"]),
        # Russian case endings after the name («Индии») or its stem («Китаем», «Афганистане»),
        # and «Джайшанкаром» read as Jaishankar: India is a side, China and Afghanistan
        # are what they discussed.
        ("Министр иностранных дел России Сергей Лавров провел переговоры с министром "
         "иностранных дел Индии Субраманьямом Джайшанкаром, в ходе которых стороны обсудили "
         "ситуацию в Афганистане и отношения с Китаем.", ["country:RU", "country:IN"]),
    ],
)  # fmt: skip
def test_a_country_after_the_topic_begins_is_no_side(
    gazetteer: Gazetteer, text: str, sides: list[str]
) -> None:
    # "alors que ... le Maroc", "sobre ... Canadá": what they discussed, not who took part.
    meeting = _dated(gazetteer, text, "2025-07-13").meeting
    assert meeting is not None
    assert sorted(s.id for s in meeting.sides) == sorted(sides)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # The side named first hosts at home and visits abroad, as in English.
        ("习近平在北京会见特朗普。", "host"),
        ("Außenministerin Baerbock traf ihren Kollegen Lawrow in Moskau.", "visit"),
        # Two countries, neither at home.
        ("Лавров провёл переговоры с Фиданом в Женеве.", "third-location"),
        # No place: only that they met.
        ("Лавров провёл переговоры с Фиданом.", "meeting"),
    ],
)
def test_who_hosts_a_meeting_told_in_another_language(
    gazetteer: Gazetteer, text: str, kind: str
) -> None:
    meeting = _dated(gazetteer, text, "2024-02-10").meeting
    assert meeting is not None
    assert meeting.type.value == kind


def test_russian_case_forms_of_country_names_are_the_country(gazetteer: Gazetteer) -> None:
    found = {
        word: [h.entity_id for h in gazetteer.scan(word, "ru")]
        for word in ("Индии", "Индией", "Индию", "Китаем", "Китае", "Афганистане", "Украиной")
    }
    assert found == {
        "Индии": ["country:IN"],
        "Индией": ["country:IN"],
        "Индию": ["country:IN"],
        "Китаем": ["country:CN"],
        "Китае": ["country:CN"],
        "Афганистане": ["country:AF"],
        "Украиной": ["country:UA"],
    }
    assert gazetteer.scan("индустрия", "ru") == []  # a word that begins as a name is not it
    sides = _dated(
        gazetteer, "Лавров провел переговоры с Джайшанкаром в Москве.", "2024-12-27"
    ).meeting
    assert sides is not None
    assert {s.id for s in sides.sides} == {"country:RU", "country:IN"}


def test_city_names_in_other_languages_are_the_english_named_city(gazetteer: Gazetteer) -> None:
    # CLDR's exemplar cities and the hand-kept capitals, Russian ones in any case.
    for name, city in [
        ("Moscou", "Moscow"),
        ("Москве", "Moscow"),
        ("Астане", "Astana"),
        ("بكين", "Beijing"),
        ("Нью-Йорке", "New York"),
        ("Genf", "Geneva"),
    ]:
        found = gazetteer.inflected_city(name)
        assert found is not None and found.name == city, name
    assert gazetteer.inflected_city("Катар") is None  # a country's name, not a city


@pytest.mark.parametrize("query", ["Москва", "莫斯科", "موسكو", "Moscow"])
def test_a_city_subscribed_in_any_script_is_the_city(gazetteer: Gazetteer, query: str) -> None:
    assert "place:moscow" in repr(parse(query, gazetteer))


def test_a_plainly_english_lead_is_english_and_a_french_one_with_english_words_is_not(
    gazetteer: Gazetteer,
) -> None:
    english = (
        "The foreign minister of Pakistan met the foreign minister of Russia in Moscow on "
        "Tuesday and said that the two sides had agreed to expand trade, which has grown "
        "since the last meeting of the joint commission. The ministers also discussed the "
        "situation in Afghanistan, and the visit of the president was confirmed for the "
        "spring, officials with knowledge of the talks said."
    )
    french = (
        "Le ministre des Affaires étrangères a rencontré son homologue russe à Moscou mardi. "
        "Les deux ministres ont évoqué « the special relationship » et la coopération dans "
        "le domaine de l'énergie, ainsi que la situation en Afghanistan et au Moyen-Orient, "
        "selon un communiqué publié à l'issue de la rencontre par le ministère des Affaires "
        "étrangères, qui a salué la qualité des échanges."
    )
    assert extract(make_report(english), gazetteer).language == "en"
    assert extract(make_report(french), gazetteer).language == "fr"


def test_arabic_vowel_marks_are_no_obstacle(gazetteer: Gazetteer) -> None:
    # Written with its optional vowel marks, a name and a place read as without them.
    marked = _dated(
        gazetteer, "استقبلَ الملكُ محمدٌ السادسُ اليومَ بسلَا، الشيخَ محمدْ بنْ زايدْ.", "2022-04-09"
    )
    meeting = marked.meeting
    assert meeting is not None
    assert {s.id for s in meeting.sides} == {"country:MA", "country:AE"}
    assert meeting.place is not None and meeting.place.name == "Salé"
    assert meeting.date == "2022-04-09"  # «اليوم»: the report's own day


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Erdoğan", "erdogan"), ("Ñandú", "nandu"), ("다음", "다음"), ("독일", "독일")],
)
def test_folding_drops_marks_and_keeps_hangul_syllables(text: str, folded: str) -> None:
    # A Hangul syllable decomposes into its letters; folding it to the first made "다음"
    # ("next") and "독일" (Germany) one word.
    assert fold(text) == folded


def test_a_korean_word_that_shares_germanys_first_letters_is_no_country(
    gazetteer: Gazetteer,
) -> None:
    report = make_report("한국 외교부 장관은 다음 주 일본 외무상과 만났다.")
    assert "country:DE" not in extract(report, gazetteer).entity_ids


def test_arabic_country_adjectives_are_made_from_the_names(gazetteer: Gazetteer) -> None:
    from bot.knowledge import nisba_adjectives

    assert nisba_adjectives("تونس") == ("التونسي", "التونسية")
    assert nisba_adjectives("روسيا") == ("الروسي", "الروسية")
    assert nisba_adjectives("الجزائر") == ("الجزائري", "الجزائرية")
    text = "الرئيس الغيني والوزير المالي"  # Guinean; "financial", not Malian
    assert [h.entity_id for h in gazetteer.scan(text, "ar")] == ["country:GN"]


def test_a_side_without_its_people_takes_them_from_the_next_sentence_telling_the_meeting(
    gazetteer: Gazetteer,
) -> None:
    """An undated page: the title's surnames name nobody, the body's full names do; a side
    whose people the sentence names takes nobody else's mention."""
    text = (
        "Le ministre des Affaires étrangères de la Russie a rencontré le ministre des "
        "Affaires étrangères de la Turquie.\n"
        "Sergueï Lavrov a eu une conversation téléphonique avec Hakan Fidan."
    )
    report = parse_report(RawDocument(text, source="t"), now=NOW)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None and {s.id for s in meeting.sides} == {"country:RU", "country:TR"}
    assert [p.name for p in meeting.participants] == ["Sergey Lavrov", "Hakan Fidan"]
    told = (
        "Sergueï Lavrov a rencontré Hakan Fidan à Moscou.\n"
        "Hakan Fidan a rencontré Recep Tayyip Erdoğan la veille."
    )
    report = parse_report(RawDocument(told, source="t"), now=NOW)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None
    assert [p.name for p in meeting.participants] == ["Sergey Lavrov", "Hakan Fidan"]


def test_the_people_of_a_side_may_be_named_further_down_but_not_in_a_recalled_meeting(
    gazetteer: Gazetteer,
) -> None:
    """The lead tells the call by the ministers' titles; the people are named in the
    body's fifth sentence telling it. A summit of last month (上月) that the body recalls
    gives nobody to the call."""
    text = (
        "中韩外长通电交换意见\n"
        "近期局势紧张。各方关注半岛形势。中韩外长今日通电话交换意见。外交部发表消息。"
        "关于上月尹锡悦就任后首次举行的韩中首脑会谈,双方表示重视。"
        "王毅6日应约与韩国外长通电话。"
    )
    report = parse_report(RawDocument(text, source="t"), now=NOW)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None and {s.id for s in meeting.sides} == {"country:CN", "country:KR"}
    assert [p.name for p in meeting.participants] == ["Wang Yi"]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # Ukrainian г is h: «Сибіга» is Sybiha (read letter for letter: Sibiga).
        ("Міністр закордонних справ Андрій Сибіга провів телефонну розмову з Радославом "
         "Сікорським.", "Andrii Sybiha"),
        # Russian wrote a foreign h as г: «Абуль Гейт» is Aboul Gheit.
        ("Сергей Лавров провел переговоры с генеральным секретарем ЛАГ Ахмедом Абуль Гейтом.",
         "Ahmed Aboul Gheit"),
    ],
)  # fmt: skip
def test_a_cyrillic_g_may_be_the_names_h(gazetteer: Gazetteer, text: str, person: str) -> None:
    annotations = _dated(gazetteer, text, "2024-09-10")
    assert person in [p.name for p in annotations.people]


@pytest.mark.parametrize(
    ("text", "day", "person"),
    [
        ("정의용 외교부 장관은 미국 국무장관과 전화 통화를 했다.", "2021-10-01", "Chung Eui-yong"),
        ("윤병세 외교부 장관은 미국 국무장관과 통화했다.", "2017-02-10", "Yun Byung-se"),
        ("박진은 중국 외교부장과 화상 회담을 했다.", "2022-12-12", "Park Jin"),
    ],
)
def test_a_korean_name_in_hangul_is_the_records_person(
    gazetteer: Gazetteer, text: str, day: str, person: str
) -> None:
    """The family syllable's spellings (정: Chung, Jung, Jeong) and the given name read in
    Latin letters, in any of its romanizations (의용: Ui-yong, Eui-yong)."""
    annotations = _dated(gazetteer, text, day)
    assert person in [p.name for p in annotations.people]


@pytest.mark.parametrize(
    ("text", "day", "person"),
    [
        # Katakana adds vowels and has one letter for r and l.
        ("茂木外務大臣は、アントニー・ブリンケン米国務長官と電話会談を行いました。",
         "2021-02-10", "Antony Blinken"),
        # Hangul, a particle written onto the surname.
        ("윤병세 장관은 렉스 틸러슨 국무장관과 통화했다.", "2017-02-10", "Rex Tillerson"),
        ("정의용 장관은 토니 블링컨은 물론", "2021-10-01", "Antony Blinken"),
        # Devanagari and Bengali: n before k written as m; "S." gives no given name.
        ("विदेश मंत्री एस जयशंकर ने अमरीकी विदेश मंत्री एंटनी जॉन ब्लिंकेन से बातचीत की।",
         "2021-01-28", "Antony Blinken"),
        ("বৈঠক করলেন ভারতের বিদেশমন্ত্রী এস জয়শঙ্কর।", "2021-09-22",
         "Subrahmanyam Jaishankar"),
        # Russian: the instrumental -ем after ш («с ... Антониу Гутерришем»).
        ("Сергей Лавров провел встречу с генеральным секретарем ООН Антониу Гутерришем.",
         "2022-11-15", "António Guterres"),
        # Persian and Urdu leave short vowels out.
        ("اسحاق ڈار کا اقوام متحدہ کے سیکرٹری جنرل انتونیو گوتریس سے ٹیلی فونک رابطہ",
         "2025-06-10", "António Guterres"),
    ],
)  # fmt: skip
def test_a_foreign_name_written_by_its_sounds_is_the_records_person(
    gazetteer: Gazetteer, text: str, day: str, person: str
) -> None:
    """Each word read in Latin letters, its consonants in the classes these scripts do
    not tell apart (shape_key), and a given name of the same shape before the surname."""
    annotations = _dated(gazetteer, text, day)
    assert person in [p.name for p in annotations.people]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # "telephone contact": the shape of Haider al-Abadi, prime minister of Iraq till
        # 2018 (five sounds in the two words: too few).
        ("پاکستان کا ٹیلی فونک رابطہ ہوا", "2016-05-10"),
        # Hakan Fidan's shape, as Persian writes it, is as short.
        ("گفتگوی تلفنی با هاکان فیدان", "2026-01-10"),
        # "a phone call": the shape of Sher Bahadur Deuba's surname, two sounds only.
        ("أجرى اتصالا هاتفيا مع نظيره", "2022-03-10"),
        # A name of the right shape, but nobody in office that day bears it.
        ("렉스 틸러슨 전 국무장관", "2024-01-10"),
    ],
)
def test_a_common_words_shape_or_a_former_officeholders_names_nobody(
    gazetteer: Gazetteer, text: str, day: str
) -> None:
    annotations = _dated(gazetteer, text, day)
    assert annotations.people == ()
