"""The subscription query language: parse, resolve against the gazetteer, explain.

`Pakistan` is the entity `country:PK` (matching "Pakistan", "Pakistani", "Pakistan's");
an unknown word is a keyword (whole word, any case, plurals and possessives folded);
`"Federation Council"` is an exact phrase; terms side by side mean AND; `OR`, `NOT`,
`-term` and parentheses work as expected; `country:`, `org:`, `person:`, `place:` and
`topic:` pin the kind. Pure: no I/O.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from bot.errors import QueryError
from bot.extract.gazetteer import Gazetteer
from bot.extract.officeholders import KnownPerson, choose, name_key
from bot.extract.officeholders import Term as OfficeTerm
from bot.extract.text import fold
from bot.models import Entity, EntityKind, slug

MAX_QUERY_LENGTH = 200
_MAX_ALIAS_WORDS = 8
_KIND_PRIORITY = {
    EntityKind.COUNTRY: 0,
    EntityKind.ORG: 1,
    EntityKind.TOPIC: 2,
    EntityKind.PLACE: 3,
    EntityKind.PERSON: 4,
}
_KIND_LABELS = {
    EntityKind.COUNTRY: "country",
    EntityKind.ORG: "organisation",
    EntityKind.TOPIC: "topic",
    EntityKind.PLACE: "place",
    EntityKind.PERSON: "person",
}

TermKind = Literal[
    "entity", "keyword", "phrase", "person", "side", "pair", "type", "forum", "level", "tier"
]
# What the meeting-fact terms take: `type:call`, `level:leaders`.
MEETING_TYPES = ("call", "visit", "host", "third-location", "multilateral")
LEVELS = {"leaders": "heads of state or government", "ministers": "ministers"}
OUTLET_TIERS = ("official", "agency", "media")  # as bot.reports.TIERS


@dataclass(frozen=True)
class Term:
    kind: TermKind
    value: str  # entity id, folded keyword, phrase words joined by spaces, or person slug
    label: str  # what the user sees: "Pakistan", "SCO", "energy", "Matviyenko"


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\()|(?P<rparen>\))|
        "(?P<phrase>[^"]*)"|\u201c(?P<cphrase>[^\u201d]*)\u201d|
        (?P<word>[^\s()"\u201c]+)
    )""",
    re.VERBOSE,
)
_PREFIXES = {
    "country": EntityKind.COUNTRY,
    "org": EntityKind.ORG,
    "person": EntityKind.PERSON,
    "place": EntityKind.PLACE,
    "topic": EntityKind.TOPIC,
}
# Prefixes on the meeting's facts rather than the text: a side, the kind, the forum, the level.
_FACT_PREFIXES = ("with", "side", "type", "at", "level", "tier")


@dataclass(frozen=True)
class _Tok:
    kind: str  # "(", ")", "AND", "OR", "NOT", "phrase", "word"
    text: str
    negated: bool = False


def parse(query: str, gazetteer: Gazetteer, *, max_length: int = MAX_QUERY_LENGTH) -> Node:
    """Parse and resolve a query; raises QueryError with a helpful message."""
    return read(query, gazetteer, max_length=max_length)[0]


def read(
    query: str,
    gazetteer: Gazetteer,
    *,
    max_length: int = MAX_QUERY_LENGTH,
    seen_people: Collection[str] = (),
) -> tuple[Node, list[str]]:
    """Parse and resolve a query, with notes for the watcher on how it was read ("followed
    as an exact phrase; to follow the words separately, write ..."). `seen_people`: names
    of people in stored reports, who are people too when the record does not know them."""
    text = normalise_quotes(query.strip())
    if not text:
        raise QueryError("the query is empty: try a country, organisation or topic, e.g. Pakistan")
    if len(text) > max_length:
        raise QueryError(f"the query is {len(text)} characters long; the limit is {max_length}")
    parser = _Parser(_tokenize(text), gazetteer, seen_people)
    node = parser.parse_or()
    if parser.pos < len(parser.tokens):
        raise QueryError(f"unexpected {parser.tokens[parser.pos].text!r} in the query")
    if _only_negative(node):
        raise QueryError(
            "a query cannot be only NOT terms: say what to follow, e.g. energy NOT Russia"
        )
    return node, parser.notes


