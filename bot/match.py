"""Matching reports against subscriptions, at scale.

Each compiled subscription is indexed under the keys it requires (entity ids, word forms),
as Lucene Monitor and the Elasticsearch percolator pre-select queries. For a report, only
the subscriptions indexed under a key the report contains are evaluated, so the cost grows
with the report and its true candidates, not with the number of subscriptions. Pure.
"""

from __future__ import annotations

import functools
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.extract.officeholders import name_key
from bot.history import person_level
from bot.models import Annotations, DeliveryMode, MatchedChat, Meeting, Report, slug
from bot.query import And, Node, Not, Or, Term, folded_forms, phrase_words, word_forms


@dataclass(frozen=True)
class Document:
    """What matching needs to know of one report."""

    keys: frozenset[str]  # entity ids, "w:<word form>", "p:<person name part>"
    words: tuple[str, ...]  # folded words in order, possessives stripped: for phrases
    people: tuple[str, ...]  # person slugs
    person_names: tuple[str, ...] = ()  # the people's name keys: "sergei lavrov"
    # Each meeting's sides (entity ids; the publisher's home country counts as one), and
    # the words of its forum ("150th Inter-Parliamentary Union Assembly").
    meetings: tuple[frozenset[str], ...] = ()
    forums: tuple[tuple[str, ...], ...] = ()

    @property
    def sides(self) -> frozenset[str]:
        return frozenset().union(*self.meetings) if self.meetings else frozenset()

    @property
    def headline_sides(self) -> frozenset[str]:
        """The sides of the meeting the alert's headline shows: the report's first."""
        return self.meetings[0] if self.meetings else frozenset()

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        first = phrase[0]
        return any(
            self.words[i] == first and self.words[i : i + n] == phrase
            for i in range(len(self.words) - n + 1)
        )


def document(report: Report, annotations: Annotations) -> Document:
    """The matching view of a report and what extraction found in it."""
    words = tuple(phrase_words(report.text))  # the text folded once
    keys: set[str] = set(annotations.entity_ids)
    # A report from or about a place is about its country too: "TOKYO, March 3 -" is Japan,
    # a meeting "held in Tashkent" is Uzbekistan's business.
    keys.update(f"country:{p.country}" for p in annotations.places if p.country)
    keys.update(*map(_word_keys, set(words)))
    people = tuple(slug(p.name) for p in annotations.people)
    for person in people:
        keys.update(f"p:{part}" for part in person.split("-"))
    names = tuple(k for k in (name_key(p.name) for p in annotations.people) if k)
    for name in names:
        keys.update(f"p:{part}" for part in name.split())
    if report.tier:
        keys.add(f"tier:{report.tier}")
    meetings: list[frozenset[str]] = []
    forums: list[tuple[str, ...]] = []
    for meeting in annotations.meetings:
        # The sides; a side is a subject of the report, named or not. Where the text gives
        # fewer than two, the other is the publisher's own ("The Speaker of the National
        # Assembly received the Ambassador of Japan", from Pakistan's assembly); an agency
        # telling two other countries' meeting adds nothing.
        sides = {side.id for side in meeting.sides}
        home = f"country:{report.home_country}" if report.home_country else None
        if home and len(sides) < 2:
            sides.add(home)
        meetings.append(frozenset(sides))
        keys.update(sides)
        keys.update(f"side:{side}" for side in sides)
        keys.add(f"type:{meeting.type.value}")
        keys.update(f"level:{level}" for level in _levels(meeting))
        if meeting.event is not None:
            event = meeting.event
            forums.append(tuple(phrase_words(event.text)))
            keys.update(f"forum:w:{w}" for w in forums[-1])
            for mention in annotations.mentions:
                if any(event.start <= sp.start and sp.end <= event.end for sp in mention.spans):
                    keys.add(f"forum:{mention.entity_id}")
    return Document(frozenset(keys), words, people, names, tuple(meetings), tuple(forums))


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str) -> frozenset[str]:
    return frozenset(f"w:{form}" for form in folded_forms(word))


