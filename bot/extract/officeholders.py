"""Who held which office when: the dated record that gives a named person a country.

A person's country is taken from the record only when it is unambiguous: every term that
fits the name (and the title, when the text gives one) and is active on the meeting's date
belongs to one country or organisation. A name that fits no active term but whose every
term belongs to one country is a former officeholder of that country. Anything else is
unknown. Pure: the terms are handed in by the loader.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import ahocorasick
from rapidfuzz.distance import Levenshtein

from bot.extract.names import (
    FAMILY_FIRST,
    FAMILY_FIRST_AT_HOME,
    FAMILY_FIRST_SOMETIMES,
    LEADING_WORDS,
    PARTICLES,
    SUFFIXES,
)
from bot.extract.text import fold, misspellings

# Titles as the text writes them -> the record's roles they can stand for.
_ROLE_OF_TITLE: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), frozenset(roles.split()))
    for pattern, roles in (
        (r"\b(?:vice|deputy)\b", "other minister"),
        (r"foreign|external affairs|secretary of state\b(?! for)", "foreign_minister"),
        (r"defen[cs]e", "defence_minister"),
        (
            r"prime minister|premier|chancellor(?! of)|\bpm\b|head of government",
            "head_of_government",
        ),
        # A president heads the state (presidential systems list the president there too);
        # "President Harris" is nobody's prime minister.
        (r"president|king|queen|emir|amir|sultan|monarch|head of state", "head_of_state"),
        (r"secretary[- ]general|director[- ]general|high representative", "head_of_org other"),
    )
)
_HYPHENS = {0x2D: " ", 0x2010: " ", 0x2011: " "}
# Names the record may hold in either order: "Kishida Fumio", "Orbán Viktor", "Wang Yi".
_EITHER_ORDER = FAMILY_FIRST | FAMILY_FIRST_SOMETIMES | FAMILY_FIRST_AT_HOME
# Where officials' names are Chinese, written in characters in Chinese text.
_HAN = frozenset({"CN", "TW", "HK", "MO", "SG"})


@dataclass(frozen=True)
class Term:
    name: str
    country: str  # ISO alpha-2, or an organisation's id (UN, EU, NATO, ...)
    role: str  # head_of_state, head_of_government, foreign_minister, ... head_of_org
    start: date
    end: date | None  # None: still in office when the record was made

    def active(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def describe(self) -> str:
        end = self.end.isoformat() if self.end else ""
        return f"{self.name}, {self.role.replace('_', ' ')} of {self.country} {self.start}–{end}"


@dataclass(frozen=True)
class Resolved:
    country: str
    evidence: str
    person: str | None = None  # the record's name of the person
    office: str | None = None  # their office on the day ("foreign minister"), when active


# The offices that make a person known by surname alone ("Lavrov", "Modi").
_PROMINENT = frozenset(
    {"head_of_state", "head_of_government", "foreign_minister", "defence_minister", "head_of_org"}
)


# The offices in the order a name alone points to them: a head of state before a minister.
_PROMINENCE = {
    "head_of_state": 5,
    "head_of_government": 4,
    "foreign_minister": 3,
    "head_of_org": 2,
    "defence_minister": 1,
}


@dataclass(frozen=True)
class KnownPerson:
    """A person of the record, as a subscription names them: every spelling of the name
    (as name keys: folded, family name first and last where that is the custom) and the
    offices held."""

    name: str
    spellings: tuple[str, ...]
    terms: tuple[Term, ...]

    def office(self) -> Term:
        """The office to introduce them by: the latest prominent one, else the latest."""
        prominent = [t for t in self.terms if t.role in _PROMINENT] or list(self.terms)
        return max(prominent, key=lambda t: (t.end is None, t.end or t.start, t.start))

    @property
    def in_office(self) -> bool:
        """Holds a prominent office by the record (a term it has no end for)."""
        return any(t.end is None and t.role in _PROMINENT for t in self.terms)


def choose(people: list[KnownPerson]) -> tuple[KnownPerson | None, list[KnownPerson]]:
    """The one of `people` a name alone means, and the others, the most recent first: the
    one in a prominent office now, else the one who left one last (the more prominent
    office first: "Maduro" is Nicolás Maduro, not Ricardo Maduro of Honduras, 2002-2006).
    Two or more in office now: None, with them ("Wong": Lawrence Wong and Penny Wong)."""
    ranked = sorted(people, key=_recency, reverse=True)
    current = [p for p in ranked if p.in_office]
    if len(current) >= 2:
        return None, current
    return (ranked[0], ranked[1:]) if ranked else (None, [])


def _recency(person: KnownPerson) -> tuple[bool, int, int, str]:
    """In office first, the more prominent office first, then the later start; out of
    office, the later end first, then the more prominent office. The name last, for an
    order that never varies."""
    office = person.office()
    rank = _PROMINENCE.get(office.role, 0)
    if office.end is None:
        return True, rank, office.start.toordinal(), person.name
    return False, office.end.toordinal(), rank, person.name


@dataclass
class Officeholders:
    """The record, indexed by folded full name and by each name word."""

    terms: list[Term] = field(default_factory=list)
    _by_name: dict[str, list[Term]] = field(default_factory=dict)
    _by_word: dict[str, list[Term]] = field(default_factory=dict)
    _spellings: dict[str, set[str]] = field(default_factory=dict)  # record name -> keys
    _automaton: ahocorasick.Automaton | None = None

    @classmethod
    def build(
        cls, rows: Iterable[tuple[str, list[str], str, str, date, date | None]]
    ) -> Officeholders:
        """`rows`: (name, aliases, country, role, start, end)."""
        record = cls()
        automaton = ahocorasick.Automaton()
        for name, aliases, country, role, start, end in rows:
            term = Term(name, country, role, start, end)
            record.terms.append(term)
            spellings = {name, *aliases}
            for spelling in list(spellings):
                words = spelling.split()
                if country in _EITHER_ORDER and len(words) == 2:
                    spellings.add(f"{words[1]} {words[0]}")
                spellings.update(_usual_forms(words))
            for spelling in spellings:
                key = name_key(spelling)
                if not key:
                    continue
                record._spellings.setdefault(name, set()).add(key)
                record._by_name.setdefault(key, []).append(term)
                for word in set(key.split()):
                    if len(word) >= 2:
                        record._by_word.setdefault(word, []).append(term)
                if len(key.split()) >= 2:
                    automaton.add_word(key, key)
        if len(automaton):
            automaton.make_automaton()
            record._automaton = automaton
        return record

    def scan(self, text: str) -> list[tuple[int, int]]:
        """Spans of full names of the record written as names in `text`, longest first."""
        if self._automaton is None:
            return []
        folded = fold_name(text)
        found: list[tuple[int, int]] = []
        for end_index, key in self._automaton.iter(folded):
            start, end = end_index - len(key) + 1, end_index + 1
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            if before.isalnum() or after.isalnum():
                continue
            words = [w for w in text[start:end].split() if w[:1].isalpha()]
            # Written as a name: capitalised, particles aside ("Ursula von der Leyen").
            if not (words[0][:1].isupper() and words[-1][:1].isupper()) or not all(
                w[:1].isupper() or w in PARTICLES for w in words
            ):
                continue
            found.append((start, end))
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        chosen: list[tuple[int, int]] = []
        for span in found:
            if not chosen or span[0] >= chosen[-1][1]:
                chosen.append(span)
        return chosen

    def resolve(self, name: str, title: str | None, on: date | None) -> Resolved | None:
        """The country (or organisation) the record gives `name`, or None when it is not
        one. `title` narrows the roles; `on` is the meeting's date."""
        key = name_key(name)
        words = key.split()
        if not words:
            return None
        roles = roles_of_title(title)
        full = self._full_name_terms(key)
        if full:
            found = self._decide(full, roles, on)
            if found is not None:
                return found
        if title is None:
            return None
        # A surname with a title ("President Xi", "Foreign Minister Lavrov"): only a term
        # that fits the title and is active on the day may answer.
        if on is None or roles is None:
            return None
        candidates = [t for t in self._by_word.get(words[-1], []) if _fits(t, roles, on)]
        if len(words) > 1:
            candidates += [t for t in self._by_word.get(words[0], []) if _fits(t, roles, on)]
            candidates = [t for t in candidates if _compatible(words, name_key(t.name))]
        # A title names an office: the record's "other" posts (envoys, deputies) give way
        # to a minister's ("Secretary Rubio" is not Spain's diplomat Enrique Viguera Rubio).
        named = [t for t in candidates if t.role != "other"]
        return _unique(named or candidates, "title and surname")

    def by_surname(self, word: str, given: list[str], on: date | None) -> Resolved | None:
        """The country of the one prominent officeholder (head of state or government,
        foreign or defence minister, head of an organisation) in office on `on` whose
        surname, as another language spells it, sounds as `word`: "Lawrow", "Selensky",
        "Tokaev" (from «Токаев») are the record's Lavrov, Zelenskyy, Tokayev. `given`: the
        capitalised words written before the surname; each that is a name in the record
        ("Serguéi", not "Bundeskanzler") must sound as one of the person's (a letter apart
        at most): "Rosario Murillo" is not "Luis Gilberto Murillo". Without a day, a surname
        alone names nobody (too weak to name a former officeholder), but a surname with its
        given names («Касым-Жомарт Токаев») names the one person of the record they sound
        as, with their country when every prominent office they held was that country's,
        and no office (which one they held then is unknown)."""
        if on is None and not given:
            return None  # nothing could answer (and the sounds' index is not built for it)
        terms = self._by_sound.get(sound_key(word), [])
        wanted = [k for k in map(sound_key, given) if k in self._name_sounds]
        if wanted:
            terms = [t for t in terms if self._has_given_names(t.name, wanted)]
        if on is not None:
            terms = [t for t in terms if t.active(on)]
            return _unique(terms, "surname, in office on the day") if terms else None
        if not wanted or len({t.name for t in terms}) != 1 or len({t.country for t in terms}) != 1:
            return None
        latest = max(terms, key=lambda t: t.start)
        how = "officeholders (surname and given names, no day)"
        return Resolved(latest.country, f"{how}: {latest.describe()}", latest.name)

    def by_han_name(self, syllables: str, on: date | None) -> Resolved | None:
        """A Chinese official's full name written in characters, read as its syllables run
        together ("wangyi" for 王毅): in office on `on`, else every such term of one
        country (a former officeholder)."""
        terms = self._by_sound.get("han:" + syllables.lower(), [])
        if not terms:
            return None
        return self._decide(terms, None, on)

    def by_family_name(
        self, families: Iterable[str], given: str, on: date | None
    ) -> Resolved | None:
        """A name written family name first in a script of its own (정의용: family 정,
        given 의용), as `families` (the record's spellings of the family name) and `given`
        (the given name read in Latin letters): in office on `on`, else every such term of
        one country."""
        key = given_key(given)
        terms = [t for f in families for t in self._by_family.get((f, key), [])]
        return self._decide(list(dict.fromkeys(terms)), None, on) if terms else None

    def by_shape(self, given: list[str], surname: str, on: date) -> Resolved | None:
        """A name in a script that writes the sounds of a foreign name its own way, read in
        Latin letters (`shape_key` of each word): "burinken" (ブリンケン), "lwdryn"
        (لودريان), "bllingkn" (블링컨) are Blinken and Le Drian. Only the prominent
        officeholders in office on `on` answer, and only when a given name written before
        the surname has the shape of one of theirs too ("emtni" of एंटनी, Antony), six
        sounds in the two, or no given name has one (एस, "S.") and the surname has five
        sounds or more (जयशंकर, Jaishankar). Fewer are the shape of common words: "tyly
        rabth" (ٹیلی رابطہ, telephone contact) sounds as Haider al-Abadi, "htfy" (هاتفيا,
        by phone) as Deuba. Without a day nobody answers: of everyone who ever held an
        office, too many have the shape of a common phrase."""
        key = shape_key(surname)
        if len(key) < 3:
            return None
        shapes = {k for k in map(shape_key, given) if len(k) >= 2}
        terms = [
            term
            for term, givens in self._by_shape.get(key, ())
            if term.active(on)
            and (
                any(len(shape) + len(key) >= 6 for shape in shapes & givens)
                or (not shapes and len(key) >= 5)
            )
        ]
        return _unique(terms, "the name's sounds, in office on the day") if terms else None

    @functools.cached_property
    def _by_shape(self) -> dict[str, list[tuple[Term, frozenset[str]]]]:
        """The prominent officeholders by their surname's shape (with its particles:
        "ledrian"), each with the shapes of their given names."""
        index: dict[str, dict[Term, set[str]]] = {}
        for term in self.terms:
            if term.role not in _PROMINENT:
                continue
            for key in self._spellings.get(term.name, ()):
                words = key.split()
                *given, last = words
                while given and given[-1] in PARTICLES:
                    last = given.pop() + last
                for surname in {last, words[-1]}:
                    shape = shape_key(surname)
                    if len(shape) >= 2:
                        givens = index.setdefault(shape, {}).setdefault(term, set())
                        givens.update(k for k in map(shape_key, given) if len(k) >= 2)
        return {
            shape: [(term, frozenset(givens)) for term, givens in terms.items()]
            for shape, terms in index.items()
        }

    @functools.cached_property
    def _by_family(self) -> dict[tuple[str, str], list[Term]]:
        """The prominent officeholders of countries whose names are family name first, by
        (family name as spelt, given name's key): ("chung", "uiyung") for Chung Eui-yong."""
        index: dict[tuple[str, str], list[Term]] = {}
        for term in self.terms:
            if term.role not in _PROMINENT or term.country not in FAMILY_FIRST:
                continue
            for key in self._spellings.get(term.name, ()):
                words = key.split()
                if len(words) >= 2:
                    index.setdefault((words[0], given_key("".join(words[1:]))), []).append(term)
        return index

    def index_sounds(self) -> None:
        """Build now the index of how names sound (about 0.5 s), which reading a report in
        another language builds the first time it needs it: a worker builds it at start,
        with everything else it keeps."""
        _ = self._by_sound, self._name_sounds, self._by_family, self._by_shape

    @functools.cached_property
    def _name_sounds(self) -> frozenset[str]:
        words = {w for keys in self._spellings.values() for k in keys for w in k.split()}
        return frozenset(map(sound_key, words))

    def _has_given_names(self, name: str, wanted: list[str]) -> bool:
        words = {sound_key(w) for key in self._spellings.get(name, ()) for w in key.split()}
        return all(any(Levenshtein.distance(w, mine) <= 1 for mine in words) for w in wanted)

    @functools.cached_property
    def _by_sound(self) -> dict[str, list[Term]]:
        index: dict[str, list[Term]] = {}
        for term in self.terms:
            if term.role not in _PROMINENT:
                continue
            for key in self._spellings.get(term.name, ()):
                words = key.split()
                surnames = {words[-1]}
                if term.country in _EITHER_ORDER:
                    surnames.add(words[0])
                for surname in surnames:
                    if len(surname) >= 4:
                        index.setdefault(sound_key(surname), []).append(term)
                if term.country in _HAN and len(words) >= 2:
                    index.setdefault("han:" + "".join(words), []).append(term)
        return {key: list(dict.fromkeys(terms)) for key, terms in index.items()}

    def people(self, name: str) -> list[KnownPerson]:
        """The people of the record `name` may stand for, as a watcher types it: a full
        name in any recorded spelling ("Wang Yi", "Sergei Lavrov", "Erdogan" for
        "Erdoğan"), or a surname alone ("Lavrov"), which names the one person of that
        surname who held a prominent office (head of state or government, foreign or
        defence minister, head of an organisation); several such people, all of them."""
        key = name_key(name)
        words = key.split()
        if not words:
            return []
        if len(words) >= 2:
            names = {t.name for t in self._full_name_terms(key)}
            # The same person under another name of the record ("Joseph R. Biden").
            names |= {
                t.name
                for t in self._by_word.get(words[-1], [])
                if any(self._same_person(t.name, n) for n in names)
            }
        else:
            names = {
                t.name
                for t in self._by_word.get(words[0], [])
                if any(k.split()[-1] == words[0] for k in self._spellings.get(t.name, ()))
            }
            prominent = {n for n in names if any(t.role in _PROMINENT for t in self._terms_of(n))}
            names = prominent
        return self._merged(sorted(names))

    def suggest(self, name: str, *, limit: int = 3) -> list[KnownPerson]:
        """The people of prominent office whose name or surname is a letter or two from a
        misspelt `name` ("Jaishankr" -> Subrahmanyam Jaishankar), the closest first."""
        key = name_key(name)
        if len(key) < 4:
            return []
        keys, owners = self._suggestion_keys
        distance: dict[str, int] = {}
        for index, apart in misspellings(key, keys, limit=limit * 4, cutoff=80):
            owner = owners[index]
            distance[owner] = min(apart, distance.get(owner, apart))
        closest: dict[str, tuple[int, KnownPerson]] = {}
        for owner, apart in distance.items():
            for person in self.people(owner):
                if name_key(owner) in person.spellings and (
                    person.name not in closest or apart < closest[person.name][0]
                ):
                    closest[person.name] = (apart, person)
        # The closest first; of equals, the one in office, then the latest to leave.
        people = sorted((p for _, p in closest.values()), key=_recency, reverse=True)
        people.sort(key=lambda p: closest[p.name][0])
        return people[:limit]

    @functools.cached_property
    def _suggestion_keys(self) -> tuple[list[str], list[str]]:
        """Each spelling of a prominent officeholder's name and its surname, with the
        record's name it belongs to; sorted, so that the closest of equals never varies."""
        pairs: set[tuple[str, str]] = set()
        for term in self.terms:
            if term.role in _PROMINENT:
                for key in self._spellings.get(term.name, ()):
                    pairs.add((key, term.name))
                    pairs.add((key.split()[-1], term.name))
        ordered = sorted(pairs)
        return [k for k, _ in ordered], [n for _, n in ordered]

    def _merged(self, names: list[str]) -> list[KnownPerson]:
        """One person per person, where the record names one twice: "Ishaq Dar" and
        "Mohammad Ishaq Dar" (one name within the other, one country), "Joe Biden" and
        "Joseph R. Biden" (one surname, the same office of one country at the same time)."""
        groups: list[list[str]] = []
        for name in names:
            for group in groups:
                if any(self._same_person(name, other) for other in group):
                    group.append(name)
                    break
            else:
                groups.append([name])
        people = []
        for group in groups:
            terms = [t for n in group for t in self._terms_of(n)]
            spellings = {k for n in group for k in self._spellings[n]}
            main = max(group, key=lambda n: len(self._terms_of(n)))  # the usual name
            ordered = tuple(sorted(spellings, key=lambda k: (len(k), k)))  # not by hash
            people.append(KnownPerson(main, ordered, tuple(terms)))
        return people

    def _same_person(self, one: str, other: str) -> bool:
        a, b = self._terms_of(one), self._terms_of(other)
        if not {t.country for t in a} & {t.country for t in b}:
            return False
        keys_a, keys_b = self._spellings[one], self._spellings[other]
        for x in keys_a:
            for y in keys_b:
                small, large = sorted((x.split(), y.split()), key=len)
                if small[-1] == large[-1] and len(small) >= 2 and set(small) <= set(large):
                    return True
        # One surname (the last word of the record's names: "Wang Yi" and "Yi Gang" share
        # none), holding one prominent office of one country at one time: "Joe Biden" and
        # "Joseph R. Biden". Posts the record calls "other" are many at once, no office.
        if name_key(one).split()[-1] != name_key(other).split()[-1]:
            return False
        return any(
            s.role == t.role
            and s.role in _PROMINENT
            and s.country == t.country
            and s.start <= (t.end or s.start)
            and t.start <= (s.end or t.start)
            for s in a
            for t in b
        )

    def _terms_of(self, name: str) -> list[Term]:
        key = name_key(name)
        return [t for t in self._by_name.get(key, []) if t.name == name]

    def _full_name_terms(self, key: str) -> list[Term]:
        if key in self._by_name:
            return self._by_name[key]
        words = key.split()
        if len(words) < 2:
            return []
        # Token subsets: "Mohammad Ishaq Dar" ~ "Ishaq Dar"; "Joseph R. Biden" ~ "Joseph Biden".
        found: list[Term] = []
        for term in self._by_word.get(words[-1], []):
            other = name_key(term.name).split()
            small, large = sorted((set(words), set(other)), key=len)
            # The same surname, and every word of the shorter name in the longer one.
            if len(small) >= 2 and small <= large and other[-1] == words[-1]:
                found.append(term)
        return found

    def _decide(
        self, terms: list[Term], roles: frozenset[str] | None, on: date | None
    ) -> Resolved | None:
        if on is not None:
            active = [t for t in terms if t.active(on)]
            if roles is not None and len({t.country for t in active}) > 1:
                active = [t for t in active if t.role in roles]
            if active:
                return _unique(active, "in office on the day", terms)
        elif roles is not None:
            # No day, but the title names the office: "Secretary-General António
            # Guterres" is the UN's, not Portugal's former prime minister.
            in_role = [t for t in terms if t.role in roles]
            found = _unique(in_role, "the title's office, no day") if in_role else None
            if found is not None:
                return found
        if len({t.country for t in terms}) == 1:
            latest = max(terms, key=lambda t: t.start)
            return Resolved(
                latest.country, f"officeholders (former): {latest.describe()}", latest.name
            )
        return None