# Quotation marks as keyboards and languages write them, all read as '"'.
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"})
_SINGLE_QUOTED = re.compile(
    r"(?<![\w'\u2019])['\u2018\u2019]([^'\u2018\u2019]+)['\u2018\u2019](?![\w])"
)
_FLAG = re.compile(r"^[\U0001F1E6-\U0001F1FF]{2}$")


def normalise_quotes(text: str) -> str:
    """“Federation Council”, «ШОС», „Gipfel“, 'White House' and ‘West Bank’ are phrases as
    "..." is; an apostrophe inside a word (Xi's) stays one."""
    return _SINGLE_QUOTED.sub(r'"\1"', text.translate(_QUOTES))


def flag_country(word: str) -> str | None:
    """🇵🇰 -> "PK"."""
    if not _FLAG.match(word):
        return None
    return "".join(chr(ord("A") + ord(ch) - 0x1F1E6) for ch in word)


def _tokenize(text: str) -> list[_Tok]:
    if text.count('"') % 2:
        raise QueryError('a quotation mark is not closed: write phrases as "Federation Council"')
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise QueryError(f"cannot read the query near {text[pos : pos + 20]!r}")
        pos = m.end()
        if m.group("lparen"):
            tokens.append(_Tok("(", "("))
        elif m.group("rparen"):
            tokens.append(_Tok(")", ")"))
        elif m.group("phrase") is not None or m.group("cphrase") is not None:
            phrase = m.group("phrase") if m.group("phrase") is not None else m.group("cphrase")
            tokens.append(_Tok("phrase", phrase))
        else:
            word = m.group("word")
            if word in ("AND", "OR", "NOT"):
                tokens.append(_Tok(word, word))
            elif word.startswith("-") and len(word) > 1:
                tokens.append(_Tok("word", word[1:], negated=True))
            else:
                tokens.append(_Tok("word", word))
    return tokens


def _is_op(tok: _Tok, op: str) -> bool:
    """`AND`, `OR`, `NOT` in capitals; in lower case too, unless part of a name."""
    return tok.kind == op or (tok.kind == "word" and not tok.negated and tok.text == op.lower())


