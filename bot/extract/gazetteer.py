"""The gazetteer: every country, organisation, topic and city Readout knows, with their
aliases, loaded once from the data files under `seeds/gazetteer/`, and one Aho-Corasick
automaton that finds all of them in a text in a single pass."""

from __future__ import annotations

import csv
import functools
import importlib.resources
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import ahocorasick
import pycountry
from rapidfuzz import fuzz, process

from bot.errors import GazetteerError
from bot.extract.officeholders import Officeholders
from bot.extract.text import _norm_quotes, fold
from bot.models import Entity, EntityKind, slug


@dataclass(frozen=True)
class Alias:
    """One way of writing an entity. `exact_case` aliases (acronyms) match only as written."""

    text: str
    entity_id: str  # "" for stop phrases, which hide what is inside them and yield nothing
    exact_case: bool
    proper_noun: bool  # the text must start with a capital letter (a name, not a word)
    weight: float = 1.0
    curated: bool = False  # from a hand-kept list: wins over generated data on a shared alias


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entity_id: str
    weight: float
    text: str


@dataclass(frozen=True)
class City:
    name: str
    country: str
    population: int


@dataclass(frozen=True)
class Institution:
    """A country-bound office, parliament or venue: "Federation Council", "the Kremlin"."""

    name: str
    country: str
    city: str | None  # set for venues: a meeting there took place in this city
    is_institution: bool


@dataclass
class Gazetteer:
    """What Readout knows about the world. Build with `load_gazetteer()`."""

    entities: dict[str, Entity]
    cities: dict[str, City]
    regions: dict[str, str]  # folded state or province name -> country ("calif." -> US)
    role_heads: tuple[str, ...]
    role_modifiers: tuple[str, ...]
    ambiguous: dict[str, str] = field(default_factory=dict)  # folded term -> the choices
    officeholders: Officeholders = field(default_factory=Officeholders)
    institutions: tuple[Institution, ...] = ()
    aliases: list[Alias] = field(default_factory=list)
    _automaton: ahocorasick.Automaton | None = None
    _by_lower: dict[str, list[Alias]] = field(default_factory=dict)

    def build(self) -> Gazetteer:
        """Index the aliases; called once by `load_gazetteer`."""
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

    def scan(self, text: str) -> list[Hit]:
        """All entity mentions in `text`, leftmost-longest, never overlapping."""
        assert self._automaton is not None, "call build() first"
        folded = fold(text)
        candidates: list[Hit] = []
        for end_index, (length, entries) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if not _at_word_boundaries(folded, start, end):
                continue
            written = text[start:end]
            for alias in entries:
                if alias.exact_case and _norm_quotes(written) != _norm_quotes(alias.text):
                    continue
                if alias.proper_noun and not written[:1].isupper():
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
        if city is not None:
            place = self.place_entity(city.name)
            if place is not None and place not in found:
                found.append(place)
        return found

    def city(self, name: str) -> City | None:
        return self.cities.get(fold(name))

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
        entity = self.entities.get(f"country:{code}")
        return entity.name if entity else code

    def suggest(self, term: str, *, limit: int = 3, cutoff: float = 84) -> list[Entity]:
        """Entities whose names are close to a misspelt `term` ('Pakistn' -> Pakistan)."""
        names = self._names_cache
        key = fold(term)
        found: list[Entity] = []
        for _name, _score, index in process.extract(
            key, names[0], scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff
        ):
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
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _is_acronym(alias: str) -> bool:
    uppers = sum(ch.isupper() for ch in alias)
    lowers = sum(ch.islower() for ch in alias)
    return uppers >= 2 and (lowers == 0 or len(alias) <= 5)


def _name_alias(text: str, entity_id: str, *, curated: bool = False) -> Alias:
    return Alias(text, entity_id, exact_case=_is_acronym(text), proper_noun=True, curated=curated)


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "s", "x", "z", "'s")) or " " in demonym:
        return None
    return demonym + "s"


# -- loading -------------------------------------------------------------------------------


def _data(name: str) -> str:
    resource = importlib.resources.files("seeds").joinpath("gazetteer", name)
    try:
        return resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise GazetteerError(f"gazetteer file seeds/gazetteer/{name} is missing") from exc