# One name, as many spellings as outlets: each is the others.
_MUHAMMAD = ("Muhammad", "Mohammed", "Mohammad", "Mohamed", "Muhammed", "Mohamad")
_PATRONYMIC = frozenset({"bin", "bint", "ibn"})
_USUAL_WORDS = frozenset(_MUHAMMAD)


def _usual_forms(words: list[str]) -> set[str]:
    """How outlets write a recorded name otherwise: Muhammad in its usual spellings, and
    a Gulf name as far as the father's name ("Mohammed bin Salman" for "Mohammad bin
    Salman Al Saud", "Abdullah bin Zayed" for "Abdullah bin Zayed Al Nahyan")."""
    if _USUAL_WORDS.isdisjoint(words) and _PATRONYMIC.isdisjoint(map(str.lower, words)):
        return set()  # most names: nothing to vary
    forms: set[tuple[str, ...]] = {tuple(words)}
    for i, word in enumerate(words):
        if word in _MUHAMMAD:
            forms |= {(*form[:i], other, *form[i + 1 :]) for form in forms for other in _MUHAMMAD}
    for form in list(forms):
        for i, word in enumerate(form[1:-2], start=1):
            if word.lower() in _PATRONYMIC:
                forms.add(form[: i + 2])
                break
    forms.discard(tuple(words))
    return {" ".join(form) for form in forms}


