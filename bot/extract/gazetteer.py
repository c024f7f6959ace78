"""The gazetteer: every country, organisation, topic and city Readout knows, with their
aliases, and one Aho-Corasick automaton that finds all of them in a text in a single pass.
Pure: `bot.knowledge` reads the data files under `seeds/gazetteer/` and hands them in."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick
import pycountry
import snowballstemmer

from bot.extract.dates_i18n import DateWords
from bot.extract.lexicon import Lexicon
from bot.extract.officeholders import Officeholders
from bot.extract.text import _norm_quotes, fold, misspellings
from bot.models import Entity, EntityKind, Place, Span, slug


@dataclass(frozen=True)
class Alias:
    """One way of writing an entity. `exact_case` aliases (acronyms) match only as written."""

    text: str
    entity_id: str  # "" for stop phrases, which hide what is inside them and yield nothing
    exact_case: bool
    proper_noun: bool  # the text must start with a capital letter (a name, not a word)
    weight: float = 1.0
    curated: bool = False  # from a hand-kept list: wins over generated data on a shared alias
    language: str | None = None  # read only in reports of this language ("Russie", fr)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entity_id: str
    weight: float
    text: str


class City(NamedTuple):
    """A city of the gazetteer (a tuple: 30,000 are made at start-up)."""

    name: str
    country: str
    population: int
    # A town of cities_small.tsv (Nadi, Matera): a place where the text says one ("in
    # Nadi"), never a name by itself ("Carney", "Sandu", "Obama" are towns too).
    town: bool = False


@dataclass(frozen=True)
class Institution:
    """A country-bound office, parliament or venue: "Federation Council", "the Kremlin"."""

    name: str
    country: str
    city: str | None  # set for venues: a meeting there took place in this city
    is_institution: bool


@dataclass
class Gazetteer:
    """What Readout knows about the world. `bot.knowledge.load_gazetteer()` builds it from
    the packaged seed data."""

    entities: dict[str, Entity]
    cities: dict[str, City]
    regions: dict[str, str]  # folded state or province name -> country ("calif." -> US)
    role_heads: tuple[str, ...]
    role_modifiers: tuple[str, ...]
    ambiguous: dict[str, str] = field(default_factory=dict)  # folded term -> the choices
    officeholders: Officeholders = field(default_factory=Officeholders)
    institutions: tuple[Institution, ...] = ()
    # What an area is, for explanations: "strait (IR|OM)", "territory (IN|PK)".
    descriptions: dict[str, str] = field(default_factory=dict)
    # The language of a text (ISO 639-1), from a detector the loader hands in; None: unknown.
    detect_language: Callable[[str], str | None] | None = None

    # A language's words for dates (CLDR's months, weekdays, "yesterday"), by ISO 639-1,
    # from a loader handed in (each language read when a report first needs it).
    load_date_words: Callable[[str], DateWords | None] | None = None
    # Prominent people's names in other scripts (spelling, the record's name), and a
    # transliterator to Latin letters ("Лавров" -> "Lavrov", 王 -> "Wang"), handed in.
    person_spellings: tuple[tuple[str, str], ...] = ()
    # Cities' names in other languages (folded -> the English-named city), handed in as a
    # loader: read the first time a report or a query needs one.
    load_city_names: Callable[[], dict[str, City]] | None = None
    transliterate: Callable[[str], str] | None = None
    # Each language's words for reading meetings (`seeds/languages/`), handed in.
    lexicon: Lexicon = field(default_factory=Lexicon)
    # Bodies that always meet in one city (orgs.toml's `seat`): org id -> the city's name.
    seats: dict[str, str] = field(default_factory=dict)

    def language(self, text: str) -> str | None:
        return self.detect_language(text) if self.detect_language else None

    def date_words(self, language: str | None) -> DateWords | None:
        if language is None or self.load_date_words is None:
            return None
        return self.load_date_words(language)

    aliases: list[Alias] = field(default_factory=list)
    _automaton: ahocorasick.Automaton | None = None
    _by_lower: dict[str, list[Alias]] = field(default_factory=dict)

    def build(self) -> Gazetteer:
        """Index the aliases; called once, after loading."""
        automaton = ahocorasick.Automaton()
        for alias in self.aliases:
            key = fold(alias.text)
            self._by_lower.setdefault(key, []).append(alias)
        for key, entries in self._by_lower.items():
            entries.sort(key=lambda a: not a.curated)  # stable: curated first, then file order
            automaton.add_word(key, (len(key), tuple(entries)))
        automaton.make_automaton()
        self._automaton = automaton
        return self

    # -- scanning text ---------------------------------------------------------------------

    def scan(self, text: str, language: str | None = None) -> list[Hit]:
        """All entity mentions in `text`, leftmost-longest, never overlapping; names of one
        language (Latin-script country names in French, Spanish, ...) only in that one."""
        assert self._automaton is not None, "call build() first"
        folded = fold(text)
        candidates: list[Hit] = []
        endings, case_endings = self._endings(language), self._cyrillic_case_endings
        for end_index, (length, entries) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            ending = None
            if not _at_word_boundaries(folded, start, end):
                inflected = inflected_end(folded, start, end, case_endings)
                if inflected is None:
                    inflected = adjective_end(folded, start, end, endings)
                    ending = folded[end:inflected] if inflected is not None else None
                if inflected is None:
                    continue
                end = inflected  # "Пакистана" is Пакистан; "russischen" is russisch
            written = text[start:end]
            for alias in entries:
                if alias.language is not None and alias.language != language:
                    continue
                if ending is not None and alias.language is None and _latin(alias.text):
                    continue  # an English name takes no other language's ending
                if (
                    ending is not None
                    and alias.proper_noun
                    and (ending, language) != ("s", "de")
                    and not self._names_take_endings(language)
                ):
                    continue  # a name takes no adjective's ending, only German's "Pakistans"
                if alias.exact_case and _norm_quotes(written) != _norm_quotes(alias.text):
                    continue
                if alias.proper_noun and written[:1].islower():  # no case in CJK or Arabic script
                    continue
                candidates.append(Hit(start, end, alias.entity_id, alias.weight, written))
                break
        candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
        chosen: list[Hit] = []
        last_end = -1
        for hit in candidates:
            if hit.start >= last_end:
                chosen.append(hit)
                last_end = hit.end
        return [h for h in chosen if h.entity_id]

    def _endings(self, language: str | None) -> tuple[str, ...]:
        spoken = self.lexicon.get(language)
        return spoken.endings if spoken else ()

    def _names_take_endings(self, language: str | None) -> bool:
        spoken = self.lexicon.get(language)
        return spoken is not None and spoken.names_take_endings

    @functools.cached_property
    def _cyrillic_case_endings(self) -> frozenset[str]:
        """The case endings of every Cyrillic-script language's file, folded."""
        return frozenset(
            fold(e) for spoken in self.lexicon.languages.values() for e in spoken.case_endings
        )

    # -- looking things up -----------------------------------------------------------------

    def lookup(self, term: str) -> list[Entity]:
        """Entities whose name or alias is `term` (any case), most specific first."""
        key = fold(term.strip())
        found: list[Entity] = []
        for alias in self._by_lower.get(key, []):
            if alias.entity_id and alias.entity_id in self.entities:
                entity = self.entities[alias.entity_id]
                if entity not in found:
                    found.append(entity)
        city = self.cities.get(key)
        if city is None and not key.isascii():
            city = self._other_cities.get(key)  # "Москва", 北京: a query in another script
        if city is not None and not city.town:
            place = self.place_entity(city.name)
            if place is not None and place not in found:
                found.append(place)
        return found

    def city(self, name: str) -> City | None:
        return self.cities.get(fold(name))

    def seat_named(
        self, text: str, start: int, end: int, language: str | None, *, not_of: set[str]
    ) -> Place | None:
        """The city of a body that always meets in one, named in text[start:end]: "on the
        sidelines of the UN General Assembly" was in New York. Not a body in `not_of` (a
        meeting's own sides: the Assembly's President may meet anywhere)."""
        for hit in self.scan(text[start:end], language):
            seat = self.seats.get(hit.entity_id)
            city = self.city(seat) if seat and hit.entity_id not in not_of else None
            if city is not None:
                span = Span(start + hit.start, start + hit.end, hit.text)
                return Place(city.name, city.country, span)
        return None

    def inflected_city(self, word: str) -> City | None:
        """A city as any report language names it ("Moskau", 北京), a Russian one in any
        case («в Москве», «в Астане»: the word's Snowball stem is the name's, or the
        name's with one more letter, as Snowball stems Астана аста and Астане астан)."""
        city = self.city(word) or self._other_cities.get(fold(word))
        if city is not None or not ("\u0400" <= word[:1] <= "\u04ff"):
            return city
        stem = russian_stem(word.lower())
        for key in (stem, stem[:-1]):
            if len(key) >= 4 and (city := self._other_cities.get("stem:" + key)) is not None:
                return city
        return None

    @functools.cached_property
    def institution_names(self) -> tuple[str, ...]:
        """The folded names of the institutions ("federation council", "kremlin")."""
        return tuple(dict.fromkeys(fold(i.name) for i in self.institutions))

    @functools.cached_property
    def venue_names(self) -> tuple[str, ...]:
        """The folded names of the institutions that tell their city ("kremlin")."""
        return tuple(fold(i.name) for i in self.institutions if i.city is not None)

    @functools.cached_property
    def _other_cities(self) -> dict[str, City]:
        return self.load_city_names() if self.load_city_names else {}

    def completions(self, words: str, *, limit: int = 3) -> list[Entity]:
        """Entities with a name that starts with `words` ("Shanghai Cooperation" -> SCO)."""
        prefix = fold(words.strip()) + " "
        found: list[Entity] = []
        for key, entries in self._by_lower.items():
            if key.startswith(prefix):
                for alias in entries:
                    entity = self.entities.get(alias.entity_id)
                    if entity is not None and entity not in found:
                        found.append(entity)
        return found[:limit]

    def region_country(self, name: str) -> str | None:
        return self.regions.get(fold(name.strip()))

    def place_entity(self, name: str) -> Entity | None:
        city = self.city(name)
        if city is None:
            return None
        return Entity(
            id=f"place:{slug(city.name)}",
            kind=EntityKind.PLACE,
            name=city.name,
            country=city.country,
        )

    def entity(self, entity_id: str) -> Entity | None:
        if entity_id in self.entities:
            return self.entities[entity_id]
        if entity_id.startswith("place:"):
            for city in self.cities.values():
                if slug(city.name) == entity_id[6:]:
                    return self.place_entity(city.name)
        return None

    def country_name(self, code: str) -> str:
        """A country's name for its ISO code; an organisation (`org:UN`) by its short id."""
        if code.startswith("org:"):
            return code.removeprefix("org:")
        entity = self.entities.get(f"country:{code}")
        return entity.name if entity else code

    def suggest(self, term: str, *, limit: int = 3, cutoff: float = 84) -> list[Entity]:
        """Entities whose names are close to a misspelt `term` ('Pakistn' -> Pakistan)."""
        names = self._names_cache
        key = fold(term)
        found: list[Entity] = []
        for index, _ in misspellings(key, names[0], limit=limit * 3, cutoff=cutoff):
            entity = self.entities[names[1][index]]
            if entity not in found:
                found.append(entity)
        return found[:limit]

    @functools.cached_property
    def _names_cache(self) -> tuple[list[str], list[str]]:
        keys: list[str] = []
        ids: list[str] = []
        for key, entries in self._by_lower.items():
            for alias in entries:
                if alias.entity_id and not alias.entity_id.startswith("topic:"):
                    keys.append(key)
                    ids.append(alias.entity_id)
                    break
        for entity in self.entities.values():
            if entity.kind is EntityKind.TOPIC:
                keys.append(fold(entity.name))
                ids.append(entity.id)
        return keys, ids


