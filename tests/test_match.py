"""The subscription index: same answers as evaluating every subscription, fewer evaluations."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import QueryError
from bot.extract import Gazetteer, extract
from bot.knowledge import load_gazetteer
from bot.match import (
    CompiledSubscription,
    Document,
    KeyFilter,
    SubscriptionIndex,
    anchors,
    document,
    evaluate,
    key_filter,
)
from bot.models import Annotations, DeliveryMode, MatchedChat, Report
from bot.query import Node, Not, Or, Term, parse
from tests.conftest import NOW, make_report

TERMS = [
    "Pakistan",
    "Russia",
    "India",
    "China",
    "SCO",
    "NATO",
    "energy",
    "nuclear",
    "trade",
    "Tashkent",
    '"Federation Council"',
    "Matviyenko",
    "talks",
    "person:Lavrov",
]
TEXTS = [
    "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Indian Foreign "
    "Minister S. Jaishankar for talks on energy and trade.",
    "BEIJING, May 2 - China and Pakistan signed a nuclear energy deal.",
    "BRUSSELS, May 3 - NATO ministers met to discuss Russia.",
    "TASHKENT, May 4 - The SCO summit opened in Tashkent.",
    "OTTAWA, May 5 - Canada raised interest rates.",
]


@pytest.fixture(scope="module")
def docs(seed_report: Report, seed_annotations: Annotations) -> list[Document]:
    gazetteer = load_gazetteer()
    reports = [make_report(t) for t in TEXTS]
    return [document(seed_report, seed_annotations)] + [
        document(r, extract(r, gazetteer)) for r in reports
    ]


def _brute_force(subs: list[CompiledSubscription], doc: Document) -> set[tuple[int, int]]:
    return {(s.chat_id, s.id) for s in subs if evaluate(s.node, doc)}


def _from_index(matches: list[MatchedChat]) -> set[tuple[int, int]]:
    return {(m.chat_id, sid) for m in matches for sid in m.subscription_ids}


queries = st.recursive(
    st.sampled_from(TERMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"({p[0]} AND {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} OR {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} -{p[1]})" if " " not in p[1] else p[0]),
    ),
    max_leaves=5,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(queries, min_size=1, max_size=25))
def test_index_agrees_with_brute_force(query_texts: list[str]) -> None:
    gazetteer = load_gazetteer()
    gazetteer_docs = _docs_cache()
    subs = [
        CompiledSubscription(i, chat_id=i % 4, node=parse(q, gazetteer))
        for i, q in enumerate(query_texts)
    ]
    index = SubscriptionIndex(subs)
    for doc in gazetteer_docs:
        assert _from_index(index.match(doc)) == _brute_force(subs, doc)


def _meets(condition: KeyFilter, keys: frozenset[str]) -> bool:
    if condition.op == "any":
        return not condition.keys.isdisjoint(keys)
    parts = (_meets(p, keys) for p in condition.parts)
    return all(parts) if condition.op == "and" else any(parts)


@settings(max_examples=60, deadline=None)
@given(st.lists(queries, min_size=1, max_size=3))
def test_the_key_filter_lets_through_every_document_the_queries_match(
    query_texts: list[str],
) -> None:
    gazetteer = load_gazetteer()
    nodes = [parse(q, gazetteer) for q in query_texts]
    condition = key_filter(nodes)
    assert condition is not None  # every query parse() takes has a key
    for doc in _docs_cache():
        if any(evaluate(node, doc) for node in nodes):
            assert _meets(condition, doc.keys)


def test_the_key_filter_is_as_narrow_as_the_query(
    gazetteer: Gazetteer, docs: list[Document]
) -> None:
    both = key_filter([parse("Pakistan AND energy", gazetteer)])
    assert both is not None and both.op == "and"
    # The seed and the Beijing report have both; the Moscow one has only energy.
    assert [_meets(both, d.keys) for d in docs] == [True, False, True, False, False, False]
    either = key_filter([parse("Canada", gazetteer), parse("Tashkent", gazetteer)])
    assert either is not None and either.op == "or"
    assert [_meets(either, d.keys) for d in docs] == [True, False, False, False, True, True]
    negated: Node = Not(Term("entity", "country:RU", "Russia"))
    assert key_filter([negated]) is None  # nothing to narrow by: every report is a candidate
    assert key_filter([]) is None


_CACHE: list[Document] = []


def _docs_cache() -> list[Document]:
    if not _CACHE:
        gazetteer = load_gazetteer()
        for text in TEXTS:
            report = make_report(text)
            _CACHE.append(document(report, extract(report, gazetteer)))
    return _CACHE


def test_index_evaluates_only_candidates(gazetteer: Gazetteer, docs: list[Document]) -> None:
    seed = docs[0]
    subs = [CompiledSubscription(i, i, parse("Brazil", gazetteer)) for i in range(1000)]
    subs.append(CompiledSubscription(1000, 7, parse("Pakistan", gazetteer)))
    index = SubscriptionIndex(subs)
    assert [s.id for s in index.candidates(seed)] == [1000]
    assert index.match(seed) == [MatchedChat(7, (1000,), ("Pakistan (side)",), modes=(None,))]


def test_one_query_many_chats_is_one_evaluation_fanned_out(
    gazetteer: Gazetteer, docs: list[Document]
) -> None:
    pakistan = parse("Pakistan", gazetteer)
    subs = [CompiledSubscription(i, 100 + i, pakistan, "Pakistan") for i in range(5)]
    subs.append(CompiledSubscription(5, 105, pakistan, "pakistan"))  # written otherwise
    subs.append(
        CompiledSubscription(
            6, 106, pakistan, "Pakistan", muted_until=NOW.replace(year=NOW.year + 1)
        )
    )
    subs.append(CompiledSubscription(7, 107, pakistan, "Pakistan", mode=DeliveryMode.DAILY))
    index = SubscriptionIndex(subs)
    assert (index.size, index.distinct) == (8, 2)  # as written: "Pakistan", "pakistan"
    matched = index.match(docs[0], NOW)
    assert [m.chat_id for m in matched] == [100, 101, 102, 103, 104, 105, 107]  # 106 muted
    assert matched[5].matched_terms == ("pakistan (side)",)
    assert matched[-1].modes == (DeliveryMode.DAILY,)
    # The same answer as evaluating each subscription on its own.
    assert _from_index(matched) == _brute_force([s for s in subs if s.muted_until is None], docs[0])


def test_replacing_a_chats_subscriptions_matches_as_a_fresh_index(
    gazetteer: Gazetteer, docs: list[Document]
) -> None:
    def sub(sub_id: int, chat: int, query: str, **kw: object) -> CompiledSubscription:
        return CompiledSubscription(sub_id, chat, parse(query, gazetteer), query, **kw)  # type: ignore[arg-type]

    before = [
        sub(1, 1, "Pakistan"),
        sub(2, 2, "Pakistan"),
        sub(3, 1, "SCO", mode=DeliveryMode.DAILY),
    ]
    after = [sub(2, 2, "Pakistan"), sub(4, 1, "Russia"), sub(5, 3, "Pakistan")]
    index = SubscriptionIndex(before)
    index.replace_chats({1, 3}, [s for s in after if s.chat_id in (1, 3)])
    fresh = SubscriptionIndex(after)
    assert index.size == fresh.size == 3
    for doc in docs:
        assert index.match(doc, NOW) == fresh.match(doc, NOW)
    assert [m.modes for m in index.match(docs[0], NOW) if m.chat_id == 1] == [(None,)]


def test_unanchored_queries_are_always_candidates() -> None:
    # parse() refuses such queries; the index still copes with one found in storage.
    node: Node = Or(
        (Term("entity", "topic:energy", "energy"), Not(Term("entity", "country:RU", "Russia")))
    )
    assert anchors(node) is None
    index = SubscriptionIndex([CompiledSubscription(1, 1, node)])
    empty = document(make_report("Nothing at all."), Annotations((), (), (), None))
    assert [m.chat_id for m in index.match(empty)] == [1]


def test_one_chat_gets_one_match_listing_every_subscription(
    gazetteer: Gazetteer, docs: list[Document]
) -> None:
    subs = [
        CompiledSubscription(1, 5, parse("Pakistan", gazetteer)),
        CompiledSubscription(2, 5, parse("SCO", gazetteer)),
        CompiledSubscription(3, 5, parse("energy", gazetteer)),
        CompiledSubscription(4, 6, parse("India", gazetteer)),
    ]
    assert SubscriptionIndex(subs).match(docs[0]) == [
        MatchedChat(
            5, (1, 2, 3), ("Pakistan (side)", "SCO (mentioned)", "energy"), modes=(None,) * 3
        )
    ]


# -- names as a whole, people first-class (issue 11: the cases quoted there) ----------------

NAMES = [
    # (query, text, fires)
    (
        "West Bank",
        "Western bankers met the West African central bank governor in Accra.",
        False,
    ),
    ("West Bank", "The ministers discussed settler violence in the West Bank.", True),
    ("South China Sea", "Manila and Hanoi discussed the South China Sea.", True),
    ("South China Sea", "China sent a sea rescue team to South Africa.", False),
    ("Belt and Road", "Both sides praised the Belt and Road Initiative.", True),
    ("Line of Control", "Firing along the Line of Control was discussed.", True),
    ("Line of Control", "The line was out of control, the minister said.", False),
    ("Strait of Hormuz", "Iran and Oman discussed shipping through the Strait of Hormuz.", True),
    ("White House", "The President met the Emir at the White House.", True),
    ("White House", "A white paper on the house of representatives.", False),
    ("Wang Yi", "Chinese Foreign Minister Wang Yi met Pakistani Foreign Minister Ishaq Dar.", True),
    ("Wang Yi", "Vice Minister Wang Dongming met Ambassador Yi Hoe-jin in Seoul.", False),
    ("Lavrov", "Foreign Minister Sergei Viktorovich Lavrov received the delegation.", True),
    ("Lavrov", "The Lavrov Street bakery reopened.", False),
    ("Erdogan", "President Recep Tayyip Erdoğan received the Emir of Qatar in Ankara.", True),
    ("Xi", "Article XI of the treaty was discussed by the delegations.", False),
    ("Xi", "President Xi Jinping met President Vladimir Putin in Moscow.", True),
    ('person:"Wang Yi"', "Wang Yi met Sergey Lavrov in Beijing.", True),
    ("Jaishankar", "External Affairs Minister Dr. S. Jaishankar called on the Emir.", True),
]


@pytest.mark.parametrize(("query", "text", "fires"), NAMES)
def test_names_and_people_are_matched_as_a_whole(
    gazetteer: Gazetteer, query: str, text: str, fires: bool
) -> None:
    report = make_report(f"NEW DELHI, April 6 - {text}")
    doc = document(report, extract(report, gazetteer))
    assert evaluate(parse(query, gazetteer), doc) is fires


# -- sides, pairs, kinds (issue 11, item 3) --------------------------------------------------

CALL = (
    "ISLAMABAD, May 2 - Russian Foreign Minister Sergey Lavrov held a telephone conversation "
    "with Pakistani Foreign Minister Ishaq Dar. They discussed the situation in Afghanistan."
)
BEIJING = (
    "BEIJING, May 3 - Chinese Foreign Minister Wang Yi met Pakistani Foreign Minister Ishaq "
    "Dar in Beijing. Wang said China valued stability in South Asia, including in India."
)
SPEAKER = (
    "ISLAMABAD, May 4 - The Speaker of the National Assembly received the Ambassador of "
    "Japan at Parliament House and discussed parliamentary cooperation."
)
FACTS = [
    (CALL, None, "Afghanistan", True),  # mentioned: a plain subscription still fires
    (CALL, None, "with:Afghanistan", False),  # ...but it took no part
    (CALL, None, "with:Pakistan", True),
    (CALL, None, "side:Russia", True),
    (CALL, None, "Pakistan-Russia", True),
    (CALL, None, "Russia with Pakistan", True),
    (CALL, None, "with:Pakistan with:Russia", True),
    (CALL, None, "type:call", True),
    (CALL, None, "type:visit", False),
    (CALL, None, "level:ministers", True),
    (CALL, None, "level:leaders", False),
    (BEIJING, None, "India AND China", True),  # both mentioned
    (BEIJING, None, "India-China", False),  # a pair: both sides of one meeting
    (BEIJING, None, "China with Pakistan", True),
    (SPEAKER, "PK", "Pakistan", True),  # a ministry's own readout is about its country
    (SPEAKER, "PK", "with:Pakistan", True),  # and its country is a side
    (SPEAKER, None, "with:Pakistan", False),
]


@pytest.mark.parametrize(("text", "home", "query", "fires"), FACTS)
def test_sides_pairs_and_kinds(
    gazetteer: Gazetteer, text: str, home: str | None, query: str, fires: bool
) -> None:
    report = replace(make_report(text), home_country=home)
    doc = document(report, extract(report, gazetteer))
    assert evaluate(parse(query, gazetteer), doc) is fires


def test_the_forum_of_the_meeting(gazetteer: Gazetteer, docs: list[Document]) -> None:
    seed = docs[0]  # at the 150th Inter-Parliamentary Union (IPU) Assembly; SCO mentioned
    assert evaluate(parse("at:IPU", gazetteer), seed)
    assert evaluate(parse('at:"Inter-Parliamentary Union Assembly"', gazetteer), seed)
    assert not evaluate(parse("at:SCO", gazetteer), seed)


_MET = "ASTANA, July 4 2024 - Pakistan's Prime Minister Shehbaz Sharif met Russian President "


@pytest.mark.parametrize(
    ("text", "event"),
    [
        pytest.param(
            _MET + "Vladimir Putin on the sidelines of the Shanghai Cooperation Organisation "
            "(SCO) summit in Astana.",
            "Shanghai Cooperation Organisation (SCO) summit",
            id="full-name-acronym-lower-case-head",
        ),
        pytest.param(
            _MET + "Vladimir Putin at the Shanghai Cooperation Organization summit.",
            "Shanghai Cooperation Organization summit",
            id="full-name-lower-case-head",
        ),
        pytest.param(
            _MET + "Vladimir Putin at the SCO summit.", "SCO summit", id="acronym-lower-case-head"
        ),
        pytest.param(
            _MET + "Vladimir Putin during the SCO Heads of State Council in Astana.",
            "SCO Heads of State Council",
            id="capitalised-head",
        ),
    ],
)
def test_at_finds_a_forum_by_acronym_or_full_name_before_a_head_in_any_case(
    gazetteer: Gazetteer, text: str, event: str
) -> None:
    """`at:SCO` fires on the forum however the report names it; a lower-case head word
    ("summit") ends a name only after a capitalised one ("at the summit" names none)."""
    report = make_report(text)
    annotations = extract(report, gazetteer)
    assert annotations.meeting is not None and annotations.meeting.event is not None
    assert annotations.meeting.event.text == event
    doc = document(report, annotations)
    assert evaluate(parse("at:SCO", gazetteer), doc)
    assert evaluate(parse('at:"Shanghai Cooperation Organisation"', gazetteer), doc)
    bare = make_report(_MET + "Vladimir Putin at the summit.")
    meeting = extract(bare, gazetteer).meeting
    assert meeting is not None and meeting.event is None


def test_the_alert_names_the_subscriptions_that_fired(gazetteer: Gazetteer) -> None:
    report = make_report(CALL)
    doc = document(report, extract(report, gazetteer))
    subs = [
        CompiledSubscription(n, 5, parse(q, gazetteer), q)
        for n, q in enumerate(
            ("Pakistan", "Afghanistan", "Pakistan AND India", "Russia-Pakistan"), start=1
        )
    ]
    [match] = SubscriptionIndex(subs).match(doc)
    assert match.subscription_ids == (1, 2, 4)
    assert match.matched_terms == ("Pakistan (side)", "Afghanistan (mentioned)", "Russia-Pakistan")


def test_a_side_only_another_meeting_has_is_named_so(gazetteer: Gazetteer) -> None:
    report = make_report(
        "Saudi Foreign Minister Prince Faisal bin Farhan received a phone call from his "
        "Iranian counterpart Hossein Amirabdollahian on Sunday. Qatar's foreign minister "
        "also spoke with Amirabdollahian via phone call on Sunday."
    )
    doc = document(report, extract(report, gazetteer))
    subs = [
        CompiledSubscription(n, 5, parse(q, gazetteer), q)
        for n, q in enumerate(("Saudi Arabia", "Qatar", "Iran-Qatar", "with:Qatar", "with:Iran"), 1)
    ]
    [match] = SubscriptionIndex(subs).match(doc)
    assert match.matched_terms == (
        "Saudi Arabia (side)",
        "Qatar (side in another meeting of the report)",
        "Iran-Qatar (in another meeting of the report)",
        "with:Qatar (in another meeting of the report)",
        "with:Iran",
    )


def test_highlights_are_the_words_that_made_it_fire(gazetteer: Gazetteer) -> None:
    from bot.match import highlights

    report = make_report(CALL)
    annotations = extract(report, gazetteer)
    nodes = [parse(q, gazetteer) for q in ("Pakistan", "Lavrov", "situation", "-China energy")]
    found = highlights(nodes, annotations)
    assert "Pakistani" in found and "situation" in found
    assert any("Lavrov" in f for f in found)
    assert "China" not in found  # a negated term highlights nothing


def test_a_query_on_the_outlets_tier(gazetteer: Gazetteer) -> None:
    official = replace(make_report(CALL), tier="official")
    agency = replace(make_report(CALL), tier="agency")
    query = parse("tier:official Pakistan", gazetteer)
    assert evaluate(query, document(official, extract(official, gazetteer)))
    assert not evaluate(query, document(agency, extract(agency, gazetteer)))
    with pytest.raises(QueryError, match="tier: takes official, agency, media"):
        parse("tier:blog", gazetteer)
