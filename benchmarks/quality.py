"""Extraction and matching quality on real, human-labelled news (../shared/data/).

    python benchmarks/quality.py [--limit N] [--set reuters|conll|readouts|matching]

Prints precision, recall and F1 (micro-averaged over documents) per entity kind, with the
number of documents, and the same figures for a baseline run in the same process: a plain
case-sensitive regex over pycountry names (and, on the readouts, "every country mentioned
is a participant" with a call/phone/spoke keyword rule). Skips with a message when the data
folder is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycountry  # noqa: E402

from bot.extract import Gazetteer, extract, load_gazetteer  # noqa: E402
from bot.match import document, evaluate  # noqa: E402
from bot.models import Annotations, EntityKind, MeetingType  # noqa: E402
from bot.query import parse  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
NOW = datetime(2026, 11, 27, tzinfo=UTC)

# Reuters-21578's 1987 slugs that are not simply a country's name.
REUTERS_PLACES = {
    "usa": "US",
    "uk": "GB",
    "ussr": "SU",
    "west-germany": "DE",
    "east-germany": "DD",
    "south-korea": "KR",
    "north-korea": "KP",
    "uae": "AE",
    "hong-kong": "HK",
    "yugoslavia": "YU",
    "czechoslovakia": "CS",
    "zaire": "CD",
    "burma": "MM",
    "ivory-coast": "CI",
    "taiwan": "TW",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "laos": "LA",
    "libya": "LY",
    "brunei": "BN",
    "macau": "MO",
    "cape-verde": "CV",
    "st-lucia": "LC",
    "st-vincent": "VC",
    "st-kitts-nevis": "KN",
    "netherlands-antilles": "AN",
    "north-yemen": "YE",
    "south-yemen": "YE",
    "kampuchea": "KH",
    "western-samoa": "WS",
}
REUTERS_ORGS = {
    "ec": "EU",
    "worldbank": "WB",
    "imf": "IMF",
    "opec": "OPEC",
    "gatt": "GATT",
    "oecd": "OECD",
    "unctad": "UNCTAD",
    "un": "UN",
    "fao": "FAO",
    "iea": "IEA",
    "gcc": "GCC",
    "asean": "ASEAN",
    "bis": "BIS",
    "ico-coffee": "ICO",
    "adb-asia": "ADB",
    "adb-africa": "AFDB",
    "icco": "ICCO",
    "inro": "INRO",
    "itc": "ITC",
    "eib": "EIB",
    "oapec": "OAPEC",
    "isa": "ISA",
    "iwc-wheat": "IWC",
    "imco": "IMO",
    "euratom": "EURATOM",
    "ida": "IDA",
    "iwcc": "IWCC",
    "comecon": "COMECON",
    "efta": "EFTA",
    "atpc": "ATPC",
    "aibd": "AIBD",
    "ifad": "IFAD",
    "cipec": "CIPEC",
}
SPORTS = re.compile(
    r"^(SOCCER|TENNIS|CRICKET|GOLF|RUGBY|BASEBALL|BASKETBALL|ATHLETICS|CYCLING|MOTOR|BOXING|"
    r"SKIING|HORSE|NFL|NHL|NBA|ICE HOCKEY|HOCKEY|SQUASH|BADMINTON|SWIMMING|ROWING|SAILING|"
    r"YACHTING|MOTORCYCLING|MOTORSPORT|FORMULA|CHESS|VOLLEYBALL|HANDBALL|SPORT|OLYMPIC|"
    r"ALPINE|NORDIC|TABLE TENNIS|TRIATHLON|JUDO|WRESTLING|FENCING|SNOOKER|DARTS|POLO|"
    r"AUSTRALIAN RULES|GAELIC|EQUESTRIAN|BOBSLEIGH|LUGE|FIGURE SKATING|SPEED SKATING)\b"
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    docs: int = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        self.docs += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<44} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.docs} docs)"
        )


@dataclass
class Errors:
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.fp.update(predicted - gold)
        self.fn.update(gold - predicted)


def lines(name: str, limit: int | None) -> Iterator[dict[str, Any]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def annotate(
    gazetteer: Gazetteer, text: str, title: str | None = None, home: str | None = None
) -> Annotations:
    raw = RawDocument(text, source="q", title=title, home_country=home)
    report = parse_report(raw, now=NOW)
    return extract(report, gazetteer)


def countries(a: Annotations) -> set[str]:
    return {m.entity_id.split(":", 1)[1] for m in a.of_kind(EntityKind.COUNTRY)}


def slug_to_code(gazetteer: Gazetteer, slug: str) -> str | None:
    if slug in REUTERS_PLACES:
        return REUTERS_PLACES[slug]
    found = [e for e in gazetteer.lookup(slug.replace("-", " ")) if e.kind is EntityKind.COUNTRY]
    return found[0].id.split(":", 1)[1] if found else None


def baseline_regex() -> Callable[[str], set[str]]:
    """Case-sensitive whole-word regex over pycountry names (the issue's reference)."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value] = c.alpha_2
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
    )
    return lambda text: {names[m] for m in pattern.findall(text)}