def flag(code: str | None) -> str:
    """The emoji flag of an ISO 3166 alpha-2 code, or "" when there is none."""
    if not code or len(code) != 2 or not code.isalpha():
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return ""
    return "".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in code.upper())


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    if _unspaced(text[start]):
        return True
    before = text[start - 1] if start > 0 else " "
    if before in _ARABIC_PREFIXES and "\u0600" <= text[start] <= "\u06ff":
        # Arabic clings "and", "with", "to" to the word: والروسية is "and the Russian".
        before = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


_ARABIC_PREFIXES = frozenset("\u0648\u0628\u0644\u0641\u0643")  # و ب ل ف ك


def _unspaced(ch: str) -> bool:
    """Japanese, Chinese and Thai write names without spaces around them."""
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\u0e00" <= ch <= "\u0e7f"


_RUSSIAN = snowballstemmer.stemmer("russian")


def russian_stem(word: str) -> str:
    return str(_RUSSIAN.stemWord(word))


def inflected_end(text: str, start: int, end: int, endings: frozenset[str]) -> int | None:
    """Where a Cyrillic name ends when the text inflects it ("Пакистана", "Россией"): the
    end of the word, when the word and the name have the same stem (Snowball's Russian
    stemmer), else None."""
    if not ("\u0400" <= text[start] <= "\u04ff") or (start and text[start - 1].isalnum()):
        return None
    stop = end
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    if stop == end or stop - end > 3:
        return None
    if text[end:stop] in endings:
        return stop  # "Индии", "Китаем", "Афганистане"
    word, name = text[start:stop], text[start:end]
    head, _, last = name.rpartition(" ")
    stem_word = _RUSSIAN.stemWord(word[len(head) + 1 :] if head else word)
    return stop if stem_word == _RUSSIAN.stemWord(last or name) else None