def _levels(meeting: Meeting) -> set[str]:
    """`leaders` when a participant heads a state or government, `ministers` when one is a
    minister, from the titles the text gives them."""
    return {level for p in meeting.participants if (level := person_level(p))}


def evaluate(node: Node, doc: Document) -> bool:
    if isinstance(node, Term):
        return _term_true(node, doc)
    if isinstance(node, Not):
        return not evaluate(node.child, doc)
    if isinstance(node, And):
        return all(evaluate(c, doc) for c in node.children)
    return any(evaluate(c, doc) for c in node.children)


def matched_terms(node: Node, doc: Document) -> list[str]:
    """Labels of the positive terms that hold in `doc`: what to tell the watcher matched.
    A country or organisation says whether it was a side or only mentioned; a side, or a
    pair, that only a meeting other than the headline's has says so, since the headline
    does not show it."""
    if isinstance(node, Term):
        if not _term_true(node, doc):
            return []
        if node.kind == "entity" and node.value.startswith(("country:", "org:")):
            return [f"{node.label} ({_side_label(node.value, doc)})"]
        if node.kind == "side" and node.value not in doc.headline_sides:
            return [f"{node.label} ({ANOTHER_MEETING})"]
        if node.kind == "pair" and not set(node.value.split("|")) <= doc.headline_sides:
            return [f"{node.label} ({ANOTHER_MEETING})"]
        return [node.label]
    if isinstance(node, Not):
        return []
    return [label for c in node.children for label in matched_terms(c, doc)]


ANOTHER_MEETING = "in another meeting of the report"


def _side_label(entity_id: str, doc: Document) -> str:
    if entity_id in doc.headline_sides:
        return "side"
    return f"side {ANOTHER_MEETING}" if entity_id in doc.sides else "mentioned"


def _term_true(term: Term, doc: Document) -> bool:
    if term.kind == "side":
        return term.value in doc.sides
    if term.kind == "pair":
        first, second = term.value.split("|")
        return any(first in sides and second in sides for sides in doc.meetings)
    if term.kind in ("type", "level", "forum", "tier") and not term.value.startswith("phrase:"):
        return f"{term.kind}:{term.value}" in doc.keys
    if term.kind == "forum":
        # Every word of the forum's name, as the text may put an acronym in between
        # ("Inter-Parliamentary Union (IPU) Assembly").
        wanted = set(term.value.removeprefix("phrase:").split(" "))
        return any(wanted <= set(words) for words in doc.forums)
    if term.kind == "entity":
        if term.value in doc.keys:
            return True
        # A place subscription also takes the city's name where no cue placed it.
        return term.value.startswith("place:") and doc.has_phrase(tuple(term.value[6:].split("-")))
    if term.kind == "keyword":
        return any(f"w:{form}" in doc.keys for form in word_forms(term.value))
    if term.kind == "phrase":
        return doc.has_phrase(tuple(term.value.split(" ")))
    if " " in term.value or "|" in term.value:  # a person of the record, by any spelling
        return any(_same_name(name, term.value.split("|")) for name in doc.person_names)
    # person: the full slug, or any run of its parts ("matviyenko", "valentina-matviyenko")
    return any(p == term.value or f"-{term.value}" in f"-{p}-" for p in doc.people)


def _same_name(name: str, spellings: list[str]) -> bool:
    """A report's person is the subscribed one: a spelling of theirs, one within the other
    with the same surname ("Mohammad Ishaq Dar" ~ "Ishaq Dar"), or the surname alone
    ("Lavrov" in a second mention)."""
    words = name.split()
    for spelling in spellings:
        if name == spelling:
            return True
        other = spelling.split()
        if len(words) == 1:
            if words[0] == other[-1]:
                return True
            continue
        small, large = sorted((words, other), key=len)
        if small[-1] == large[-1] and set(small) <= set(large):
            return True
    return False


