"""Meeting facts on real readouts: sides, participants' countries, call or meeting, place,
date, and one-meeting-one-alert clustering, each beside a baseline given the same inputs.

Gold labels come from the data (the readouts-world-dev hand labels; the White House
readouts' title-derived labels), never from the code under test. Every figure is given in
two configurations: with the source's home country (as an operator configures a ministry's
feed) and without it; Readout and the baseline get the same one.

These are development sets: Readout's rules were tuned on them, so every figure here is
in-sample. The sealed set the maintainers keep is what counts.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cluster import ClusterConfig, find_cluster
from bot.extract import Gazetteer, extract
from bot.models import Annotations, EntityKind, MeetingType, StoredReport
from bot.reports import RawDocument, parse_report

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
NOW = datetime(2026, 11, 27, tzinfo=UTC)
# The dev set's organisation labels, as the gazetteer's ids.
ORG_IDS = {"UN": "UN", "EU": "EU", "AU": "AU", "Arab League": "LAS", "ECLAC": "ECLAC"}
CALL_WORDS = re.compile(r"\b(call|called|phone|telephone|spoke|video)\b", re.IGNORECASE)


def lines(name: str, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def fold(text: str) -> str:
    """Case and diacritics folded, for comparing names written differently."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


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
            f"{name:<46} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.docs} docs)"
        )


@dataclass
class Share:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += ok
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def line(self, name: str) -> str:
        return f"{name:<46} {self.value:.3f}  ({self.hits}/{self.total})"


@dataclass
class Facts:
    """What one system says about one document."""

    sides: set[str]  # country codes and organisation ids
    countries_named: set[str]  # every country the alert names (sides and participants)
    participants: list[tuple[str, str]]  # (name, country or org) where one is given
    has_meeting: bool
    call: bool
    type: str | None
    place: str | None
    day: str | None


@dataclass
class Results:
    sides: Score = field(default_factory=Score)
    wrong_country: Share = field(default_factory=Share)
    participant_country: Share = field(default_factory=Share)
    kind: Share = field(default_factory=Share)
    type: Share = field(default_factory=Share)  # call, host, visit, third location, ...
    place: Share = field(default_factory=Share)
    day: Share = field(default_factory=Share)
    day_in_text: Share = field(default_factory=Share)  # where the text alone fixes the day
    errors: Counter[str] = field(default_factory=Counter)


def readout_facts(a: Annotations) -> Facts:
    meeting = a.meeting
    sides = {s.split(":", 1)[1] for s in a.sides}
    participants = [
        (p.name, p.country or p.org or "")
        for m in a.meetings
        for p in m.participants
        if p.country or p.org
    ]
    named = {s.split(":", 1)[1] for s in a.sides if s.startswith("country:")}
    named |= {p.country for m in a.meetings for p in m.participants if p.country}
    return Facts(
        sides=sides,
        countries_named=named if meeting else set(),
        participants=participants,
        has_meeting=meeting is not None,
        call=meeting is not None and meeting.type is MeetingType.CALL,
        type=meeting.type.value if meeting else None,
        place=meeting.place.name if meeting and meeting.place else None,
        day=meeting.date if meeting else None,
    )


def baseline_facts(a: Annotations, text: str, home: str | None, published: date | None) -> Facts:
    """Every country mentioned is a side (with the home country when one is given); a
    call when a call word appears; the dateline is the place; the publication date is the
    day. It sees the same text, home country and date as Readout."""
    mentioned = {m.entity_id.split(":", 1)[1] for m in a.of_kind(EntityKind.COUNTRY)}
    if home:
        mentioned.add(home)
    call = bool(CALL_WORDS.search(text))
    dateline = next((p.name for p in a.places if not p.span.end), None)
    return Facts(
        sides=mentioned,
        countries_named=mentioned,
        participants=[],
        has_meeting=bool(mentioned),
        call=call,
        type="call" if call else "meeting",
        place=None if call else dateline,
        day=published.isoformat() if published else None,
    )


# Words that say nothing about who a person is: one shared is no match.
NAME_NOISE = frozenset(
    "al el bin ibn bint de da do dos du la le van von der den di del mr mrs ms dr sheikh h e"
    " his her excellency the".split()
)


