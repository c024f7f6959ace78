"""Extraction and matching quality on real, human-labelled news (../shared/data/).

    python benchmarks/quality.py [--limit N]
        [--set meetings|world|subscriptions|reuters|conll|matching] [--data dev|dev2]

Prints precision, recall and F1 (micro-averaged over documents) per entity kind, with the
number of documents, and the same figures for a baseline run in the same process: a plain
case-sensitive regex over pycountry names (and, on the readouts, "every country mentioned
is a participant" with a call/phone/spoke keyword rule). Skips with a message when the data
folder is absent. Gold labels never pass through the code under test: place slugs and CoNLL
strings are mapped to ISO codes by pycountry and this file's own tables.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycountry  # noqa: E402

from benchmarks.meeting_facts import Score, lines  # noqa: E402
from bot.errors import QueryError  # noqa: E402
from bot.extract import Gazetteer, extract  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from bot.match import document, evaluate  # noqa: E402
from bot.models import Annotations, EntityKind  # noqa: E402
from bot.query import Node, parse  # noqa: E402
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
# Short names and demonyms that pycountry does not know, for mapping gold labels.
SHORT_NAMES = {
    "russia": "RU",
    "britain": "GB",
    "great britain": "GB",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "u.s.": "US",
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states": "US",
    "iran": "IR",
    "syria": "SY",
    "south korea": "KR",
    "north korea": "KP",
    "taiwan": "TW",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "macedonia": "MK",
    "ivory coast": "CI",
    "zaire": "CD",
    "burma": "MM",
    "holland": "NL",
    "the netherlands": "NL",
    "palestine": "PS",
    "vatican": "VA",
    "turkey": "TR",
    "soviet union": "SU",
    "ussr": "SU",
    "yugoslavia": "YU",
    "czechoslovakia": "CS",
    "west germany": "DE",
    "east germany": "DD",
    "bosnia": "BA",
    "kosovo": "XK",
    "brunei": "BN",
    "cape verde": "CV",
    "micronesia": "FM",
    "libya": "LY",
    "korea": "KR",
}
DEMONYMS = {
    "american": "US",
    "americans": "US",
    "british": "GB",
    "briton": "GB",
    "britons": "GB",
    "english": "GB",
    "scottish": "GB",
    "russian": "RU",
    "russians": "RU",
    "chinese": "CN",
    "japanese": "JP",
    "german": "DE",
    "germans": "DE",
    "french": "FR",
    "italian": "IT",
    "italians": "IT",
    "spanish": "ES",
    "spaniard": "ES",
    "portuguese": "PT",
    "dutch": "NL",
    "belgian": "BE",
    "swiss": "CH",
    "austrian": "AT",
    "swedish": "SE",
    "swede": "SE",
    "norwegian": "NO",
    "danish": "DK",
    "finnish": "FI",
    "polish": "PL",
    "pole": "PL",
    "poles": "PL",
    "czech": "CZ",
    "slovak": "SK",
    "hungarian": "HU",
    "romanian": "RO",
    "bulgarian": "BG",
    "greek": "GR",
    "greeks": "GR",
    "turkish": "TR",
    "turk": "TR",
    "turks": "TR",
    "cypriot": "CY",
    "serb": "RS",
    "serbs": "RS",
    "serbian": "RS",
    "croat": "HR",
    "croats": "HR",
    "croatian": "HR",
    "bosnian": "BA",
    "albanian": "AL",
    "ukrainian": "UA",
    "belarusian": "BY",
    "lithuanian": "LT",
    "latvian": "LV",
    "estonian": "EE",
    "georgian": "GE",
    "armenian": "AM",
    "azeri": "AZ",
    "azerbaijani": "AZ",
    "kazakh": "KZ",
    "uzbek": "UZ",
    "afghan": "AF",
    "afghans": "AF",
    "pakistani": "PK",
    "pakistanis": "PK",
    "indian": "IN",
    "indians": "IN",
    "bangladeshi": "BD",
    "sri lankan": "LK",
    "nepali": "NP",
    "iranian": "IR",
    "iranians": "IR",
    "iraqi": "IQ",
    "iraqis": "IQ",
    "syrian": "SY",
    "lebanese": "LB",
    "israeli": "IL",
    "israelis": "IL",
    "palestinian": "PS",
    "palestinians": "PS",
    "jordanian": "JO",
    "egyptian": "EG",
    "saudi": "SA",
    "saudis": "SA",
    "kuwaiti": "KW",
    "qatari": "QA",
    "emirati": "AE",
    "yemeni": "YE",
    "omani": "OM",
    "libyan": "LY",
    "tunisian": "TN",
    "algerian": "DZ",
    "moroccan": "MA",
    "sudanese": "SD",
    "ethiopian": "ET",
    "kenyan": "KE",
    "somali": "SO",
    "nigerian": "NG",
    "ghanaian": "GH",
    "south african": "ZA",
    "zimbabwean": "ZW",
    "zambian": "ZM",
    "angolan": "AO",
    "rwandan": "RW",
    "ugandan": "UG",
    "congolese": "CD",
    "canadian": "CA",
    "canadians": "CA",
    "mexican": "MX",
    "mexicans": "MX",
    "cuban": "CU",
    "cubans": "CU",
    "brazilian": "BR",
    "argentine": "AR",
    "argentinian": "AR",
    "chilean": "CL",
    "peruvian": "PE",
    "colombian": "CO",
    "venezuelan": "VE",
    "bolivian": "BO",
    "ecuadorean": "EC",
    "ecuadorian": "EC",
    "uruguayan": "UY",
    "paraguayan": "PY",
    "haitian": "HT",
    "australian": "AU",
    "australians": "AU",
    "new zealander": "NZ",
    "indonesian": "ID",
    "malaysian": "MY",
    "filipino": "PH",
    "philippine": "PH",
    "thai": "TH",
    "vietnamese": "VN",
    "cambodian": "KH",
    "burmese": "MM",
    "singaporean": "SG",
    "korean": "KR",
    "south korean": "KR",
    "north korean": "KP",
    "taiwanese": "TW",
    "mongolian": "MN",
    "irish": "IE",
    "icelandic": "IS",
    "soviet": "SU",
    "yugoslav": "YU",
    "kurdish": "IQ",
}
SPORTS = re.compile(
    r"^(SOCCER|TENNIS|CRICKET|GOLF|RUGBY|BASEBALL|BASKETBALL|ATHLETICS|CYCLING|MOTOR|BOXING|"
    r"SKIING|HORSE|NFL|NHL|NBA|ICE HOCKEY|HOCKEY|SQUASH|BADMINTON|SWIMMING|ROWING|SAILING|"
    r"YACHTING|MOTORCYCLING|MOTORSPORT|FORMULA|CHESS|VOLLEYBALL|HANDBALL|SPORT|OLYMPIC|"
    r"ALPINE|NORDIC|TABLE TENNIS|TRIATHLON|JUDO|WRESTLING|FENCING|SNOOKER|DARTS|POLO|"
    r"AUSTRALIAN RULES|GAELIC|EQUESTRIAN|BOBSLEIGH|LUGE|FIGURE SKATING|SPEED SKATING)\b"
)


@dataclass
class Errors:
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.fp.update(predicted - gold)
        self.fn.update(gold - predicted)


def annotate(
    gazetteer: Gazetteer, text: str, title: str | None = None, home: str | None = None
) -> Annotations:
    raw = RawDocument(text, source="q", title=title, home_country=home)
    report = parse_report(raw, now=NOW)
    return extract(report, gazetteer)


def countries(a: Annotations) -> set[str]:
    return {m.entity_id.split(":", 1)[1] for m in a.of_kind(EntityKind.COUNTRY)}


def slug_to_code(slug: str) -> str | None:
    """A Reuters place slug as an ISO code, by this file's table and pycountry: the gold
    labels never pass through the gazetteer under test."""
    if slug in REUTERS_PLACES:
        return REUTERS_PLACES[slug]
    return country_code(slug.replace("-", " "))


def country_code(name: str) -> str | None:
    """ISO alpha-2 of a country's name, short name or demonym, by pycountry and the
    tables below (written for this benchmark, independent of seeds/gazetteer)."""
    key = name.strip().casefold()
    if key in SHORT_NAMES:
        return SHORT_NAMES[key]
    if key in DEMONYMS:
        return DEMONYMS[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


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
        vocab_places.update(c for c in (slug_to_code(s) for s in d["places"]) if c)
    vocab_orgs = set(REUTERS_ORGS.values())
    places, orgs, orgs_labelled, base = Score(), Score(), Score(), Score()
    place_err, org_err = Errors(), Errors()
    regex = baseline_regex()
    for d in docs:
        text = f"{d['dateline']} {d['body']}" if d.get("dateline") else d["body"]
        a = annotate(gazetteer, text, d.get("title") or None)
        gold = {c for c in (slug_to_code(s) for s in d["places"]) if c}
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
        gold = {c for c in map(country_code, d.get("LOC", []) + d.get("MISC", [])) if c}
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


def meetings(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    """Meeting facts on the readouts (benchmarks/meeting_facts.py), both configurations."""
    from benchmarks.meeting_facts import report

    return report(gazetteer, verbose)


def world(
    gazetteer: Gazetteer, limit: int | None, verbose: bool, data: list[str] | None = None
) -> dict[str, float]:
    """Meeting facts per set and language (benchmarks/world_sets.py)."""
    from benchmarks.world_sets import SETS, report

    return report(gazetteer, data or list(SETS), verbose)


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
        code = slug_to_code(slug)
        query = parse(f"country:{code}", gazetteer)
        score = Score()
        for gold, doc in prepared:
            hit = evaluate(query, doc)
            score.add({slug} if hit else set(), {slug} & gold)
            total.add({slug} if hit else set(), {slug} & gold)
        print("  " + score.line(f"country:{code} ({slug})"))
    print("  " + total.line("all 20"))
    return {"f1": total.f1}


def subscriptions(
    gazetteer: Gazetteer, limit: int | None, verbose: bool, data: list[str] | None = None
) -> dict[str, float]:
    """The readouts' own subscriptions: `should_match` must fire, `should_not_match` must
    not; `with:` variants of them (a side, not a mention). Beside them, the same queries
    as a keyword alert would run them (the name as an exact phrase, any case)."""
    from benchmarks.world_sets import SETS

    results: dict[str, float] = {}
    for set_name in data or ["dev"]:
        docs = list(lines(SETS[set_name], limit))
        for with_home in (False, True):
            for english in (True, False):
                chosen = [d for d in docs if (d["lang"] == "en") == english]
                label = "English" if english else "other languages"
                home = "with home country" if with_home else "without home country"
                tally = _subscription_tally(gazetteer, chosen, with_home, verbose)
                print(f"{SETS[set_name]}, {len(chosen)} documents in {label}, {home}")
                for line in tally.lines():
                    print("  " + line)
                if english and with_home and set_name == "dev":
                    results = tally.figures()
    return results


@dataclass
class _Tally:
    fired: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def count(self, what: str, hit: bool) -> None:
        self.total[what] += 1
        self.fired[what] += hit

    def rate(self, what: str) -> str:
        n = self.total[what]
        return f"{self.fired[what] / n:.3f}  ({self.fired[what]}/{n})" if n else "-"

    def lines(self) -> list[str]:
        rows = [
            ("should_match: fired (recall)", "pos"),
            ("  keyword alert, same queries", "kw-pos"),
            ("should_not_match, mentioned in the text: fired", "neg-mentioned"),
            ("  keyword alert, same queries", "kw-neg-mentioned"),
            ("should_not_match, absent from the text: fired", "neg-absent"),
            ("with: on should_match sides: fired (recall)", "with-pos"),
            ("with: on mentioned-only negatives: fired (target <= 0.02)", "with-neg"),
        ]
        return [f"{name:<58} {self.rate(key)}" for name, key in rows] + self.misses

    def figures(self) -> dict[str, float]:
        return {k: self.fired[k] / self.total[k] for k in self.total if self.total[k]}


def _subscription_tally(
    gazetteer: Gazetteer, docs: list[dict[str, Any]], with_home: bool, verbose: bool
) -> _Tally:
    tally = _Tally()
    cache: dict[str, Node | None] = {}

    def query(text: str) -> Node | None:
        if text not in cache:
            try:
                cache[text] = parse(text, gazetteer)
            except QueryError:
                cache[text] = None
        return cache[text]

    for d in docs:
        published = (
            datetime.fromisoformat(d["published"]).replace(tzinfo=UTC) if d["published"] else None
        )
        raw = RawDocument(
            d["body"],
            source=d["source"],
            title=d.get("title"),
            published_at=published,
            home_country=d["home_country"] if with_home else None,
        )
        report = parse_report(raw, now=NOW)
        doc = document(report, extract(report, gazetteer))
        text = f"{report.title}\n{report.body}".casefold()
        mentioned = set(d.get("should_not_match_mentioned") or [])
        sides = {s for s in d["gold"].get("countries") or []} | set(d["gold"].get("orgs") or [])
        for q in d.get("should_match") or []:
            node = query(q)
            hit = node is not None and evaluate(node, doc)
            tally.count("pos", hit)
            tally.count("kw-pos", q.casefold() in text)
            if not hit and verbose:
                tally.misses.append(f"    missed {q!r} in {d['id']}")
            side = query(f"with:{q}") if _side_name(q, gazetteer, sides) else None
            if side is not None:
                tally.count("with-pos", evaluate(side, doc))
        for q in d.get("should_not_match") or []:
            node = query(q)
            hit = node is not None and evaluate(node, doc)
            where = "neg-mentioned" if q in mentioned else "neg-absent"
            tally.count(where, hit)
            if q in mentioned:
                tally.count("kw-neg-mentioned", q.casefold() in text)
                side = query(f"with:{q}")
                if side is not None:
                    hit_side = evaluate(side, doc)
                    tally.count("with-neg", hit_side)
                    if hit_side and verbose:
                        tally.misses.append(f"    with:{q} fired in {d['id']}")
    return tally


def _side_name(q: str, gazetteer: Gazetteer, sides: set[str]) -> bool:
    """A positive that names one of the labelled sides (by the labels' own codes)."""
    code = country_code(q)
    return (code is not None and code in sides) or q in sides


OUTCOME_LABELS = ROOT / "benchmarks" / "outcomes_labels.tsv"
_BASELINE_CUES = {
    "agreement": re.compile(r"\bsign(?:ed|ing)?\b", re.IGNORECASE),
    "joint_statement": re.compile(r"\bjoint (?:statement|declaration)", re.IGNORECASE),
    "invitation": re.compile(r"\binvit", re.IGNORECASE),
    "visit": re.compile(r"\bvisit", re.IGNORECASE),
    "commission": re.compile(r"\b(?:commission|working group)\b", re.IGNORECASE),
}


def outcomes(gazetteer: Gazetteer, limit: int | None, verbose: bool) -> dict[str, float]:
    """Outcomes of the English readouts against the hand labels in
    benchmarks/outcomes_labels.tsv (by document id and kind), beside a baseline that takes
    every kind whose word appears in the text."""
    gold: dict[str, set[str]] = {}
    for line in OUTCOME_LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            doc_id, kinds = line.split("\t")
            gold[doc_id] = set() if kinds == "-" else set(kinds.split(","))
    mine, base = Score(), Score()
    for d in lines("readouts-world-dev.jsonl.gz", limit):
        if d["lang"] != "en":
            continue
        published = (
            datetime.fromisoformat(d["published"]).replace(tzinfo=UTC) if d["published"] else None
        )
        raw = RawDocument(
            d["body"], source=d["source"], title=d.get("title"), published_at=published
        )
        report = parse_report(raw, now=NOW)
        found = {o.kind for o in extract(report, gazetteer).outcomes}
        mine.add(found, gold[d["id"]])
        base.add({k for k, cue in _BASELINE_CUES.items() if cue.search(report.text)}, gold[d["id"]])
        if verbose and found != gold[d["id"]]:
            print(f"    {d['id']}: found {sorted(found)}, labelled {sorted(gold[d['id']])}")
    labelled = sum(1 for kinds in gold.values() if kinds)
    print(f"Outcomes of {mine.docs} English readouts ({labelled} with an outcome; in-sample)")
    print("  " + mine.line("Readout"))
    print("  " + base.line("baseline: the kind's word anywhere"))
    return {"f1": mine.f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="documents per set")
    parser.add_argument(
        "--set",
        choices=["reuters", "conll", "meetings", "world", "matching", "subscriptions", "outcomes"],
        action="append",
    )
    parser.add_argument(
        "--data",
        choices=["dev", "dev2"],
        action="append",
        help="which readouts-world set --set world measures (default: both)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show frequent errors")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the labelled news lives in shared/data)")
        return
    gazetteer = load_gazetteer()
    chosen = args.set or [
        "meetings",
        "world",
        "subscriptions",
        "outcomes",
        "reuters",
        "conll",
        "matching",
    ]
    runners = {
        "reuters": reuters,
        "conll": conll,
        "meetings": meetings,
        "matching": matching,
        "subscriptions": subscriptions,
        "outcomes": outcomes,
    }
    for name in chosen:
        if name == "world":
            world(gazetteer, args.limit, args.verbose, args.data)
        elif name == "subscriptions":
            subscriptions(gazetteer, args.limit, args.verbose, args.data)
        else:
            runners[name](gazetteer, args.limit, args.verbose)
        print()


if __name__ == "__main__":
    main()