def anchors(node: Node) -> frozenset[str] | None:
    """Keys of which every matching document holds at least one; None if there are none
    (a query such as `NOT x`), so the query must be evaluated for every document."""
    if isinstance(node, Term):
        if term_keys := _term_anchor(node):
            return term_keys
        return None
    if isinstance(node, Not):
        return None
    child_anchors = [anchors(c) for c in node.children]
    if isinstance(node, Or):
        if any(a is None for a in child_anchors):
            return None
        return frozenset().union(*[a for a in child_anchors if a is not None])
    usable = [a for a in child_anchors if a is not None]
    return min(usable, key=len) if usable else None


@dataclass(frozen=True)
class KeyFilter:
    """A condition on a document's keys that every document a query matches meets (so a
    store can find the candidates through an index of keys): at a leaf, any of `keys`;
    else all (`op` "and") or any ("or") of `parts`."""

    op: str  # "any", "and" or "or"
    keys: frozenset[str] = frozenset()
    parts: tuple[KeyFilter, ...] = ()


def key_filter(nodes: Sequence[Node]) -> KeyFilter | None:
    """What any of `nodes` requires of a document's keys; None when nothing does (a query
    such as `NOT x` can match a document with any keys). Looser than the queries (a
    phrase requires its first word, a negation nothing), never stricter: the documents it
    selects are evaluated after."""
    parts = [_node_filter(node) for node in nodes]
    if not parts or any(p is None for p in parts):
        return None
    found = [p for p in parts if p is not None]
    return found[0] if len(found) == 1 else KeyFilter("or", parts=tuple(found))


def _node_filter(node: Node) -> KeyFilter | None:
    if isinstance(node, Term):
        keys = _term_anchor(node)
        return KeyFilter("any", keys) if keys else None
    if isinstance(node, Not):
        return None
    if isinstance(node, Or):
        return key_filter(node.children)
    parts = tuple(p for c in node.children if (p := _node_filter(c)) is not None)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else KeyFilter("and", parts=parts)


def _term_anchor(term: Term) -> frozenset[str]:
    if term.kind == "side":
        return frozenset({f"side:{term.value}"})
    if term.kind == "pair":
        return frozenset({f"side:{term.value.split('|')[0]}"})
    if term.kind == "forum" and term.value.startswith("phrase:"):
        return frozenset({f"forum:w:{term.value.removeprefix('phrase:').split(' ')[0]}"})
    if term.kind in ("type", "level", "forum", "tier"):
        return frozenset({f"{term.kind}:{term.value}"})
    if term.kind == "entity":
        if term.value.startswith("place:"):
            return frozenset({term.value, f"w:{term.value[6:].split('-')[0]}"})
        return frozenset({term.value})
    if term.kind == "keyword":
        return frozenset(f"w:{form}" for form in word_forms(term.value))
    if term.kind == "phrase":
        return frozenset({f"w:{term.value.split(' ')[0]}"})
    if " " in term.value or "|" in term.value:
        return frozenset(f"p:{spelling.split()[-1]}" for spelling in term.value.split("|"))
    return frozenset({f"p:{term.value.split('-')[-1]}"})


@dataclass(frozen=True)
class CompiledSubscription:
    id: int
    chat_id: int
    node: Node
    query: str = ""  # as the watcher wrote it: what the alert says fired
    muted_until: datetime | None = None  # silent until then (/mute 3 24h)
    mode: DeliveryMode | None = None  # its own instant/daily/weekly; None: the chat's


