"""Write seeds/gazetteer/cldr_names.tsv: countries' and cities' names in the locales of
seeds/languages/ (each file's `cldr`), from CLDR through babel.

    python seeds/tools/build_cldr_names.py

Run once when a language file names a new locale or babel's CLDR changes; the output is
committed, so that start-up reads one small table instead of unpacking 25 of babel's
locale files (about 0.4 s). babel stays a dependency: dates' words are read from it
when a report in a language first comes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import babel
from babel import Locale

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "seeds" / "gazetteer" / "cldr_names.tsv"

HEADER = """\
# Countries' and cities' names in other languages, from the Unicode CLDR (unicode.org,
# Unicode License v3) through babel {version}, written by seeds/tools/build_cldr_names.py.
# country rows: the locale's name of each ISO 3166 territory (babel's Locale.territories);
# city rows: the locale's exemplar city of each time zone (Locale.time_zones, "city"),
# keyed by the zone. For every locale named by a `cldr` key of seeds/languages/*.toml.
# locale	kind	key	name
"""


def locales() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted((ROOT / "seeds" / "languages").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for code in data.get("cldr", [path.stem]):
            found.setdefault(code, None)
    return list(found)


def build() -> list[tuple[str, str, str, str]]:
    rows = []
    for code in locales():
        locale = Locale.parse(code)
        for key, name in locale.territories.items():  # in babel's order: the first wins
            if name:
                rows.append((code, "country", key, name))
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            if city and "/" in zone:
                rows.append((code, "city", zone, city))
    return rows


def main() -> None:
    rows = build()
    for row in rows:
        if any("\t" in cell or "\n" in cell for cell in row):
            raise SystemExit(f"a name with a tab or line break: {row!r}")
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER.format(version=babel.__version__))
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} names")


if __name__ == "__main__":
    main()