def _rows(name: str) -> Iterator[list[str]]:
    lines = (line for line in _data(name).splitlines() if line and not line.startswith("#"))
    yield from csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _load_countries(entities: dict[str, Entity], aliases: list[Alias]) -> None:
    extra: dict[str, list[tuple[str, str]]] = {}
    for row in _rows("country_aliases.tsv"):
        if len(row) != 3:
            raise GazetteerError(f"country_aliases.tsv: expected 3 columns, got {row!r}")
        code, kind, value = row
        if kind == "stop":
            aliases.append(Alias(value, "", exact_case=False, proper_noun=True))
            continue
        extra.setdefault(code, []).append((kind, value))
    for row in _rows("countries.tsv"):
        if len(row) != 5:
            raise GazetteerError(f"countries.tsv: expected 5 columns, got {row!r}")
        code, name, alias_cell, demonym_cell, _capital = row
        names = [name, *_split(alias_cell)]
        demonyms = _split(demonym_cell)
        curated = set()
        for kind, value in extra.pop(code, []):
            (demonyms if kind == "demonym" else names).append(value)
            curated.add(value)
        entity_id = f"country:{code}"
        all_aliases = list(dict.fromkeys(names + demonyms))
        entities[entity_id] = Entity(entity_id, EntityKind.COUNTRY, name, tuple(all_aliases))
        for text in all_aliases:
            aliases.append(_name_alias(text, entity_id, curated=text in curated))
        for demonym in demonyms:
            plural = _plural(demonym)
            if plural:
                aliases.append(_name_alias(plural, entity_id, curated=demonym in curated))
    if extra:
        raise GazetteerError(f"country_aliases.tsv names unknown countries: {sorted(extra)}")


def _load_orgs(entities: dict[str, Entity], aliases: list[Alias]) -> None:
    data = tomllib.loads(_data("orgs.toml"))
    for org in data.get("org", []):
        entity_id = f"org:{org['id']}"
        names = list(dict.fromkeys([org["name"], org["id"], *org.get("aliases", [])]))
        entities[entity_id] = Entity(entity_id, EntityKind.ORG, org["name"], tuple(names))
        for text in names:
            if text == org["id"] and text not in org.get("aliases", []):
                continue  # an id like WB or AFDB is for queries, not a word to find in text
            aliases.append(_name_alias(text, entity_id))


def _load_topics(entities: dict[str, Entity], aliases: list[Alias]) -> None:
    data = tomllib.loads(_data("topics.toml"))
    for topic in data.get("topic", []):
        entity_id = f"topic:{topic['id']}"
        names = [topic["name"], topic["id"], *topic.get("aliases", [])]
        entities[entity_id] = Entity(
            entity_id, EntityKind.TOPIC, topic["name"], tuple(dict.fromkeys(names))
        )
        for keyword in topic.get("keywords", []):
            aliases.append(Alias(keyword, entity_id, exact_case=False, proper_noun=False))
        for keyword in topic.get("weak", []):
            aliases.append(
                Alias(keyword, entity_id, exact_case=False, proper_noun=False, weight=0.5)
            )


def _load_cities() -> dict[str, City]:
    cities: dict[str, City] = {}
    for row in _rows("cities.tsv"):
        name, country, population = row
        cities[fold(name)] = City(name, country, int(population))
    for row in _rows("places_extra.tsv"):
        name, country = row
        cities.setdefault(fold(name), City(name, country, 0))
    for row in _rows("countries.tsv"):
        capital, country = row[4], row[0]
        if capital and fold(capital) not in cities:
            cities[fold(capital)] = City(capital, country, 0)
    return cities


def _term_date(text: str, *, end: bool) -> date | None:
    if not text:
        return None
    if len(text) == 4:  # a year alone: the whole year
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    return date.fromisoformat(text)


def _load_officeholders() -> Officeholders:
    rows = []
    for name in ("officeholders.tsv", "officials_extra.tsv"):
        for row in _rows(name):
            if len(row) != 6:
                raise GazetteerError(f"{name}: expected 6 columns, got {row!r}")
            person, aliases, country, role, start, end = row
            start_date = _term_date(start, end=False)
            if start_date is None:
                continue
            rows.append(
                (person, _split(aliases), country, role, start_date, _term_date(end, end=True))
            )
    return Officeholders.build(rows)


def _load_institutions() -> tuple[Institution, ...]:
    found = []
    for row in _rows("institutions.tsv"):
        if len(row) != 4:
            raise GazetteerError(f"institutions.tsv: expected 4 columns, got {row!r}")
        name, country, city, kind = row
        found.append(Institution(name, country, city or None, kind in ("institution", "both")))
    return tuple(found)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged seed data; loaded once per process."""
    entities: dict[str, Entity] = {}
    aliases: list[Alias] = []
    _load_countries(entities, aliases)
    _load_orgs(entities, aliases)
    _load_topics(entities, aliases)
    roles = tomllib.loads(_data("roles.toml"))
    gazetteer = Gazetteer(
        entities=entities,
        cities=_load_cities(),
        regions={fold(name): country for name, country in _rows("regions.tsv")},
        ambiguous={fold(term): choices for term, choices in _rows("ambiguous.tsv")},
        role_heads=tuple(roles["heads"]),
        role_modifiers=tuple(roles["modifiers"]),
        aliases=aliases,
        officeholders=_load_officeholders(),
        institutions=_load_institutions(),
    )
    return gazetteer.build()


def kind_of(entity_id: str) -> EntityKind:
    return EntityKind(entity_id.split(":", 1)[0])