def _fits(term: Term, roles: frozenset[str], on: date) -> bool:
    return term.role in roles and term.active(on)


def _compatible(words: list[str], other: str) -> bool:
    other_words = set(other.split())
    return sum(w in other_words for w in words) >= min(2, len(words))


def _unique(terms: list[Term], how: str, career: list[Term] | None = None) -> Resolved | None:
    """The one country of `terms`. Where a head of state also heads territories or a
    co-principality (the French president: Andorra, Wallis and Futuna), the country of
    most of the person's recorded terms (`career`) answers; a tie is no answer."""
    countries = {t.country for t in terms}
    if len(countries) > 1 and career:
        counts = Counter(t.country for t in career if t.country in countries)
        ranked = counts.most_common(2)
        if ranked[0][1] > ranked[1][1]:
            countries = {ranked[0][0]}
            terms = [t for t in terms if t.country in countries]
    if len(countries) != 1:
        return None
    # The highest office held then names it (Wang Yi's foreign ministry, not the record's
    # "other" post he held beside it); "other" names no office.
    best = max(terms, key=lambda t: (_RANK.get(t.role, 0), t.start))
    office = best.role.replace("_", " ").replace("head of org", "head of the organisation")
    return Resolved(
        best.country,
        f"officeholders ({how}): {best.describe()}",
        best.name,
        None if best.role == "other" else office,
    )