def score(result: Results, facts: Facts, gold: dict[str, Any], doc_id: str) -> None:
    gold_sides = set(gold["countries"]) | {ORG_IDS.get(o, o) for o in gold["orgs"]}
    result.sides.add(facts.sides, gold_sides)
    if facts.has_meeting and facts.countries_named:
        wrong = facts.countries_named - set(gold["countries"])
        result.wrong_country.add(bool(wrong))
        if wrong:
            result.errors[f"{doc_id}: names {sorted(wrong)}"] += 1
    gold_people = [(fold(p["name"]), p["country"]) for p in gold.get("participants", [])]
    for name, country in facts.participants:
        words = set(fold(name).split()) - NAME_NOISE
        # The gold person sharing most name words ("Omar" alone is Guelleh's and al-Bashir's;
        # "bin" is anybody's).
        overlap, match = max(
            ((len(words & set(n.split())), c) for n, c in gold_people),
            key=lambda pair: pair[0],
            default=(0, None),
        )
        if not overlap:
            match = None
        ok = country == ORG_IDS.get(match, match) if match else country in gold_sides
        result.participant_country.add(ok)
        if not ok:
            result.errors[f"{doc_id}: {name} given {country}, gold {match}"] += 1
    if gold["kind"] in ("call", "meeting"):
        ok = facts.has_meeting and facts.call == (gold["kind"] == "call")
        result.kind.add(ok)
        if not ok:
            result.errors[f"{doc_id}: kind {gold['kind']}, said call={facts.call}"] += 1
        if "type" in gold:
            result.type.add(facts.type in {gold["type"], *gold.get("type_alt", [])})
        accepted_days = {gold["date"], *gold.get("date_alt", [])}
        result.day.add(facts.day in accepted_days)
        if gold.get("date_in_text"):
            result.day_in_text.add(facts.day in accepted_days)
        if facts.day not in accepted_days:
            result.errors[f"{doc_id}: date {gold['date']}, said {facts.day}"] += 1
    if gold["kind"] == "meeting":
        accepted = {fold(p) for p in [gold["place"], *gold.get("place_alt", [])] if p}
        ok = (facts.place is None and gold["place"] is None) or (
            facts.place is not None and fold(facts.place) in accepted
        )
        result.place.add(ok)
        if not ok:
            result.errors[f"{doc_id}: place {gold['place']}, said {facts.place}"] += 1


def world_documents(lang: str | None = "en") -> list[dict[str, Any]]:
    return [d for d in lines("readouts-world-dev.jsonl.gz") if lang is None or d["lang"] == lang]