class _Parser:
    def __init__(
        self, tokens: list[_Tok], gazetteer: Gazetteer, seen_people: Collection[str] = ()
    ) -> None:
        self.tokens = tokens
        self.pos = 0
        self.gazetteer = gazetteer
        # Name keys of people named in stored reports: full names and surnames.
        self.seen: dict[str, str] = {}
        for name in seen_people:
            key = name_key(name)
            if len(key.split()) >= 2:
                self.seen.setdefault(key, name)
                self.seen.setdefault(key.split()[-1], key.split()[-1].title())
        self.notes: list[str] = []  # what the watcher should know of how it was read

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and _is_op(tok, "OR"):
            self.pos += 1
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind != ")" and not _is_op(tok, "OR"):
            if _is_op(tok, "AND"):
                self.pos += 1
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QueryError("the query ends too early: an operator needs a term after it")
        if _is_op(tok, "NOT"):
            self.pos += 1
            return Not(self.parse_unary())
        if tok.kind == "word" and tok.negated:
            return Not(self.parse_primary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QueryError("the query ends too early: an operator needs a term after it")
        if tok.kind == "(":
            self.pos += 1
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("a parenthesis is not closed")
            self.pos += 1
            return node
        if tok.kind == ")" or _is_op(tok, "AND") or _is_op(tok, "OR"):
            raise QueryError(f"{tok.text!r} needs a term before it")
        self.pos += 1
        if tok.kind == "phrase":
            return _phrase(tok.text)
        prefix = tok.text.split(":", 1)[0].lower() if ":" in tok.text else ""
        if prefix in _PREFIXES or prefix in _FACT_PREFIXES:
            text = tok.text
            following = self.peek()
            if tok.text.endswith(":") and following is not None and following.kind == "phrase":
                self.pos += 1  # person:"Wang Yi", at:"UN General Assembly"
                text = tok.text + following.text
            if prefix in _FACT_PREFIXES:
                return self.resolve_fact(prefix, text.split(":", 1)[1])
            return self.resolve_prefixed(text)
        first = self.resolve_words(tok)
        return self.maybe_pair(first)

    def maybe_pair(self, first: Node) -> Node:
        """`Pakistan with Russia`: both sides of one meeting."""
        tok = self.peek()
        if tok is None or tok.kind != "word" or tok.text.lower() != "with":
            return first
        if not _is_side_entity(first):
            raise QueryError(
                "'with' joins two countries or organisations, e.g. Pakistan with Russia"
            )
        self.pos += 1
        nxt = self.peek()
        if nxt is None or nxt.kind != "word":
            raise QueryError("'with' needs a country or organisation after it")
        self.pos += 1
        second = self.resolve_words(nxt)
        if not _is_side_entity(second):
            raise QueryError(
                "'with' joins two countries or organisations, e.g. Pakistan with Russia"
            )
        assert isinstance(first, Term) and isinstance(second, Term)
        return _pair(first, second)

    def side_entity(self, value: str, prefix: str) -> Term:
        value = value.strip()
        if not value:
            raise QueryError(f"{prefix}: needs a country or organisation, e.g. {prefix}:Pakistan")
        node = self.single(value)
        if not _is_side_entity(node):
            raise QueryError(
                f"{prefix}:{value} is not a country or organisation: a side of a meeting is one"
            )
        assert isinstance(node, Term)
        return node

    def single(self, value: str) -> Node:
        """`value` read as a query of its own (a name of several words, a flag)."""
        sub = _Parser(_tokenize(value), self.gazetteer)
        node = sub.parse_or()
        if sub.pos < len(sub.tokens):
            raise QueryError(f"unexpected {sub.tokens[sub.pos].text!r} in {value!r}")
        return node

    def resolve_fact(self, prefix: str, value: str) -> Node:
        """`with:Pakistan`, `type:call`, `at:SCO`, `level:leaders`: facts of the meeting."""
        if prefix in ("with", "side"):
            entity = self.side_entity(value, prefix)
            return Term("side", entity.value, entity.label)
        word = value.strip().lower()
        if prefix == "type":
            if word not in MEETING_TYPES:
                raise QueryError(f"type: takes {', '.join(MEETING_TYPES)}")
            return Term("type", word, word)
        if prefix == "tier":
            if word not in OUTLET_TIERS:
                raise QueryError(f"tier: takes {', '.join(OUTLET_TIERS)}")
            return Term("tier", word, word)
        if prefix == "level":
            if word not in LEVELS:
                raise QueryError(f"level: takes {' or '.join(LEVELS)}")
            return Term("level", word, word)
        if not value.strip():
            raise QueryError('at: needs a forum, e.g. at:SCO or at:"UN General Assembly"')
        entities = self.gazetteer.lookup(value)
        if entities:
            entity = _entity_term(_best(entities))
            return Term("forum", entity.value, entity.label)
        if len(phrase_words(value)) < 2:
            # One word no organisation is called: a misspelling ("at:SOC") or no forum at
            # all ("at:Narnia"). An event's own name is written whole, in quotes.
            close = [
                e.name for e in self.gazetteer.suggest(value, limit=6) if e.kind is EntityKind.ORG
            ][:3]
            hint = f"did you mean {' or '.join(close)}? Otherwise " if close else ""
            raise QueryError(
                f"at: takes a forum, and {value.strip()!r} is no organisation I know; {hint}"
                "write an organisation (at:SCO) or an event's full name in quotes "
                '(at:"Raisina Dialogue")',
                suggestions=tuple(close),
            )
        phrase = _phrase(value)
        return Term("forum", "phrase:" + phrase.value, phrase.label)

    def resolve_words(self, first: _Tok) -> Node:
        """Words side by side that name something are that thing, whatever their length:
        the longest name the gazetteer knows (`South China Sea`), or a person of the
        officeholders record (`Wang Yi`). A run of capitalised words that names nothing
        known (`White House`) is an exact phrase. Otherwise the first word alone."""
        words = [first.text]
        if not first.negated:
            i = self.pos
            while i < len(self.tokens) and len(words) < _MAX_ALIAS_WORDS:
                tok = self.tokens[i]
                if tok.kind != "word" or tok.negated or ":" in tok.text:
                    break
                words.append(tok.text)
                i += 1
        for size in range(len(words), 1, -1):
            candidate = " ".join(words[:size])
            entities = self.gazetteer.lookup(candidate)
            if entities:
                self.pos += size - 1
                return _entity_term(_best(entities))
            if _name_like(words[:size]):
                person = self.person(candidate) or self.seen_person(candidate)
                if person is not None:
                    self.pos += size - 1
                    return person
        run = _name_run(words)
        if len(run) >= 2 and not all(self.known_alone(w) for w in run if not _connector(w)):
            candidate = " ".join(run)
            close = self.gazetteer.suggest(candidate, cutoff=90) or self.gazetteer.completions(
                candidate
            )
            if close and fold(close[0].name) != fold(candidate):
                names = " or ".join(_short(e) for e in close)
                raise QueryError(
                    f"unknown name {candidate!r}: did you mean {names}? To follow the words "
                    f'exactly as typed, put them in quotes: "{candidate}"',
                    suggestions=tuple(e.name for e in close),
                )
            self.pos += len(run) - 1
            self.notes.append(
                f"“{candidate}” is followed as an exact phrase; to follow the words "
                f"separately, write {' AND '.join(w for w in run if not _connector(w))}"
            )
            return _phrase(candidate)
        return self.resolve_word(first.text)

    def named(self, word: str) -> Term | None:
        """The entity a word or a flag names, if any."""
        code = flag_country(word)
        entity = self.gazetteer.entities.get(f"country:{code}") if code else None
        if entity is None:
            entities = self.gazetteer.lookup(word)
            entity = _best(entities) if entities else None
        return _entity_term(entity) if entity is not None else None

    def seen_person(self, name: str) -> Term | None:
        """Someone stored reports name ("Matviyenko", "Valentina Matviyenko"), whom the
        officeholders record does not know: matched as a person, never as a word."""
        key = name_key(name)
        if key not in self.seen:
            return None
        return Term("person", slug(key), name)

    def known_alone(self, word: str) -> bool:
        """A word that is a name by itself: `Pakistan` in `Pakistan Russia`."""
        return bool(self.gazetteer.lookup(word)) or (
            word[:1].isupper() and choose(self.gazetteer.officeholders.people(word))[0] is not None
        )

    def person(self, name: str) -> Term | None:
        """The one person of the officeholders record `name` stands for; several: the
        watcher is asked which."""
        people = self.gazetteer.officeholders.people(name) or self.other_script_people(name)
        if not people:
            return None
        chosen, others = choose(people)
        if chosen is None:
            options = "; ".join(
                f"{p.name} ({describe_office(p.office(), self.gazetteer)})" for p in others[:4]
            )
            raise QueryError(
                f"{name!r} is {len(others)} people in office now: {options}. Write the full "
                f"name, e.g. {others[0].name}",
                suggestions=tuple(p.name for p in others[:4]),
            )
        if others:
            also = "; ".join(
                f"{p.name}, {self.gazetteer.country_name(p.office().country)} {_years(p.office())}"
                for p in others[:3]
            )
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            self.notes.append(
                f"{name!r} is {chosen.name} "
                f"({describe_office(chosen.office(), self.gazetteer)}); also: {also}{more}: "
                "write the full name to follow another"
            )
        return person_term(chosen.name, chosen.spellings)

    def other_script_people(self, name: str) -> list[KnownPerson]:
        """The record's people a name in another script stands for: a hand-kept spelling
        (特朗普, لافروف), a Cyrillic name read letter for letter («Лавров»), a Chinese
        official's name read as pinyin, family name first (王毅 is Wang Yi)."""
        if name.isascii():
            return []
        record = self.gazetteer.officeholders
        for spelling, known in self.gazetteer.person_spellings:
            if spelling == name:
                return record.people(known)
        transliterate = self.gazetteer.transliterate
        if transliterate is None:
            return []
        if all("\u3400" <= ch <= "\u9fff" for ch in name) and len(name) >= 2:
            latin = transliterate(name[0]) + " " + "".join(transliterate(c) for c in name[1:])
        else:
            latin = transliterate(name)
        return record.people(latin) if latin.isascii() and latin.strip() else []

    def resolve_word(self, word: str) -> Node:
        code = flag_country(word)
        if code is not None:
            entity = self.gazetteer.entities.get(f"country:{code}")
            if entity is None:
                raise QueryError(f"{word} is not the flag of a country I know")
            return _entity_term(entity)
        if "-" in word.strip("-") and not self.gazetteer.lookup(word):
            parts = [p for p in word.split("-") if p]
            sides = [self.named(p) for p in parts]
            if len(parts) == 2 and all(sides):
                first, second = (s for s in sides if s is not None)
                if _is_side_entity(first) and _is_side_entity(second):
                    return _pair(first, second)  # Pakistan-Russia, 🇵🇰-🇷🇺
        choices = self.gazetteer.ambiguous.get(fold(word))
        if choices:
            raise QueryError(f"{word!r} is ambiguous: write {choices}")
        entities = self.gazetteer.lookup(word)
        if not entities and fold(word).endswith("'s"):
            entities = self.gazetteer.lookup(word[:-2])
        if entities:
            return _entity_term(_best(entities))
        cleaned = word.strip(".,;!?")
        if not any(ch.isalnum() for ch in cleaned):
            raise QueryError(f"{word!r} is not a word to look for")
        caseless = cleaned.upper() == cleaned.lower()  # Chinese, Arabic, Urdu
        if cleaned[:1].isupper() or caseless:  # "Lavrov", "Xi", 王毅: a person, not the word
            name = strip_possessive(cleaned)
            person = self.person(name) or self.seen_person(name)
            if person is not None:
                return person
        suggestions = [_short(e) for e in self.gazetteer.suggest(cleaned)]
        if cleaned[:1].isupper() and self.gazetteer.city(cleaned) is None:
            # "Jaishankr": a person's name, misspelt; "Matera", a town, is no misspelling.
            suggestions += [p.name for p in self.gazetteer.officeholders.suggest(cleaned)]
        if suggestions:
            names = " or ".join(suggestions[:4])
            raise QueryError(
                f"unknown term {cleaned!r}: did you mean {names}? "
                f'To follow the word exactly as typed, put it in quotes: "{cleaned}"',
                suggestions=tuple(suggestions[:4]),
            )
        return Term("keyword", keyword_form(cleaned), cleaned)

    def resolve_prefixed(self, text: str) -> Node:
        prefix, _, value = text.partition(":")
        kind = _PREFIXES[prefix.lower()]
        value = value.replace("_", " ").replace("-", " ") if kind is EntityKind.PERSON else value
        if not value.strip():
            raise QueryError(f"{prefix}: needs a name after it, e.g. {prefix}:{_EXAMPLES[kind]}")
        if kind is EntityKind.PERSON:
            return self.person(value) or Term("person", slug(value), value)
        if (
            kind is EntityKind.COUNTRY
            and len(value) == 2
            and f"country:{value.upper()}" in (self.gazetteer.entities)
        ):
            return _entity_term(self.gazetteer.entities[f"country:{value.upper()}"])
        if kind is EntityKind.ORG and f"org:{value.upper()}" in self.gazetteer.entities:
            return _entity_term(self.gazetteer.entities[f"org:{value.upper()}"])
        if kind is EntityKind.TOPIC and f"topic:{value.lower()}" in self.gazetteer.entities:
            return _entity_term(self.gazetteer.entities[f"topic:{value.lower()}"])
        entities = [e for e in self.gazetteer.lookup(value) if e.kind is kind]
        if entities:
            return _entity_term(entities[0])
        close = [e for e in self.gazetteer.suggest(value, limit=6) if e.kind is kind][:3]
        label = _KIND_LABELS[kind]
        if close:
            names = " or ".join(e.name for e in close)
            raise QueryError(
                f"unknown {label} {value!r}: did you mean {names}?",
                suggestions=tuple(e.name for e in close),
            )
        raise QueryError(f"unknown {label} {value!r}: try /help for examples")


_EXAMPLES = {
    EntityKind.COUNTRY: "PK",
    EntityKind.ORG: "SCO",
    EntityKind.PERSON: "Matviyenko",
    EntityKind.PLACE: "Tashkent",
    EntityKind.TOPIC: "energy",
}


_CONNECTORS = frozenset({"of", "and", "the", "de", "del", "al", "el", "bin", "van", "von", "&"})


def _connector(word: str) -> bool:
    return word.lower() in _CONNECTORS


def _name_like(words: list[str]) -> bool:
    """Capitalised words (small connecting words allowed inside): how names are typed."""
    return words[0][:1].isupper() and all(w[:1].isupper() or _connector(w) for w in words)


def _name_run(words: list[str]) -> list[str]:
    """The leading run of capitalised words (with connectors inside, not at the end)."""
    run: list[str] = []
    for word in words:
        if word[:1].isupper() or (run and _connector(word)):
            run.append(word)
        else:
            break
    while run and _connector(run[-1]):
        run.pop()
    return run


def person_term(name: str, spellings: tuple[str, ...]) -> Term:
    """A person of the record: matched by any spelling of the name, never as a word."""
    return Term("person", "|".join(spellings), name)


_ROLE_WORDS = {
    "head_of_state": "head of state",
    "head_of_government": "head of government",
    "foreign_minister": "foreign minister",
    "defence_minister": "defence minister",
    "head_of_org": "head",
}


def describe_office(term: OfficeTerm, gazetteer: Gazetteer) -> str:
    """ "foreign minister of Russia since 2004", "head of government of the United
    Kingdom 2016-2019"."""
    role = _ROLE_WORDS.get(term.role, "minister" if "minister" in term.role else "official")
    where = gazetteer.country_name(term.country)
    return f"{role} of {where} {_years(term)}"


def _years(term: OfficeTerm) -> str:
    return f"since {term.start.year}" if term.end is None else f"{term.start.year}–{term.end.year}"


def _short(entity: Entity) -> str:
    return entity.id.split(":", 1)[1] if entity.kind is EntityKind.ORG else entity.name


def _best(entities: list[Entity]) -> Entity:
    return min(entities, key=lambda e: _KIND_PRIORITY[e.kind])


def _entity_term(entity: Entity) -> Term:
    label = entity.id.split(":", 1)[1] if entity.kind is EntityKind.ORG else entity.name
    return Term("entity", entity.id, label)


def _phrase(text: str) -> Term:
    words = phrase_words(text)
    if not words:
        raise QueryError('an empty phrase "" matches nothing: put words inside the quotes')
    return Term("phrase", " ".join(words), text.strip())


def _is_side_entity(node: Node) -> bool:
    return (
        isinstance(node, Term)
        and node.kind == "entity"
        and node.value.startswith(("country:", "org:"))
    )


def _pair(first: Term, second: Term) -> Term:
    """Both sides of one meeting: `Pakistan-Russia`, `Pakistan with Russia`."""
    if first.value == second.value:
        return Term("side", first.value, first.label)
    return Term("pair", f"{first.value}|{second.value}", f"{first.label}–{second.label}")


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(c) for c in node.children)
    if isinstance(node, Or):
        return any(_only_negative(c) for c in node.children)
    return False