def fired_label(node: Node, query: str, doc: Document) -> str:
    """How an alert names a subscription that fired: as the watcher wrote it (`query`);
    a lone country or organisation says whether it was a side or only mentioned."""
    if isinstance(node, Term) and node.kind == "entity" and query:
        if node.value.startswith(("country:", "org:")):
            return f"{query} ({_side_label(node.value, doc)})"
        return query
    if isinstance(node, Term) and node.kind in ("side", "pair") and query:
        # "with:Qatar", "Iran-Qatar" held by a meeting the headline does not show.
        [label] = matched_terms(node, doc) or [node.label]
        return query if label == node.label else f"{query} ({ANOTHER_MEETING})"
    return query or ", ".join(matched_terms(node, doc))


@dataclass
class _Query:
    """One distinct query (its compiled form and its text as written) and the
    subscriptions that follow it, as two parallel arrays (ids, chats) held in one
    attribute, so that a change replaces both at once: evaluated once per report, fanned
    out to its chats after."""

    node: Node
    query: str
    members: tuple[array[int], array[int]] = field(default_factory=lambda: (array("q"), array("q")))


class SubscriptionIndex:
    """Subscriptions indexed by the keys they require, one entry per distinct query:
    many chats following "Pakistan" cost one evaluation per report, and a million
    subscriptions hold two integers each beside their distinct queries."""

    def __init__(self, subscriptions: Iterable[CompiledSubscription]) -> None:
        self._queries: list[_Query] = []
        self._by_key: dict[str, list[int]] = {}  # key -> the queries that require it
        self._always: list[int] = []  # queries no key anchors ("NOT ...")
        self._muted: dict[int, datetime] = {}  # subscription id -> silent until
        self._modes: dict[int, DeliveryMode] = {}  # subscription id -> its own mode
        self._positions: dict[tuple[Node, str], int] = {}
        for sub in subscriptions:
            ids, chats = self._queries[self._position(sub)].members
            ids.append(sub.id)  # not shared yet: appended in place
            chats.append(sub.chat_id)
            self._remember(sub)

    @property
    def size(self) -> int:
        return sum(len(entry.members[0]) for entry in self._queries)

    def _position(self, sub: CompiledSubscription) -> int:
        position = self._positions.get((sub.node, sub.query))
        if position is None:
            position = self._positions[(sub.node, sub.query)] = len(self._queries)
            self._queries.append(_Query(sub.node, sub.query))
            keys = anchors(sub.node)
            if keys is None:
                self._always.append(position)
            else:
                for key in keys:
                    self._by_key.setdefault(key, []).append(position)
        return position

    def _remember(self, sub: CompiledSubscription) -> None:
        if sub.muted_until is not None:
            self._muted[sub.id] = sub.muted_until
        if sub.mode is not None:
            self._modes[sub.id] = sub.mode

    def replace_chats(
        self, chat_ids: Collection[int], subscriptions: Iterable[CompiledSubscription]
    ) -> None:
        """These chats' subscriptions are now `subscriptions`: the ones they had leave the
        index, these join it. Each distinct query's members are replaced in one
        assignment, so a report matched meanwhile sees them before or after, never half."""
        gone = set(chat_ids)
        for entry in self._queries:
            ids, chats = entry.members
            if gone.isdisjoint(chats):
                continue
            kept = [(i, c) for i, c in zip(ids, chats, strict=True) if c not in gone]
            for sub_id, chat_id in zip(ids, chats, strict=True):
                if chat_id in gone:
                    self._muted.pop(sub_id, None)
                    self._modes.pop(sub_id, None)
            entry.members = (array("q", (i for i, _ in kept)), array("q", (c for _, c in kept)))
        added: dict[int, list[CompiledSubscription]] = {}
        for sub in subscriptions:
            added.setdefault(self._position(sub), []).append(sub)
            self._remember(sub)
        for position, subs in added.items():
            entry = self._queries[position]
            ids, chats = entry.members
            entry.members = (ids + array("q", (s.id for s in subs)),
                             chats + array("q", (s.chat_id for s in subs)))  # fmt: skip

    @property
    def distinct(self) -> int:
        """How many distinct queries the subscriptions follow."""
        return len(self._queries)

    def _candidate_queries(self, doc: Document) -> set[int]:
        found = set(self._always)
        if len(doc.keys) < len(self._by_key):
            for key in doc.keys:
                found.update(self._by_key.get(key, ()))
        else:
            for key, positions in self._by_key.items():
                if key in doc.keys:
                    found.update(positions)
        return found

    def candidates(self, doc: Document) -> list[CompiledSubscription]:
        """The subscriptions whose required keys the document has, by id."""
        found = [
            CompiledSubscription(
                sub_id,
                chat_id,
                entry.node,
                entry.query,
                muted_until=self._muted.get(sub_id),
                mode=self._modes.get(sub_id),
            )
            for entry in map(self._queries.__getitem__, self._candidate_queries(doc))
            for sub_id, chat_id in zip(*entry.members, strict=True)
        ]
        return sorted(found, key=lambda s: s.id)

    def match(self, doc: Document, now: datetime | None = None) -> list[MatchedChat]:
        """Chats the document must go to, each once, with what matched there; a
        subscription muted at `now` is silent. Each distinct query is evaluated once."""
        # A report may reach thousands of chats: this loop is the fan-out, kept lean.
        per_chat: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
        for position in self._candidate_queries(doc):
            entry = self._queries[position]
            if not evaluate(entry.node, doc):
                continue
            # The subscriptions that fired, as written, not their parts.
            label = fired_label(entry.node, entry.query, doc)
            members: Iterable[tuple[int, int]] = zip(*entry.members, strict=True)
            if now is not None and self._muted:  # /mute: silent until then
                members = ((s, c) for s, c in members if not self._muted.get(s, now) > now)
            for sub_id, chat_id in members:
                per_chat[chat_id].append((sub_id, label))
        mode_of = self._modes.get
        found: list[MatchedChat] = []
        for chat_id in sorted(per_chat):
            fired = per_chat[chat_id]
            if len(fired) == 1:  # most chats: one subscription fired
                sub_id, label = fired[0]
                found.append(
                    MatchedChat(
                        chat_id, (sub_id,), (label,) if label else (), modes=(mode_of(sub_id),)
                    )
                )
                continue
            fired.sort()
            ids = tuple(sub_id for sub_id, _ in fired)
            labels = tuple(dict.fromkeys(label for _, label in fired if label))
            found.append(MatchedChat(chat_id, ids, labels, modes=tuple(map(mode_of, ids))))
        return found


