"""People as a watcher names them (issue 23): one answer under any hash seed, four Chinese
officials as four people, and a surname alone ranked, not refused, unless two people in
office share it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from bot.errors import QueryError
from bot.extract import Gazetteer, extract
from bot.query import Term, read
from bot.reports import RawDocument, parse_report
from tests.conftest import ROOT

_RESOLVE = """
import json
from datetime import date
from bot.knowledge import load_gazetteer
from bot.query import QueryError, read
g = load_gazetteer()
out = {}
for name in ("Wang Yi", "王毅", "Li Qiang", "Yi Gang", "Maduro", "Wong", "Biden", "Dar"):
    out["people " + name] = [(p.name, p.spellings) for p in g.officeholders.people(name)]
    try:
        out["query " + name] = repr(read(name, g))
    except QueryError as error:
        out["query " + name] = str(error)
    found = g.officeholders.resolve(name, "Foreign Minister", date(2024, 6, 1))
    out["resolve " + name] = found and (found.country, found.evidence, found.person)
print(json.dumps(out, ensure_ascii=False))
"""


def test_the_same_answers_under_any_hash_seed() -> None:
    """Two workers never disagree on who a name is: each seed builds the record anew."""
    answers = []
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "READOUT_CACHE_DIR": ""}
        done = subprocess.run(
            [sys.executable, "-c", _RESOLVE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        answers.append(json.loads(done.stdout))
    assert answers[0] == answers[1] == answers[2]
    assert "Wang Yi" in answers[0]["query Wang Yi"]
    assert answers[0]["query 王毅"] == answers[0]["query Wang Yi"]


@pytest.mark.parametrize("name", ["Wang Yi", "Wang Qishan", "Qin Gang", "Yi Gang"])
def test_four_chinese_officials_are_four_people(gazetteer: Gazetteer, name: str) -> None:
    (person,) = gazetteer.officeholders.people(name)
    assert person.name == name
    others = {"wang yi", "wang qishan", "qin gang", "yi gang"} - {name.lower()}
    assert not others & set(person.spellings)


@pytest.mark.parametrize(
    ("surname", "meant", "also"),
    [
        ("Maduro", "Nicolás Maduro", "Ricardo Maduro, Honduras 2002–2006"),
        ("Vieira", "Mauro Vieira", "João Bernardo Vieira"),
        ("Guterres", "António Guterres", "Francisco Guterres"),
        ("Sharif", "Shehbaz Sharif", "Nawaz Sharif"),  # in office now, before a former one
        ("Michel", "Charles Michel", "Louis Michel"),  # none in office: the latest to leave
    ],
)
def test_a_surname_alone_is_the_person_in_office_and_the_reply_names_the_others(
    gazetteer: Gazetteer, surname: str, meant: str, also: str
) -> None:
    node, notes = read(surname, gazetteer)
    assert isinstance(node, Term) and (node.kind, node.label) == ("person", meant)
    assert any(meant in note and also in note for note in notes)


def test_a_surname_two_people_in_office_share_is_refused_offering_both(
    gazetteer: Gazetteer,
) -> None:
    with pytest.raises(QueryError) as refused:
        read("Wong", gazetteer)
    assert "2 people in office now" in str(refused.value)
    assert set(refused.value.suggestions) == {"Lawrence Wong", "Penny Wong"}


@pytest.mark.parametrize(
    ("text", "day", "side", "person", "country", "org"),
    [
        # Australia's minister, named without a demonym: the record's AU is the country.
        (
            "Pakistan's Foreign Minister Shah Mahmood Qureshi held talks with Marise Payne in "
            "Islamabad.",
            "2021-05-10",
            "country:AU",
            "Marise Payne",
            "AU",
            None,
        ),
        # The African Union's chairperson: the record's org:AU is the organisation.
        (
            "Prime Minister Shehbaz Sharif met Moussa Faki Mahamat in Islamabad.",
            "2023-05-10",
            "org:AU",
            "Moussa Faki Mahamat",
            None,
            "AU",
        ),
    ],
)
def test_a_country_and_an_organisation_of_one_code_are_never_one_side(
    gazetteer: Gazetteer,
    text: str,
    day: str,
    side: str,
    person: str,
    country: str | None,
    org: str | None,
) -> None:
    published = datetime.fromisoformat(day).replace(tzinfo=UTC)
    report = parse_report(RawDocument(text, source="t", published_at=published), now=published)
    meeting = extract(report, gazetteer).meeting
    assert meeting is not None
    assert side in {s.id for s in meeting.sides}
    (found,) = [p for p in meeting.participants if p.name == person]
    assert (found.country, found.org) == (country, org)


def test_the_record_names_organisations_apart_from_countries(gazetteer: Gazetteer) -> None:
    terms = gazetteer.officeholders.terms
    assert {t.country for t in terms if t.name == "Moussa Faki Mahamat"} == {"org:AU"}
    assert {t.country for t in terms if t.name == "Marise Payne"} == {"AU"}
    assert all(len(t.country) == 2 or t.country.startswith("org:") for t in terms)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Jaishankr", "Subrahmanyam Jaishankar"),
        ("Blinkn", "Antony Blinken"),
        ("Guteres", "António Guterres"),  # of three Guterres, the one in office first
    ],
)
def test_a_misspelt_name_gets_the_person_suggested(
    gazetteer: Gazetteer, typed: str, meant: str
) -> None:
    with pytest.raises(QueryError) as refused:
        read(typed, gazetteer)
    assert refused.value.suggestions[0] == meant
    assert "did you mean" in str(refused.value)


def test_a_word_far_from_every_name_is_a_keyword(gazetteer: Gazetteer) -> None:
    node, _ = read("Quokka", gazetteer)
    assert isinstance(node, Term) and node.kind == "keyword"


def test_a_towns_name_is_no_misspelt_person(gazetteer: Gazetteer) -> None:
    """Matera is a town, a letter from Zlatko Mateša: the word stays the watcher's."""
    node, _ = read("Matera", gazetteer)
    assert isinstance(node, Term) and node.kind == "keyword"


@pytest.mark.parametrize(
    "text",
    [
        "Prime Minister Abiy Ahmed met Chairperson of the African Union Commission Moussa "
        "Faki Mahamat in Addis Ababa.",
        "Prime Minister Abiy Ahmed met African Union Commission Chairperson Moussa Faki "
        "Mahamat in Addis Ababa.",
    ],
)
def test_an_organisations_body_after_its_name_ends_the_title(
    gazetteer: Gazetteer, text: str
) -> None:
    """The title runs to the organisation's body ("... Union Commission"), never into the
    name, and the body's officer is the organisation's."""
    report = parse_report(RawDocument(text, source="t"), now=datetime(2024, 3, 1, tzinfo=UTC))
    people = {p.name: p for p in extract(report, gazetteer).people}
    assert people["Moussa Faki Mahamat"].org == "AU"
    assert not [name for name in people if "Commission" in name]


def test_a_query_read_anew_replaces_its_old_form_only_when_its_kinds_are_the_same(
    gazetteer: Gazetteer,
) -> None:
    """What `readout db reread` keeps: a person with other spellings is the same shape; a
    person become a keyword, or one term become two, is not."""
    from bot.query import And, same_shape

    person = Term("person", "wang yi|yi gang", "Wang Yi")
    anew, _ = read("Wang Yi", gazetteer)
    assert same_shape(anew, person)
    assert not same_shape(Term("keyword", "wang", "Wang"), person)
    assert not same_shape(And((person, person)), person)
    assert same_shape(And((person, anew)), And((anew, person)))
