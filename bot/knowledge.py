"""The knowledge Readout ships as data, read once from the packaged `seeds/gazetteer/`
files into the pure core's Gazetteer: countries, organisations, topics, cities, the
officeholders record and country-bound institutions. The one place that reads them: the
core takes the Gazetteer as an argument and does no file I/O."""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import hashlib
import importlib.resources
import logging
import os
import pickle
import re
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import platformdirs

from bot.errors import GazetteerError
from bot.extract.dates_i18n import DateWords
from bot.extract.gazetteer import (
    Alias,
    City,
    Gazetteer,
    Institution,
    is_acronym,
    name_alias,
    plural,
    russian_stem,
)
from bot.extract.lexicon import Language, Lexicon
from bot.extract.officeholders import Officeholders
from bot.extract.text import fold
from bot.models import Entity, EntityKind

log = logging.getLogger(__name__)


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
            aliases.append(name_alias(text, entity_id, curated=text in curated))
        for demonym in demonyms:
            many = plural(demonym)
            if many:
                aliases.append(name_alias(many, entity_id, curated=demonym in curated))
    if extra:
        raise GazetteerError(f"country_aliases.tsv names unknown countries: {sorted(extra)}")


@functools.cache
def load_lexicon() -> Lexicon:
    """Every language file of `seeds/languages/`, once per process."""
    folder = importlib.resources.files("seeds").joinpath("languages")
    files: dict[str, dict[str, object]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            code = entry.name.removesuffix(".toml")
            try:
                files[code] = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise GazetteerError(f"seeds/languages/{entry.name}: {exc}") from exc
    if "en" not in files:
        raise GazetteerError("seeds/languages/en.toml is missing")
    return Lexicon.from_data(files)


def languages() -> tuple[str, ...]:
    """The languages reports are told apart in (py3langid, restricted to them)."""
    return load_lexicon().codes


def _load_cldr_countries(
    entities: dict[str, Entity], aliases: list[Alias], lexicon: Lexicon
) -> None:
    """Country names in other languages from CLDR: «Пакистан», 巴基斯坦, باكستان in any
    report (a script of its own); "Russie", "Rusia", "Russland" in French, Spanish, German
    ones only (`script = "latin"` in the language's file)."""
    names = _cldr_names("country")
    for spoken in lexicon.languages.values():
        if spoken.code == "en":
            continue
        for locale in spoken.cldr:
            _load_cldr_locale(names[locale], spoken, entities, aliases)


@functools.cache
def _cldr_names(kind: str) -> dict[str, list[tuple[str, str]]]:
    """cldr_names.tsv's rows of `kind` ("country": territory code -> name; "city": time
    zone -> exemplar city), by locale, in CLDR's order; every locale the language files
    name must be there (seeds/tools/build_cldr_names.py writes it)."""
    by_locale: dict[str, list[tuple[str, str]]] = {}
    for row in _rows("cldr_names.tsv"):
        if len(row) != 4:
            raise GazetteerError(f"cldr_names.tsv: expected 4 columns, got {row!r}")
        locale, row_kind, key, name = row
        if row_kind == kind:
            by_locale.setdefault(locale, []).append((key, name))
    missing = {code for s in load_lexicon().languages.values() for code in s.cldr} - set(by_locale)
    if missing:
        raise GazetteerError(
            f"cldr_names.tsv has no {kind} names for {sorted(missing)}: "
            "run seeds/tools/build_cldr_names.py"
        )
    return by_locale


def _load_cldr_locale(
    territories: list[tuple[str, str]],
    spoken: Language,
    entities: dict[str, Entity],
    aliases: list[Alias],
) -> None:
    language, latin = spoken.code, spoken.latin
    for code, name in territories:
        entity = entities.get(f"country:{code}")
        if entity is None or not name or (not latin and name.isascii()):
            continue
        if name in entity.aliases and not latin:
            continue
        if name not in entity.aliases:
            entities[entity.id] = replace(entity, aliases=(*entity.aliases, name))
        # A Latin-script name two languages share ("Katar", de and tr) is read in both.
        aliases.append(
            Alias(
                name,
                entity.id,
                exact_case=False,
                proper_noun=latin,
                language=language if latin else None,
            )
        )
        if spoken.nisba and " " not in name:
            for adjective in nisba_adjectives(name):
                if adjective not in spoken.not_nisba:
                    aliases.append(Alias(adjective, entity.id, False, proper_noun=False))
        if "\u093c" in name:  # Hindi's nukta is often left out: फ़्रांस is फ्रांस
            aliases.append(Alias(name.replace("\u093c", ""), entity.id, False, proper_noun=False))
        if spoken.stem_names and latin and name[-1:] in "aeiouy" and len(name) >= 5:
            # Polish "Francja" is "Francji", "Francją": the name without its last vowel,
            # read with the language's endings.
            aliases.append(Alias(name[:-1], entity.id, False, proper_noun=True, language=language))
        if spoken.case_endings and " " not in name:
            # Россия is России, Россией: the stem, read with its case endings.
            stem = russian_stem(name.lower())
            if len(stem) >= 4 and stem != name.lower():
                aliases.append(Alias(stem, entity.id, exact_case=False, proper_noun=False))
            # Индия is Индии, Индией, Индию: the name without its last vowel, read with
            # a case ending (Snowball stems Индия инд, too short to read alone).
            base = name.lower()[:-1]
            if name.lower()[-1:] in "аяйьое" and len(base) >= 4 and base != stem:
                aliases.append(Alias(base, entity.id, exact_case=False, proper_noun=False))


def nisba_adjectives(name: str) -> tuple[str, str]:
    """An Arabic country name's adjective, masculine and feminine, with the article: تونس
    التونسي التونسية; الجزائر الجزائري; روسيا الروسي (a final يا or ا gives way)."""
    base = name.removeprefix("ال")
    if base.endswith("يا"):
        base = base[:-2]
    elif base.endswith("ا"):
        base = base[:-1]
    return f"ال{base}ي", f"ال{base}ية"


@functools.cache
def date_words(language: str) -> DateWords | None:
    """A report language's words for dates, from CLDR, read the first time a report in it
    comes: month names in every form (the Levant's آذار beside Egypt's مارس), weekdays
    (Russian also in the accusative a date takes: «в среду»), and the words for the day
    before yesterday, yesterday and today (Urdu's کل is both yesterday and tomorrow, so
    Urdu has none). None for English (read by `bot.extract.dates`) and unknown languages.
    What differs by language is in its file of `seeds/languages/`."""
    from babel import Locale

    spoken = load_lexicon().get(language)
    if language == "en" or spoken is None:
        return None
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = dict(spoken.relative_days)
    widths = ("wide", "abbreviated") if spoken.abbreviated_weekdays else ("wide",)
    for code in spoken.cldr:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    word = name.lower().rstrip(".")
                    if len(word) >= 3 and not any(ch.isdigit() for ch in word):
                        months.setdefault(word, number)
            for width in widths:
                for number, name in locale.days[context][width].items():
                    word = name.lower()
                    if len(word) >= 2 and word not in spoken.not_weekdays:
                        weekdays.setdefault(word, number)
                        if spoken.accusative_weekdays and word[-1:] in ("а", "я"):
                            # «среда» is «в среду», «п'ятниця» «у п'ятницю»
                            weekdays.setdefault(
                                word[:-1] + ("у" if word[-1] == "а" else "ю"), number
                            )
        if spoken.cldr_relative:
            for offset, word in locale._data["date_fields"]["day"]["relative"].items():
                if offset <= 0:
                    relative.setdefault(word.lower(), offset)
                    relative.setdefault(word.lower().replace("\u2019", "'"), offset)
    return DateWords(months, weekdays, relative)


def detect_language(text: str) -> str | None:
    """The language of a report among `languages()` (py3langid, its model in the wheel), told
    from the first 1,000 characters, the lead. A lead that is plainly English (see
    `_plainly_english`) is English without the model, whose unpacking costs half a second:
    a worker that reads only English never loads it."""
    lead = text[:1000]
    if not lead.strip():
        return None
    if _plainly_english(lead):
        return "en"
    import py3langid.langid as langid

    _load_language_model()
    language, _ = langid.classify(lead)
    return str(language)


# Words only English among LANGUAGES writes often; "a", "in", "on", "to" are French,
# German or Spanish words too.
_ENGLISH_WORDS = frozenset("the and of with was were said which has have that from".split())
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def _plainly_english(lead: str) -> bool:
    """At least 12 words in plain Latin letters (other letters under one in twenty), one
    in twelve of them and at least two English's own function words: no lead of the dev
    sets in another language has any (their share is 0.000), English leads 0.106 to 0.28.
    (At least 40 words until December 2026: a fifth of the Reuters stories, short ones,
    went to the model for nothing.)"""
    if not lead.isascii():  # else every letter is a plain Latin one
        letters = [ch for ch in lead if ch.isalpha()]
        if sum(not ch.isascii() for ch in letters) * 20 >= len(letters):
            return False
    words = _LATIN_WORD.findall(lead)
    if len(words) < 12:
        return False
    own = sum(map(_ENGLISH_WORDS.__contains__, map(str.lower, words)))
    return own >= 2 and own * 12 >= len(words)


_MODEL_LOCK = threading.Lock()
_model_loaded = False


def _load_language_model() -> None:
    """py3langid's model, restricted to `languages()`, once per process (threads may ask
    together: the webhook's and the poller's)."""
    global _model_loaded
    with _MODEL_LOCK:
        if not _model_loaded:
            import py3langid.langid as langid

            langid.set_languages(list(languages()))
            _model_loaded = True


def _load_orgs(entities: dict[str, Entity], aliases: list[Alias]) -> dict[str, str]:
    """The organisations, their aliases and the seats of those that always meet in one
    city (org id -> city)."""
    data = tomllib.loads(_data("orgs.toml"))
    seats: dict[str, str] = {}
    for org in data.get("org", []):
        entity_id = f"org:{org['id']}"
        if "seat" in org:
            seats[entity_id] = org["seat"]
        names = list(dict.fromkeys([org["name"], org["id"], *org.get("aliases", [])]))
        entities[entity_id] = Entity(entity_id, EntityKind.ORG, org["name"], tuple(names))
        for text in names:
            if text == org["id"] and text not in org.get("aliases", []):
                continue  # an id like WB or AFDB is for queries, not a word to find in text
            aliases.append(name_alias(text, entity_id))
    return seats


def _load_other_language_names(
    file: str,
    kind: str,
    entities: dict[str, Entity],
    aliases: list[Alias],
    *,
    names: bool,
    lexicon: Lexicon,
) -> None:
    """Rows (id, language, text) of a hand-kept file: organisations' names
    (org_names.tsv, `names`: they join the entity's aliases and are proper nouns where the
    script has capitals) or countries' short forms and demonyms (country_words.tsv: found
    in text only). Latin-script ones are read only in reports of their language."""
    for row in _rows(file):
        if len(row) != 3:
            raise GazetteerError(f"{file}: expected 3 columns, got {row!r}")
        key, language, text = row
        entity = entities.get(f"{kind}:{key}")
        if entity is None:
            raise GazetteerError(f"{file} names an unknown {kind} {key!r}")
        if names:
            entities[entity.id] = replace(entity, aliases=(*entity.aliases, text))
        aliases.append(
            Alias(
                text,
                entity.id,
                exact_case=is_acronym(text),
                proper_noun=names and text[:1].isupper(),
                language=language if (spoken := lexicon.get(language)) and spoken.latin else None,
                curated=True,
            )
        )


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


_AREA_KINDS = {
    "territory": "territory",
    "border": "border line",
    "sea": "sea",
    "strait": "strait",
    "region": "region",
    "initiative": "initiative",
}


def _load_areas(entities: dict[str, Entity], aliases: list[Alias]) -> dict[str, str]:
    """Regions, seas, straits, territories (places) and initiatives (topics); returns what
    each is, for explanations ("strait between Iran and Oman")."""
    descriptions: dict[str, str] = {}
    for row in _rows("areas.tsv"):
        if not 3 <= len(row) <= 5:
            raise GazetteerError(f"areas.tsv: expected 3 to 5 columns, got {row!r}")
        area_id, kind, name = row[:3]
        alias_cell = row[3] if len(row) > 3 else ""
        countries = _split(row[4]) if len(row) > 4 else []
        if kind not in _AREA_KINDS:
            raise GazetteerError(f"areas.tsv: unknown kind {kind!r} for {name!r}")
        entity_kind = EntityKind.TOPIC if kind == "initiative" else EntityKind.PLACE
        entity_id = f"{entity_kind.value}:{area_id}"
        names = list(dict.fromkeys([name, *_split(alias_cell)]))
        entities[entity_id] = Entity(entity_id, entity_kind, name, tuple(names))
        for text in names:
            # Curated: a name here wins over a stop phrase ("Latin America").
            aliases.append(name_alias(text, entity_id, curated=True))
        descriptions[entity_id] = _AREA_KINDS[kind] + (
            f" ({'|'.join(countries)})" if countries else ""
        )
    return descriptions


def _load_cities() -> dict[str, City]:
    cities: dict[str, City] = {}
    for row in _rows("cities.tsv"):
        name, country, population = row
        cities[fold(name)] = City(name, country, int(population))
    for row in _rows("places_extra.tsv"):
        # A venue of diplomacy is the place a watcher means by its name, before a namesake
        # of another country in GeoNames: "Bali" is Indonesia's island, not Bāli, India.
        name, country = row
        namesake = cities.get(fold(name))
        if namesake is None or namesake.country != country:
            cities[fold(name)] = City(name, country, 0)
    for row in _rows("countries.tsv"):
        capital, country = row[4], row[0]
        if capital and fold(capital) not in cities:
            cities[fold(capital)] = City(capital, country, 0)
    for row in _rows("cities_small.tsv"):  # Nadi, Matera: a larger namesake wins
        if len(row) != 3:
            raise GazetteerError(f"cities_small.tsv: expected 3 columns, got {row!r}")
        name, country, population = row
        cities.setdefault(fold(name), City(name, country, int(population), town=True))
    return cities


def other_language_cities(cities: dict[str, City]) -> dict[str, City]:
    """Cities' names in the report languages (folded name -> the English-named city of
    `cities`): CLDR's exemplar cities (cldr_names.tsv: Москва, 莫斯科, موسكو, Moscou for
    Europe/Moscow), city_names.tsv for capitals CLDR has no time zone for (北京,
    Вашингтон, اسلام آباد), then GeoNames' names (city_alternates.tsv: Nueva York).
    Russian names also by their stem ("stem:москв"), so that «в Москве» is Moscow. Read
    when a report in another language first needs them."""
    names: dict[str, City] = {}
    found: list[tuple[str, City]] = []  # (name, city), the first of a spelling wins
    for row in _rows("city_names.tsv"):
        if len(row) != 3:
            raise GazetteerError(f"city_names.tsv: expected 3 columns, got {row!r}")
        english, _language, name = row
        city = cities.get(fold(english))
        if city is None:
            raise GazetteerError(f"city_names.tsv names {english!r}, not in cities.tsv")
        found.append((name, city))
    for spoken in load_lexicon().languages.values():
        if spoken.code == "en":
            continue
        for zone, name in _cldr_names("city")[spoken.cldr[0]]:
            city = cities.get(fold(zone.rsplit("/", 1)[-1].replace("_", " ")))
            if city is not None:
                found.append((name, city))
    # GeoNames' names last: a hand-kept or CLDR name of the same spelling wins.
    for english, country, name in _rows("city_alternates.tsv"):
        city = cities.get(fold(english))
        if city is not None and city.country == country:
            found.append((name, city))
    for name, city in found:
        key = fold(name)
        if key in cities:
            continue  # a name an English-named city bears already
        names.setdefault(key, city)
        if "\u0400" <= name[:1] <= "\u04ff" and " " not in name:  # any Cyrillic name
            stem = russian_stem(name.lower())
            if len(stem) >= 4:
                names.setdefault("stem:" + stem, city)
    return names


def _term_date(text: str, *, end: bool) -> date | None:
    if not text:
        return None
    if len(text) == 4:  # a year alone: the whole year
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    return date.fromisoformat(text)


def _load_officeholders(entities: dict[str, Entity]) -> Officeholders:
    """The converted tables, then the terms kept by hand. A term kept by hand replaces the
    tables' terms of the same person and office that overlap it: the tables are a
    snapshot, and a term open in it may have ended since (Antony Blinken's, on 20 January
    2025); an earlier tenure of that office stays (Motegi's foreign ministry of 2019-21).
    A term's country is an ISO code or `org:ID`, an organisation of `entities`: the two
    never share an id (AU is Australia, org:AU the African Union)."""
    files = {}
    for name in ("officeholders.tsv", "officials_extra.tsv"):
        rows = []
        for row in _rows(name):
            if len(row) != 6:
                raise GazetteerError(f"{name}: expected 6 columns, got {row!r}")
            person, aliases, country, role, start, end = row
            known = entities if country.startswith("org:") else None
            if known is not None and country not in known:
                raise GazetteerError(f"{name}: {country} is no organisation of orgs.toml")
            if known is None and not (len(country) == 2 and country.isupper()):
                raise GazetteerError(
                    f"{name}: country {country!r} of {person} is neither an ISO code nor org:ID"
                )
            start_date = _term_date(start, end=False)
            if start_date is None:
                continue
            rows.append(
                (person, _split(aliases), country, role, start_date, _term_date(end, end=True))
            )
        files[name] = rows
    kept = files["officials_extra.tsv"]
    by_hand: dict[tuple[str, str, str], list[tuple[date, date | None]]] = {}
    for person, _, country, role, start_date, end_date in kept:
        by_hand.setdefault((person, country, role), []).append((start_date, end_date))

    def restated(row: tuple[str, list[str], str, str, date, date | None]) -> bool:
        person, _, country, role, start_date, end_date = row
        return any(
            start_date <= (other_end or date.max) and other_start <= (end_date or date.max)
            for other_start, other_end in by_hand.get((person, country, role), ())
        )

    converted = [row for row in files["officeholders.tsv"] if not restated(row)]
    return Officeholders.build(converted + kept)


def _load_person_spellings(record: Officeholders) -> tuple[tuple[str, str], ...]:
    """people_names.tsv: prominent officeholders' names in other scripts, each the
    record's own name (a row naming nobody of the record is an error)."""
    found = []
    for row in _rows("people_names.tsv"):
        if len(row) != 3:
            raise GazetteerError(f"people_names.tsv: expected 3 columns, got {row!r}")
        name, _language, spelling = row
        if not record.people(name):
            raise GazetteerError(f"people_names.tsv names {name!r}, not in the record")
        found.append((spelling, name))
    return tuple(found)


def transliterate(text: str) -> str:
    """`text` in Latin letters (anyascii: Cyrillic letter for letter, Chinese characters
    as pinyin syllables); its tables are read from the package on first use."""
    from anyascii import anyascii

    return str(anyascii(text))


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
    """The gazetteer of the packaged seed data; loaded once per process, from the cache
    (`cache_dir()`) when it holds this very data and code, else built and cached."""
    return load_or_build(cache_dir())


def cache_dir() -> Path | None:
    """Where the built gazetteer is kept between runs: READOUT_CACHE_DIR, else the user's
    cache folder (~/.cache/readout on Linux); READOUT_CACHE_DIR="" keeps none."""
    value = os.environ.get("READOUT_CACHE_DIR")
    if value is None:
        return Path(platformdirs.user_cache_dir("readout", appauthor=False))
    return Path(value).expanduser() if value.strip() else None


def load_or_build(folder: Path | None) -> Gazetteer:
    """The gazetteer from `folder`'s cache file, else built from the seed files (about
    1.3 s, of which the officeholders index is two thirds) and written there for the next
    process (a 20 MB pickle read back in about 0.35 s).

    The file's name is a digest of every seed file and every module whose objects it holds,
    so a changed table or class is never read from an old cache. It is read only when this
    user owns it and nobody else may write it (a pickle runs code when read), written to a
    temporary name and renamed (workers starting together never read half a file), and a
    file that cannot be read is rebuilt, with a warning. The cycle collector waits
    meanwhile: the load makes about 190,000 containers and no cycle, and each of its passes
    over them would find nothing (10-20% of the load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        path = folder / f"gazetteer-{_digest()}.pickle" if folder is not None else None
        if path is not None:
            cached = _read_cache(path)
            if cached is not None:
                return cached
        gazetteer = _load_gazetteer()
        if path is not None:
            _write_cache(path, gazetteer)
        return gazetteer
    finally:
        if enabled:
            gc.enable()


def _digest() -> str:
    """A digest of what a built gazetteer depends on: the seed data, the modules that
    build it or define its objects, and the interpreter."""
    digest = hashlib.sha256(sys.version.encode())
    seeds = importlib.resources.files("seeds")
    code = Path(__file__).resolve().parent
    files = [seeds.joinpath("gazetteer"), seeds.joinpath("languages"), code / "extract"]
    for folder in files:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.endswith((".pyc", ".md")):
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    for module in ("knowledge.py", "models.py", "errors.py"):
        digest.update((code / module).read_bytes())
    return digest.hexdigest()[:32]


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as file:
            status = os.fstat(file.fileno())
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                log.warning("not reading %s: it is not this user's own file", path)
                return None
            loaded = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a cut or foreign file: build anew and replace it
        log.warning("could not read the gazetteer cache %s (%s); building it anew", path, exc)
        return None
    if not isinstance(loaded, Gazetteer):
        log.warning("%s holds no gazetteer; building it anew", path)
        return None
    return loaded


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Write the cache and remove the ones of other data or code; a folder that cannot be
    written costs the next start its speed, nothing else."""
    temporary: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=".gazetteer-", suffix=".tmp", delete=False
        ) as file:
            temporary = file.name
            pickle.dump(gazetteer, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("could not write the gazetteer cache in %s (%s)", path.parent, exc)
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return
    for old in path.parent.glob("gazetteer-*.pickle"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def _load_gazetteer() -> Gazetteer:
    entities: dict[str, Entity] = {}
    aliases: list[Alias] = []
    _load_countries(entities, aliases)
    lexicon = load_lexicon()
    _load_cldr_countries(entities, aliases, lexicon)
    _load_other_language_names(
        "country_words.tsv", "country", entities, aliases, names=False, lexicon=lexicon
    )
    seats = _load_orgs(entities, aliases)
    _load_other_language_names(
        "org_names.tsv", "org", entities, aliases, names=True, lexicon=lexicon
    )
    _load_topics(entities, aliases)
    descriptions = _load_areas(entities, aliases)
    roles = tomllib.loads(_data("roles.toml"))
    officeholders = _load_officeholders(entities)
    cities = _load_cities()
    for org, seat in seats.items():
        if fold(seat) not in cities:
            raise GazetteerError(f"orgs.toml: the seat of {org[4:]}, {seat!r}, is no known city")
    gazetteer = Gazetteer(
        entities=entities,
        cities=cities,
        regions={fold(name): country for name, country in _rows("regions.tsv")},
        ambiguous={fold(term): choices for term, choices in _rows("ambiguous.tsv")},
        role_heads=tuple(roles["heads"]),
        role_modifiers=tuple(roles["modifiers"]),
        aliases=aliases,
        officeholders=officeholders,
        institutions=_load_institutions(),
        descriptions=descriptions,
        detect_language=detect_language,
        load_date_words=date_words,
        load_city_names=functools.partial(other_language_cities, cities),
        person_spellings=_load_person_spellings(officeholders),
        transliterate=transliterate,
        lexicon=lexicon,
        seats=seats,
    )
    return gazetteer.build()