_RANK = {
    "head_of_state": 6,
    "head_of_government": 5,
    "head_of_org": 4,
    "foreign_minister": 3,
    "defence_minister": 2,
    "minister": 1,
}


def roles_of_title(title: str | None) -> frozenset[str] | None:
    """The record's roles a title can stand for; None when the title says nothing of them."""
    if not title:
        return None
    for pattern, roles in _ROLE_OF_TITLE:
        if pattern.search(title):
            return roles
    if re.search(r"\bminister\b|\bsecretary\b", title, re.IGNORECASE):
        return frozenset({"minister", "other", "foreign_minister", "defence_minister"})
    return None


# Names as one spelling or another writes them, to one key: German "Lawrow" and "Selensky",
# French "Sergueï", a Russian name read letter for letter ("Tokaev") sound alike.
_SOUNDS = (
    ("dzh", "j"),  # «Джайшанкар» read letter for letter: Dzhaishankar, Jaishankar
    ("tsch", "ch"), ("sch", "sh"), ("ou", "u"), ("ph", "f"), ("kh", "h"), ("ck", "k"),
    ("w", "v"), ("j", "i"), ("y", "i"), ("z", "s"), ("c", "k"), ("q", "k"), ("x", "ks"),
    # Cyrillic г is h in Ukrainian and Belarusian names (Сибіга, Sybiha) and stood for a
    # foreign h in Russian (Гейт, Gheit): g and h are one sound here, after kh is h.
    ("gh", "g"), ("h", "g"),
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """A surname's key for spellings of other languages: "Lawrow" and "Lavrov" are
    "lavrov", "Selensky" and "Zelenskyy" "selenski", "Tokaev" and "Tokayev" "tokaev"."""
    key = re.sub(r"[^a-z]", "", fold_name(word))
    for written, sound in _SOUNDS:
        key = key.replace(written, sound)
    key = re.sub(r"(?<=[aeiou])i(?=[aeiou])", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


# A name's consonants in seven classes, in the order spoken: what survives of a foreign
# name in a script that writes it by its own sounds. Katakana adds vowels (ブリンケン,
# burinken), Arabic, Persian and Urdu leave short ones out (لودريان, lwdryn), Hangul and
# Japanese have one letter for r and l (블링컨, 렉스), Devanagari writes n before k as m
# (जयशंकर, jysmkr): vowels, y, w and h are dropped, and each class stands for the letters
# these scripts do not tell apart.
_SHAPE_PAIRS = (
    ("sh", "s"), ("ch", "j"), ("kh", "k"), ("gh", "k"), ("ph", "b"), ("th", "t"), ("ts", "s"),
    ("ng", "n"), ("x", "ks"),
)  # fmt: skip
_SHAPE_CLASSES = str.maketrans("bpfvmnrlkgqcszdtj", "bbbbnnllkkkkssttj", "aeiouywh")


@functools.lru_cache(maxsize=65536)
def shape_key(word: str) -> str:
    """A name word's consonant classes, once each where repeated: "Blinken", "burinken"
    and "BeulLingKeon" are "blnkn"; "Le Drian" (as "ledrian") and "lwdryn" "ltln"."""
    key = re.sub(r"[^a-z]", "", fold_name(word))
    for written, sound in _SHAPE_PAIRS:
        key = key.replace(written, sound)
    return re.sub(r"(.)\1+", r"\1", key.translate(_SHAPE_CLASSES))


# Korean given names are spelt in Revised Romanization (Byeong, Ui, Yeol) and in older or
# personal ones (Byung, Eui, Yul, Ki, Soo): one key for all.
_GIVEN_SOUNDS = (
    ("ck", "k"), ("eo", "u"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ch", "j"), ("sh", "s"),
    ("k", "g"), ("p", "b"), ("t", "d"), ("r", "l"),
)  # fmt: skip


def given_key(name: str) -> str:
    """A given name's key for its romanizations: "Eui-yong" and "Uiyong" are "uiyung"."""
    key = re.sub(r"[^a-z]", "", fold_name(name))
    for written, sound in _GIVEN_SOUNDS:
        key = key.replace(written, sound)
    return re.sub(r"(.)\1+", r"\1", key)


def fold_name(text: str) -> str:
    """Lower case without diacritics or hyphens, one character for one: offsets survive."""
    return fold(text).translate(_HYPHENS)


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """ "H.E. Dr. Joseph R. Biden, Jr." -> "joseph biden": leading honorifics, initials
    and suffixes left out, diacritics folded. (Cached: the record names one person in
    many terms, and the same names come back in every report.)"""
    words = fold_name(name).replace(",", " ").split()
    while words and (words[0] in LEADING_WORDS or words[0].rstrip(".") in LEADING_WORDS):
        words.pop(0)  # leading titles only: "Amir" inside "Hossein Amir-Abdollahian" stays
    while words and words[-1] in SUFFIXES:
        words.pop()
    return " ".join(w for w in words if not _INITIAL.fullmatch(w))


_INITIAL = re.compile(r"[a-z]\.?")