def published_of(d: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(d["published"]).replace(tzinfo=UTC) if d["published"] else None


def raw_document(d: dict[str, Any], *, with_home: bool) -> RawDocument:
    """A labelled readout as a feed would hand it over: text, outlet, title, page date and,
    when asked, the home country an operator configures."""
    return RawDocument(
        d["body"],
        source=d["source"],
        title=d.get("title"),
        published_at=published_of(d),
        home_country=d["home_country"] if with_home else None,
    )


def world(
    gazetteer: Gazetteer, *, with_home: bool, lang: str | None = "en"
) -> tuple[Results, Results]:
    """readouts-world-dev, the documents in `lang` (English by default): (Readout, baseline)."""
    mine, base = Results(), Results()
    for d in world_documents(lang):
        home = d["home_country"] if with_home else None
        published = published_of(d)
        report = parse_report(raw_document(d, with_home=with_home), now=NOW)
        a = extract(report, gazetteer)
        score(mine, readout_facts(a), d["gold"], d["id"])
        day = published.date() if published else None
        score(base, baseline_facts(a, report.text, home, day), d["gold"], d["id"])
    return mine, base


def white_house(gazetteer: Gazetteer, *, with_home: bool) -> tuple[Results, Results]:
    """White House readouts with title-derived labels, body only. The gold sides are the
    counterpart's countries and the United States (every one is a US official's meeting)."""
    mine, base = Results(), Results()
    for d in lines("whitehouse-readouts-2021-2022.jsonl.gz"):
        if "gold_countries" not in d or d.get("gold_kind") not in ("call", "meeting"):
            continue
        home = "US" if with_home else None
        published = datetime.fromisoformat(d["date"]).replace(tzinfo=UTC)
        raw = RawDocument(d["body"], source="wh", published_at=published, home_country=home)
        report = parse_report(raw, now=NOW)
        a = extract(report, gazetteer)
        gold = {
            "countries": [*d["gold_countries"], "US"],
            "orgs": [],
            "kind": d["gold_kind"],
            "date": None,
        }
        for result, facts in (
            (mine, readout_facts(a)),
            (base, baseline_facts(a, report.text, home, published.date())),
        ):
            gold_sides = set(gold["countries"])
            result.sides.add(facts.sides, gold_sides)
            if facts.has_meeting and facts.countries_named:
                wrong = facts.countries_named - gold_sides
                result.wrong_country.add(bool(wrong))
                if wrong:
                    result.errors[f"{d['id'][:70]}: names {sorted(wrong)}"] += 1
            ok = facts.has_meeting and facts.call == (gold["kind"] == "call")
            result.kind.add(ok)
            if not ok:
                result.errors[f"{d['id'][:70]}: kind {gold['kind']}"] += 1
            for name, country in facts.participants:
                result.participant_country.add(country in gold_sides)
                if country not in gold_sides:
                    result.errors[f"{d['id'][:70]}: {name} given {country}"] += 1
    return mine, base


@dataclass
class ClusterResult:
    pairs: int = 0
    merged: int = 0
    false_merges: int = 0
    pairs_en: int = 0
    merged_en: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _cluster_ids(
    gazetteer: Gazetteer, docs: list[dict[str, Any]], with_home: bool
) -> dict[str, int]:
    """Ingest `docs` in publication order as the pipeline does (each against the stored
    reports of the clustering window) and return each document's cluster id."""
    config = ClusterConfig()
    stored: list[StoredReport] = []
    ids: dict[str, int] = {}
    hashes: dict[str, int] = {}
    ordered = sorted(docs, key=lambda d: (d["_published"] or NOW, d["id"]))
    for number, d in enumerate(ordered, start=1):
        raw = RawDocument(
            d["body"],
            source=d["source"],  # the outlet, as a feed names it
            title=d.get("title"),
            published_at=d["_published"],
            home_country=d.get("home_country") if with_home else None,
        )
        report = parse_report(raw, now=NOW)
        if report.content_hash in hashes:  # an exact copy: dropped before clustering
            ids[d["id"]] = hashes[report.content_hash]
            continue
        a = extract(report, gazetteer)
        since = report.published_at - timedelta(hours=config.window_hours)
        candidates = [s for s in stored if s.report.published_at >= since][-300:]
        cluster = (
            find_cluster(report, a, candidates, config, transliterate=gazetteer.transliterate)
            or number
        )
        stored.append(StoredReport(number, report, a, NOW, cluster))
        ids[d["id"]] = hashes[report.content_hash] = cluster
    return ids


def labelled_pairs(
    docs: list[dict[str, Any]], ids: dict[str, int]
) -> Iterator[tuple[str, str, bool, bool]]:
    """Every pair of labelled documents, by id: (a, b, the same meeting by the labels'
    `meeting_key`, put in one cluster by Readout)."""
    by_id = {d["id"]: d for d in docs}
    names = sorted(by_id)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            same = by_id[a]["gold"]["meeting_key"] == by_id[b]["gold"]["meeting_key"]
            yield a, b, same, ids[a] == ids[b]


def clustering(gazetteer: Gazetteer, *, with_home: bool) -> tuple[ClusterResult, ClusterResult]:
    """(the dev set's same-meeting pairs, the White House readouts: all different)."""
    world_docs = [dict(d, _published=published_of(d)) for d in world_documents(None)]
    ids = _cluster_ids(gazetteer, world_docs, with_home)
    dev = ClusterResult()
    by_id = {d["id"]: d for d in world_docs}
    for a, b, same, together in labelled_pairs(world_docs, ids):
        english = by_id[a]["lang"] == by_id[b]["lang"] == "en"
        if same:
            dev.pairs += 1
            dev.merged += together
            dev.pairs_en += english
            dev.merged_en += together and english
            if not together:
                dev.missed.append(f"{a} ~ {b}")
        elif together:
            dev.false_merges += 1
            dev.wrong.append(f"{a} ~ {b}")
    wh_docs = [
        dict(
            d,
            _published=datetime.fromisoformat(d["date"]).replace(tzinfo=UTC),
            home_country="US",
            source="The White House",
        )
        for d in lines("whitehouse-readouts-2021-2022.jsonl.gz")
    ]
    wh_ids = _cluster_ids(gazetteer, wh_docs, with_home)
    wh = ClusterResult()
    clusters = Counter(wh_ids.values())
    wh.false_merges = sum(n - 1 for n in clusters.values() if n > 1)
    copies = _exact_copies(wh_docs)
    wh.false_merges -= copies
    for cluster, n in clusters.items():
        if n > 1:
            wh.wrong.append(", ".join(k[:60] for k, v in wh_ids.items() if v == cluster))
    return dev, wh


def _exact_copies(docs: list[dict[str, Any]]) -> int:
    bodies = Counter(" ".join(d["body"].split()).casefold() for d in docs)
    return sum(n - 1 for n in bodies.values())


def other_languages(gazetteer: Gazetteer) -> dict[str, float]:
    """The non-English readouts, per language, with the home country: sides, call vs
    meeting, meeting type and date (issue 13's figures)."""
    figures: dict[str, float] = {}
    languages = sorted({d["lang"] for d in world_documents(None)} - {"en"})
    print("  readouts-world-dev, other languages, with home country")
    print(
        f"    {'language':<10} {'docs':>4}  {'sides P':>7}  {'sides F1':>8}  "
        f"{'call vs meeting':>15}  {'type':>5}  {'date':>6}  {'place':>5}  "
        f"{'wrong country':>13}  {'people right':>12}"
    )
    for lang in [*languages, None]:
        mine, _ = world(gazetteer, with_home=True, lang=lang)
        if lang is None:
            docs = [d for d in world_documents(None) if d["lang"] != "en"]
            mine = Results()
            for d in docs:
                published = published_of(d)
                raw = RawDocument(
                    d["body"],
                    source=d["source"],
                    title=d.get("title"),
                    published_at=published,
                    home_country=d["home_country"],
                )
                r = parse_report(raw, now=NOW)
                score(mine, readout_facts(extract(r, gazetteer)), d["gold"], d["id"])
        name = lang or "all"
        count = len(world_documents(lang)) if lang else len(docs)
        wrong = f"{mine.wrong_country.hits}/{mine.wrong_country.total}"
        people = f"{mine.participant_country.hits}/{mine.participant_country.total}"
        print(
            f"    {name:<10} {count:>4}  {mine.sides.precision:>7.3f}  {mine.sides.f1:>8.3f}  "
            f"{mine.kind.value:>15.3f}  {mine.type.value:>5.3f}  {mine.day.value:>6.3f}  "
            f"{mine.place.value:>5.3f}  {wrong:>13}  {people:>12}"
        )
        figures[f"other_{name}_place"] = mine.place.value
        figures[f"other_{name}_sides_f1"] = mine.sides.f1
        figures[f"other_{name}_kind"] = mine.kind.value
        figures[f"other_{name}_type"] = mine.type.value
        figures[f"other_{name}_date"] = mine.day.value
    return figures


def report(gazetteer: Gazetteer, verbose: bool = False) -> dict[str, float]:
    """Print every figure, with and without the home country; return the main ones."""
    figures: dict[str, float] = {}
    print("Meeting facts (development sets: every figure is in-sample)")
    for name, runner in (
        ("readouts-world-dev, English", world),
        ("White House 2021-22", white_house),
    ):
        for with_home in (False, True):
            mine, base = runner(gazetteer, with_home=with_home)
            label = "with home country" if with_home else "without home country"
            print(f"  {name}, {label}")
            print("    " + mine.wrong_country.line("alerts naming a country that took no part"))
            print("    " + base.wrong_country.line("  baseline"))
            print("    " + mine.sides.line("participants' countries (sides)"))
            print("    " + base.sides.line("  baseline: every country mentioned"))
            print("    " + mine.participant_country.line("each participant's country right"))
            print("    " + mine.kind.line("call vs meeting"))
            print("    " + base.kind.line("  baseline: call word"))
            if mine.type.total:
                print("    " + mine.type.line("meeting type (call, host, visit, third ...)"))
                print("    " + base.type.line("  baseline: call word, else meeting"))
            if mine.place.total:
                print("    " + mine.place.line("meeting place (in-person meetings)"))
                print("    " + base.place.line("  baseline: dateline"))
            if mine.day.total:
                print("    " + mine.day.line("meeting date"))
                print("    " + base.day.line("  baseline: publication date"))
                print("    " + mine.day_in_text.line("  where the text fixes the day"))
                print("    " + base.day_in_text.line("  baseline, same documents"))
            key = ("world" if runner is world else "wh") + ("_home" if with_home else "")
            figures[f"{key}_wrong_country"] = mine.wrong_country.value
            figures[f"{key}_sides_f1"] = mine.sides.f1
            figures[f"{key}_baseline_sides_f1"] = base.sides.f1
            figures[f"{key}_participant_country"] = mine.participant_country.value
            figures[f"{key}_kind"] = mine.kind.value
            figures[f"{key}_type"] = mine.type.value
            figures[f"{key}_place"] = mine.place.value
            figures[f"{key}_date"] = mine.day.value
            figures[f"{key}_date_in_text"] = mine.day_in_text.value
            if verbose:
                for error, _ in mine.errors.most_common(60):
                    print("      -", error)
    for with_home in (False, True):
        dev, wh = clustering(gazetteer, with_home=with_home)
        label = "with home country" if with_home else "without home country"
        print(f"  Clustering, {label}")
        print(
            f"    dev same-meeting pairs merged: {dev.merged}/{dev.pairs} "
            f"({dev.merged / dev.pairs:.3f}); English pairs {dev.merged_en}/{dev.pairs_en}; "
            f"different meetings merged: {dev.false_merges}"
        )
        print(f"    White House readouts merged (exact copies aside): {wh.false_merges}")
        if verbose:
            for line in dev.missed + dev.wrong + wh.wrong:
                print("      -", line)
        suffix = "_home" if with_home else ""
        figures[f"cluster_dev_merged{suffix}"] = dev.merged / dev.pairs
        figures[f"cluster_dev_en_merged{suffix}"] = dev.merged_en / dev.pairs_en
        figures[f"cluster_dev_false{suffix}"] = dev.false_merges
        figures[f"cluster_wh_false{suffix}"] = wh.false_merges
    figures.update(other_languages(gazetteer))
    return figures