def highlights(nodes: Iterable[Node], annotations: Annotations) -> tuple[str, ...]:
    """The words of the report that made these queries fire, as the report writes them:
    each entity's mentions, a person's names, the keywords and phrases (for the quote's
    bold). Negated terms and meeting facts highlight nothing."""
    found: list[str] = []

    def add(text: str) -> None:
        if text and text not in found:
            found.append(text)

    def visit(node: Node) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, (And, Or)):
            for child in node.children:
                visit(child)
            return
        ids: set[str] = set()
        if node.kind in ("entity", "side"):
            ids = {node.value}
        elif node.kind == "pair":
            ids = set(node.value.split("|"))
        elif node.kind in ("keyword", "phrase"):
            add(node.label)
        elif node.kind == "person":
            spellings = node.value.split("|")
            for person in annotations.people:
                key = name_key(person.name)
                if key and (" " in node.value or "|" in node.value):
                    if _same_name(key, spellings):
                        add(person.name)
                        for span in person.spans:
                            add(span.text)
                elif (
                    slug(person.name) == node.value or f"-{node.value}" in f"-{slug(person.name)}-"
                ):
                    add(person.name)
        for mention in annotations.mentions:
            if mention.entity_id in ids:
                for span in mention.spans:
                    add(span.text)
        for place in annotations.places:
            if place.entity_id in ids:
                add(place.span.text or place.name)

    for node in nodes:
        visit(node)
    return tuple(sorted(found, key=len, reverse=True))
