"""Convert the officeholders tables of ../shared/data into seeds/gazetteer/officeholders.tsv.

    python seeds/tools/build_officeholders.py [--data ../shared/data]

Run once when the source tables change; the output is committed, the inputs are not.
The source, its licence and every change made here are written into the output's header.
"""

from __future__ import annotations

import argparse
import csv
import gzip
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "seeds" / "gazetteer" / "officeholders.tsv"

HEADER = """\
# Who held which office when: heads of state and government, foreign and defence ministers,
# other cabinet members and senior officials of 232 countries and territories (terms ending
# 2000 or later), and officials of international organisations (country column = org:ID,
# the gazetteer's organisation id: org:AU is the African Union, AU Australia).
# Converted by seeds/tools/build_officeholders.py from officeholders.tsv.gz and
# international_officials.tsv.gz of the project's shared data (built from Wikidata, CC0, via
# the EveryPolitician scrapers and cfmessias/geografia, and from the UN General Debate
# Corpus, Jankin, Baturo, Dasandi, CC0; see that data's README for commits and gaps).
# Attribution: "Contains data from Wikidata (CC0) via EveryPolitician scrapers and
# cfmessias/geografia, and from the UN General Debate Corpus (Jankin, Baturo, Dasandi; CC0)."
# Changes in conversion: rows without a start date dropped (undated claims are mostly noise);
# a monarch's head-of-state rows of the other Commonwealth realms, and the French
# president's rows as co-prince of Andorra, dropped (the person's own country is the
# record's answer); the `source` column dropped. Ministers are a mid-2022 snapshot: later
# appointments are in officials_extra.tsv, kept by hand.
# columns: name, aliases (|-separated), country (ISO alpha-2 or org:ID), role, start, end
"""
ROLES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "minister",
    "other",
}
# international_officials.tsv.gz names organisations as the gazetteer's ids do.
ORG_IDS = {"UN": "UN", "ICJ": "ICJ", "WTO": "WTO", "OSCE": "OSCE", "CoE": "COE", "EU": "EU"}


def read(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    national = read(args.data / "officeholders.tsv.gz")
    heads: dict[str, set[str]] = defaultdict(set)
    for name, _aliases, country, role, _start, _end, _source in national:
        if role == "head_of_state":
            heads[name].add(country)
    out: list[tuple[str, ...]] = []
    for name, aliases, country, role, start, end, _source in national:
        if role not in ROLES or not start:
            continue
        if role == "head_of_state" and country != "GB" and "GB" in heads[name]:
            continue  # a realm's monarch: the record answers GB
        if role == "head_of_state" and country == "AD" and "FR" in heads[name]:
            continue  # the French president as co-prince of Andorra
        out.append((name, aliases, country, role, start, end))
    for name, aliases, org, position, start, end, _source in read(
        args.data / "international_officials.tsv.gz"
    ):
        if org not in ORG_IDS or not start:
            continue
        role = (
            "head_of_org"
            if position.lower().startswith(
                ("secretary-general", "director-general", "president of the european council")
            )
            else "other"
        )
        out.append((name, aliases, f"org:{ORG_IDS[org]}", role, start, end))
    out.sort(key=lambda r: (r[2], r[0], r[4]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for row in out:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(out)} terms to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