def adjective_end(text: str, start: int, end: int, endings: tuple[str, ...]) -> int | None:
    """Where a name or demonym ends when the text adds one of its language's `endings` to
    it ("russischen", "algérienne", Korean's 러시아와, Bengali's রাশিয়ার), or None."""
    if not endings or (start and text[start - 1].isalnum()):
        return None
    stop = end
    # A vowel sign or nukta (Bengali's য়) belongs to the word as much as a letter.
    while stop < len(text) and (text[stop].isalpha() or unicodedata.category(text[stop])[0] == "M"):
        stop += 1
    return stop if text[end:stop] in endings else None


def _latin(text: str) -> bool:
    return text[:1] < "\u0250"


def is_acronym(alias: str) -> bool:
    uppers = sum(ch.isupper() for ch in alias)
    lowers = sum(ch.islower() for ch in alias)
    return uppers >= 2 and (lowers == 0 or len(alias) <= 5)


def name_alias(text: str, entity_id: str, *, curated: bool = False) -> Alias:
    return Alias(text, entity_id, exact_case=is_acronym(text), proper_noun=True, curated=curated)


def plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "s", "x", "z", "'s")) or " " in demonym:
        return None
    return demonym + "s"


def kind_of(entity_id: str) -> EntityKind:
    return EntityKind(entity_id.split(":", 1)[0])
