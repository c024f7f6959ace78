"""The query language: what matches the seed, what does not, explanations and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import QueryError
from bot.extract import Gazetteer
from bot.match import Document, document, evaluate, matched_terms
from bot.models import Annotations, Report
from bot.query import And, Not, Or, Term, explain, from_json, parse, to_json


@pytest.fixture(scope="module")
def seed_doc(seed_report: Report, seed_annotations: Annotations) -> Document:
    return document(seed_report, seed_annotations)


MATCHING = [
    "Pakistan",
    "pakistani",
    "SCO",
    "Shanghai Cooperation Organisation",
    "energy",
    "Pakistan AND Russia",
    '"Federation Council"',
    "Matviyenko",
    "Tashkent",
    "country:RU",
    "person:Matviyenko",
    "org:IPU",
    "topic:food-security",
    "(India OR Russia) -NATO",
    "Pakistan's",
    "trade and energy",
    "multipolar",
    "parliaments",
    "country:UZ",  # the meeting was held in Tashkent
]
NOT_MATCHING = [
    "India",
    "nuclear",
    "Pakistan AND India",
    "NATO",
    "energy NOT Russia",
    '"Federation of Russia"',
    "person:Lavrov",
    "country:KZ",
]


@pytest.mark.parametrize("query", MATCHING)
def test_matches_the_seed(gazetteer: Gazetteer, seed_doc: Document, query: str) -> None:
    assert evaluate(parse(query, gazetteer), seed_doc)


@pytest.mark.parametrize("query", NOT_MATCHING)
def test_does_not_match_the_seed(gazetteer: Gazetteer, seed_doc: Document, query: str) -> None:
    assert not evaluate(parse(query, gazetteer), seed_doc)


@pytest.mark.parametrize(
    ("query", "node"),
    [
        pytest.param("Pakistan", Term("entity", "country:PK", "Pakistan"), id="country"),
        pytest.param("sco", Term("entity", "org:SCO", "SCO"), id="org-any-case"),
        pytest.param(
            "Shanghai Cooperation Organization", Term("entity", "org:SCO", "SCO"), id="org-name"
        ),
        pytest.param("energy", Term("entity", "topic:energy", "energy"), id="topic"),
        pytest.param("summits", Term("keyword", "summits", "summits"), id="keyword"),
        pytest.param(
            '"Federation Council"',
            Term("phrase", "federation council", "Federation Council"),
            id="phrase",
        ),
        pytest.param(
            "Pakistan Russia",
            And((Term("entity", "country:PK", "Pakistan"), Term("entity", "country:RU", "Russia"))),
            id="implicit-and",
        ),
        pytest.param(
            "Pakistan OR India",
            Or((Term("entity", "country:PK", "Pakistan"), Term("entity", "country:IN", "India"))),
            id="or",
        ),
        pytest.param(
            "energy -Russia",
            And(
                (
                    Term("entity", "topic:energy", "energy"),
                    Not(Term("entity", "country:RU", "Russia")),
                )
            ),
            id="minus",
        ),
        pytest.param(
            "Trinidad and Tobago",
            Term("entity", "country:TT", "Trinidad and Tobago"),
            id="and-inside-a-name",
        ),
        pytest.param(
            "person:Valentina_Matviyenko",
            Term("person", "valentina matviyenko", "Valentina Matviyenko"),  # in the record
            id="person",
        ),
    ],
)
def test_parse(gazetteer: Gazetteer, query: str, node: object) -> None:
    assert parse(query, gazetteer) == node


def test_precedence_and_binds_tighter_than_or(gazetteer: Gazetteer) -> None:
    node = parse("India OR Pakistan AND Russia", gazetteer)
    assert isinstance(node, Or)
    assert isinstance(node.children[1], And)


def test_explain_says_what_was_understood(gazetteer: Gazetteer) -> None:
    text = explain(parse("Pakistan", gazetteer), gazetteer)
    assert text.startswith("Pakistan (country; also matches Pakistani")
    assert (
        explain(parse("SCO", gazetteer), gazetteer)
        == "SCO (organisation: Shanghai Cooperation Organisation)"
    )
    assert explain(parse("Tashkent", gazetteer), gazetteer) == "Tashkent (place in Uzbekistan)"
    assert "exact phrase" in explain(parse('"Federation Council"', gazetteer), gazetteer)


@pytest.mark.parametrize(
    ("query", "message", "suggestion"),
    [
        pytest.param("Pakistn", "did you mean Pakistan?", "Pakistan", id="misspelt-country"),
        pytest.param("Untied Nations", "did you mean UN?", "United Nations", id="misspelt-org"),
        pytest.param("country:Pakistn", "unknown country 'Pakistn'", "Pakistan", id="prefixed"),
    ],
)
def test_misspellings_get_suggestions(
    gazetteer: Gazetteer, query: str, message: str, suggestion: str
) -> None:
    with pytest.raises(QueryError) as info:
        parse(query, gazetteer)
    assert message in str(info.value)
    assert suggestion in info.value.suggestions


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("x" * 201, "limit is 200", id="too-long"),
        pytest.param("(Pakistan", "not closed", id="open-paren"),
        pytest.param('"Federation Council', "not closed", id="open-quote"),
        pytest.param("NOT Russia", "only NOT", id="only-negative"),
        pytest.param("Pakistan AND", "ends too early", id="dangling-and"),
        pytest.param("OR India", "needs a term before", id="leading-or"),
        pytest.param("country:Atlantis", "unknown country", id="unknown-country"),
        pytest.param("org:", "needs a name", id="empty-prefix"),
        pytest.param('""', "empty phrase", id="empty-phrase"),
    ],
)
def test_errors_say_what_is_wrong(gazetteer: Gazetteer, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(query, gazetteer)


def test_quoting_a_misspelling_follows_it_as_typed(gazetteer: Gazetteer) -> None:
    assert parse('"Pakistn"', gazetteer) == Term("phrase", "pakistn", "Pakistn")


def test_matched_terms_lists_positive_terms_only(gazetteer: Gazetteer, seed_doc: Document) -> None:
    node = parse("(SCO OR NATO) energy -India", gazetteer)
    assert matched_terms(node, seed_doc) == ["SCO (mentioned)", "energy"]


def test_json_round_trip_is_canonical(gazetteer: Gazetteer) -> None:
    a = parse("pakistan AND (SCO OR energy)", gazetteer)
    b = parse("Pakistan (Shanghai Cooperation Organisation OR energy)", gazetteer)
    assert from_json(to_json(a)) == a
    assert to_json(a) == to_json(b)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_input_parses_or_raises_query_error(text: str) -> None:
    from bot.knowledge import load_gazetteer

    gazetteer = load_gazetteer()
    try:
        node = parse(text, gazetteer)
    except QueryError as exc:
        assert str(exc)
    else:
        assert from_json(to_json(node)) == node


def test_a_query_that_would_match_almost_everything_is_refused(gazetteer: Gazetteer) -> None:
    with pytest.raises(QueryError, match="only NOT"):
        parse("energy OR -Russia", gazetteer)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("Shanghai Cooperation", "did you mean SCO?", id="prefix-of-a-name"),
        pytest.param("Georgia", "'Georgia' is ambiguous: write country:Georgia", id="georgia"),
        pytest.param("Congo", "country:CD", id="two-congos"),
    ],
)
def test_suggestions_and_ambiguity(gazetteer: Gazetteer, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(query, gazetteer)


def test_an_ambiguous_name_pinned_by_its_kind_is_fine(gazetteer: Gazetteer) -> None:
    assert parse("country:Georgia", gazetteer) == Term("entity", "country:GE", "Georgia")
    assert parse('"Georgia"', gazetteer) == Term("phrase", "georgia", "Georgia")


@pytest.mark.parametrize("name", ["Carney", "Sandu", "Obama"])
def test_a_towns_name_is_the_person_it_names(gazetteer: Gazetteer, name: str) -> None:
    # Carney (US), Sandu (China) and Obama (Japan) are towns of GeoNames too: a town is a
    # place where a report says one, never what a name means by itself.
    node = parse(name, gazetteer)
    assert isinstance(node, Term) and node.kind == "person", node