def reuters(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    vocab_places: set[str] = set()
    docs = list(lines("reuters21578-train.jsonl.gz", limit))
    for d in docs:
        vocab_places.update(c for c in (slug_to_code(gazetteer, s) for s in d["places"]) if c)
    vocab_orgs = set(REUTERS_ORGS.values())
    places, orgs, orgs_labelled, base = Score(), Score(), Score(), Score()
    place_err, org_err = Errors(), Errors()
    regex = baseline_regex()
    for d in docs:
        text = f"{d['dateline']} {d['body']}" if d.get("dateline") else d["body"]
        a = annotate(gazetteer, text, d.get("title") or None)
        gold = {c for c in (slug_to_code(gazetteer, s) for s in d["places"]) if c}
        found = countries(a) | {p.country for p in a.places if p.country}
        found = {"SU" if c == "RU" else c for c in found} & vocab_places
        places.add(found, gold)
        place_err.add(found, gold)
        base.add(regex(f"{d.get('title', '')}\n{text}") & vocab_places, gold)
        gold_orgs = {REUTERS_ORGS[o] for o in d["orgs"] if o in REUTERS_ORGS}
        found_orgs = {m.entity_id.split(":", 1)[1] for m in a.of_kind(EntityKind.ORG)}
        orgs.add(found_orgs & vocab_orgs, gold_orgs)
        if d["orgs"]:  # the editors looked at this story's organisations
            orgs_labelled.add(found_orgs & vocab_orgs, gold_orgs)
        org_err.add(found_orgs & vocab_orgs, gold_orgs)
    print("Reuters-21578 (train)")
    print("  " + places.line("countries (places labels)"))
    print("  " + base.line("  baseline: regex over pycountry names"))
    print(f"  ratio F1 readout/baseline: {places.f1 / base.f1:.2f}")
    print("  " + orgs_labelled.line("organisations (stories with an orgs label)"))
    print("  " + orgs.line("organisations (every story; labels sparse)"))
    if verbose:
        print("  places FP:", place_err.fp.most_common(15))
        print("  places FN:", place_err.fn.most_common(15))
        print("  orgs FP:", org_err.fp.most_common(10))
        print("  orgs FN:", org_err.fn.most_common(10))
    return {
        "places_f1": places.f1,
        "orgs_f1": orgs_labelled.f1,
        "orgs_recall": orgs.recall,
        "baseline_f1": base.f1,
    }


def conll(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    score, base, err = Score(), Score(), Errors()
    regex = baseline_regex()
    for d in lines("conll2003-docs-dev.jsonl.gz", limit):
        if SPORTS.match(d.get("title", "")):
            continue
        gold: set[str] = set()
        for s in d.get("LOC", []) + d.get("MISC", []):
            for e in gazetteer.lookup(s):
                if e.kind is EntityKind.COUNTRY:
                    gold.add(e.id.split(":", 1)[1])
                    break
        a = annotate(gazetteer, d["body"], d.get("title"))
        found = countries(a)
        score.add(found, gold)
        err.add(found, gold)
        base.add(regex(f"{d.get('title', '')}\n{d['body']}"), gold)
    print("CoNLL-2003 (train+dev documents, sports left out)")
    print("  " + score.line("countries (LOC + MISC demonyms)"))
    print("  " + base.line("  baseline: regex over pycountry names"))
    print(f"  ratio F1 readout/baseline: {score.f1 / base.f1:.2f}")
    if verbose:
        print("  FP:", err.fp.most_common(15))
        print("  FN:", err.fn.most_common(15))
    return {"countries_f1": score.f1, "baseline_f1": base.f1}


CALL_WORDS = re.compile(r"\b(call|phone|spoke)\b", re.I)


def readouts(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    """Measured as a source configured with home_country = "US": the White House's feed."""
    score, base, err, no_home = Score(), Score(), Errors(), Score()
    kinds, base_kinds, total = 0, 0, 0
    misses: list[str] = []
    for d in lines("whitehouse-readouts-2021-2022.jsonl.gz", limit):
        if "gold_countries" not in d or d.get("gold_kind") not in ("call", "meeting"):
            continue
        gold = set(d["gold_countries"]) | {"US"}
        a = annotate(gazetteer, d["body"], home="US")
        found = set(a.meeting.countries) if a.meeting else set()
        score.add(found, gold)
        bare = annotate(gazetteer, d["body"])
        no_home.add(set(bare.meeting.countries) if bare.meeting else set(), gold)
        err.add(found, gold)
        base.add(countries(a), gold)
        kind = "call" if a.meeting and a.meeting.type is MeetingType.CALL else "meeting"
        total += 1
        kinds += kind == d["gold_kind"]
        base_kinds += ("call" if CALL_WORDS.search(d["body"]) else "meeting") == d["gold_kind"]
        if kind != d["gold_kind"]:
            misses.append(d["id"])
    print("White House readouts 2021-2022 (body only)")
    print("  " + score.line("meeting participants' countries"))
    print("  " + no_home.line("  same, without the source's home country"))
    print("  " + base.line("  baseline: every country mentioned"))
    print(
        f"  call vs meeting accuracy: {kinds / total:.3f} ({total} docs); "
        f"baseline keyword rule {base_kinds / total:.3f}"
    )
    if verbose:
        print("  FP:", err.fp.most_common(15))
        print("  FN:", err.fn.most_common(15))
        print("  kind misses:", misses[:10])
    return {"participants_f1": score.f1, "kind_accuracy": kinds / total, "baseline_f1": base.f1}


def matching(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    """A subscription to a country's name against the Reuters places labels."""
    docs = list(lines("reuters21578-train.jsonl.gz", limit))
    counts = Counter(s for d in docs for s in d["places"])
    top = [s for s, _ in counts.most_common(20)]
    prepared = []
    for d in docs:
        text = f"{d['dateline']} {d['body']}" if d.get("dateline") else d["body"]
        report = parse_report(RawDocument(text, source="q", title=d.get("title") or None), now=NOW)
        prepared.append((set(d["places"]), document(report, extract(report, gazetteer))))
    print("Reuters-21578: a subscription to each of the 20 most frequent places")
    total = Score()
    for slug in top:
        code = slug_to_code(gazetteer, slug)
        query = parse(f"country:{code}", gazetteer)
        score = Score()
        for gold, doc in prepared:
            hit = evaluate(query, doc)
            score.add({slug} if hit else set(), {slug} & gold)
            total.add({slug} if hit else set(), {slug} & gold)
        print("  " + score.line(f"country:{code} ({slug})"))
    print("  " + total.line("all 20"))
    return {"f1": total.f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="documents per set")
    parser.add_argument(
        "--set", choices=["reuters", "conll", "readouts", "matching"], action="append"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show frequent errors")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the labelled news lives in shared/data)")
        return
    gazetteer = load_gazetteer()
    chosen = args.set or ["reuters", "conll", "readouts", "matching"]
    runners = {"reuters": reuters, "conll": conll, "readouts": readouts, "matching": matching}
    for name in chosen:
        runners[name](gazetteer, args.limit, args.verbose)
        print()


if __name__ == "__main__":
    main()