# -- word forms, shared with matching ------------------------------------------------------

_WORD = re.compile(r"[\w]+(?:['\u2019\-][\w]+)*")


def phrase_words(text: str) -> list[str]:
    # Only a word with an apostrophe can be a possessive: the rest are kept as they are.
    return [
        strip_possessive(w) if "'" in w or "\u2019" in w else w for w in _WORD.findall(fold(text))
    ]


def strip_possessive(word: str) -> str:
    for suffix in ("'s", "\u2019s", "s'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + ("s" if suffix == "s'" else "")
    return word


def word_forms(word: str) -> frozenset[str]:
    """The forms a word folds to: `talks` -> {talks, talk}; `countries` -> {countries, country}."""
    return folded_forms(strip_possessive(fold(word)))


@functools.lru_cache(maxsize=65536)
def folded_forms(word: str) -> frozenset[str]:
    """`word_forms` of a word folded already and without its possessive (as `phrase_words`
    gives them): a report's words repeat across reports, so each is worked out once."""
    forms = {word}
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
        elif word.endswith("es"):
            forms.add(word[:-2])
    return frozenset(forms)


def keyword_form(word: str) -> str:
    return strip_possessive(fold(word))


# -- explain and serialise -----------------------------------------------------------------


def explain(node: Node, gazetteer: Gazetteer) -> str:
    """Say what a query was understood as, in words a watcher reads at a glance."""
    if isinstance(node, Term):
        return _explain_term(node, gazetteer)
    if isinstance(node, Not):
        return f"NOT {explain(node.child, gazetteer)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    parts = [explain(c, gazetteer) for c in node.children]
    text = joiner.join(parts)
    return f"({text})" if isinstance(node, Or) else text


def _explain_term(term: Term, gazetteer: Gazetteer) -> str:
    if term.kind == "keyword":
        return f"the word \u201c{term.label}\u201d (any case, plurals too)"
    if term.kind == "phrase":
        return f"the exact phrase \u201c{term.label}\u201d"
    if term.kind == "side":
        return f"{term.label} as a side of the meeting (not only mentioned)"
    if term.kind == "pair":
        a, b = term.label.split("–", 1)
        return f"meetings between {a} and {b} (both sides)"
    if term.kind == "type":
        return f"meetings of the kind “{term.value}”"
    if term.kind == "level":
        return f"meetings of {LEVELS.get(term.value, term.value)}"
    if term.kind == "tier":
        return f"reports from {term.value} outlets"
    if term.kind == "forum":
        return f"meetings at {term.label}"
    if term.kind == "person":
        people = (
            gazetteer.officeholders.people(term.value.split("|")[0])
            if "|" in term.value or " " in term.value
            else []
        )
        if len(people) == 1:
            return f"{people[0].name} (person: {describe_office(people[0].office(), gazetteer)})"
        return f"{term.label} (person)"
    entity = gazetteer.entity(term.value)
    if entity is None:
        return term.label
    if entity.kind is EntityKind.COUNTRY:
        others = sorted((a for a in entity.aliases if a != entity.name and a.isascii()), key=len)
        shown = [*others[:3], f"{entity.name}'s"]
        also = f"; also matches {', '.join(shown)}"
        return f"{entity.name} (country{also})"
    if entity.kind is EntityKind.ORG:
        return f"{term.label} (organisation: {entity.name})"
    described = gazetteer.descriptions.get(entity.id)
    if described:  # an area or an initiative: "Strait of Hormuz (strait: Iran, Oman)"
        what, _, codes = described.partition(" (")
        where = ", ".join(gazetteer.country_name(c) for c in codes.rstrip(")").split("|") if c)
        return f"{entity.name} ({what}{': ' + where if where else ''})"
    if entity.kind is EntityKind.TOPIC:
        return f"{entity.name} (topic)"
    if entity.kind is EntityKind.PLACE:
        country = gazetteer.country_name(entity.country) if entity.country else "?"
        return f"{entity.name} (place in {country})"
    return term.label


def terms(node: Node) -> list[Term]:
    """Every term of the query, in order."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.child)
    return [t for c in node.children for t in terms(c)]


def to_json(node: Node) -> str:
    """The canonical stored form: equal queries give equal strings."""
    return json.dumps(_to_obj(node), separators=(",", ":"), ensure_ascii=False)


def same_shape(one: Node, other: Node) -> bool:
    """The same operators over terms of the same kinds, whatever the terms' values: a
    person read with other spellings, not a person become a keyword."""
    if isinstance(one, Term) and isinstance(other, Term):
        return one.kind == other.kind
    if isinstance(one, Not) and isinstance(other, Not):
        return same_shape(one.child, other.child)
    if isinstance(one, And | Or) and type(one) is type(other):
        theirs = other.children
        return len(one.children) == len(theirs) and all(
            same_shape(a, b) for a, b in zip(one.children, theirs, strict=True)
        )
    return False


def from_json(text: str) -> Node:
    return _from_obj(json.loads(text))


def _to_obj(node: Node) -> object:
    if isinstance(node, Term):
        return {"t": node.kind, "v": node.value, "l": node.label}
    if isinstance(node, Not):
        return {"not": _to_obj(node.child)}
    key = "and" if isinstance(node, And) else "or"
    return {key: [_to_obj(c) for c in node.children]}


def _from_obj(obj: object) -> Node:
    if not isinstance(obj, dict):
        raise QueryError(f"stored query is malformed: {obj!r}")
    if "t" in obj:
        return Term(obj["t"], obj["v"], obj["l"])
    if "not" in obj:
        return Not(_from_obj(obj["not"]))
    if "and" in obj:
        return And(tuple(_from_obj(c) for c in obj["and"]))
    if "or" in obj:
        return Or(tuple(_from_obj(c) for c in obj["or"]))
    raise QueryError(f"stored query is malformed: {obj!r}")
