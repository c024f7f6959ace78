"""Meeting facts per data set and per language, on the hand-labelled world readouts.

    python benchmarks/quality.py --set world [--data dev|dev2] [-v]

For each set (readouts-world-dev, readouts-world-dev-2) and each language, with the home
country an operator would configure: sides precision and F1, the share of alerts naming a
country that took no part, call vs meeting, type, place, the date where the text or the
published date fixes it, the share of undated reports that claim a day anyway, people
(name found, country right), reports with no meeting found, announcements read as a held
meeting, and clustering (same-meeting pairs merged, different meetings merged). The
baseline of `meeting_facts.py` (every country mentioned, a call word, the dateline, the
publication date) runs beside it on the same inputs.

Gold labels come from the files alone. Names are compared after the benchmark's own
folding (anyascii, case, diacritics), never through Readout's code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii

from benchmarks.meeting_facts import (
    NAME_NOISE,
    NOW,
    ORG_IDS,
    Facts,
    Results,
    Score,
    Share,
    _cluster_ids,
    baseline_facts,
    labelled_pairs,
    lines,
    published_of,
    raw_document,
    readout_facts,
    score,
)
from bot.extract import Gazetteer, extract
from bot.models import Annotations
from bot.reports import parse_report

SETS = {
    "dev": "readouts-world-dev.jsonl.gz",
    "dev2": "readouts-world-dev-2.jsonl.gz",
}


def _name_words(name: str) -> set[str]:
    """A name's words after the benchmark's own folding (any script to ASCII, case)."""
    folded = anyascii(name).casefold().replace("-", " ").replace("'", " ")
    words = {"".join(c for c in w if c.isalnum()) for w in folded.split()}
    return {w for w in words if len(w) >= 3 and w not in NAME_NOISE}


@dataclass
class SetResults:
    """Readout's figures and the baseline's on one slice of a set."""

    mine: Results = field(default_factory=Results)
    base: Results = field(default_factory=Results)
    docs: int = 0
    people: Score = field(default_factory=Score)  # named participants found
    no_meeting: Share = field(default_factory=Share)  # reports of a meeting with none found
    announced_as_held: Share = field(default_factory=Share)  # kind none read as a meeting
    day_fixed: Share = field(default_factory=Share)  # where the text or published date fixes it
    base_day_fixed: Share = field(default_factory=Share)
    day_claimed: Share = field(default_factory=Share)  # no evidence for a day, yet one given


def _people(result: SetResults, a: Annotations, gold: dict[str, Any]) -> None:
    named = [
        p["name"]
        for p in gold.get("participants", [])
        if not p["name"].casefold().startswith("the ") and _name_words(p["name"])
    ]
    # A person found is the record's name and the words the report writes for them: the
    # label is in the report's script ("王毅", «Сергей Лавров»), the name the record's.
    found: dict[str, set[str]] = {}
    for person in (p for m in a.meetings for p in m.participants):
        written = {w for span in person.spans for w in _name_words(span.text)}
        found.setdefault(person.name, set()).update(_name_words(person.name) | written)
    gold_words = [_name_words(n) for n in named]
    matched_gold: set[int] = set()
    tp = fp = 0
    for words in found.values():
        hit = next(
            (i for i, g in enumerate(gold_words) if i not in matched_gold and words & g), None
        )
        if hit is None:
            fp += 1
        else:
            matched_gold.add(hit)
            tp += 1
    result.people.tp += tp
    result.people.fp += fp
    result.people.fn += len(gold_words) - len(matched_gold)
    result.people.docs += 1


def _dates(result: SetResults, facts: Facts, base: Facts, d: dict[str, Any]) -> None:
    gold = d["gold"]
    if gold["kind"] not in ("call", "meeting"):
        return
    accepted = {gold["date"], *gold.get("date_alt", [])}
    fixed = bool(gold.get("date_in_text")) or d["published"] is not None
    if fixed:
        result.day_fixed.add(facts.day in accepted)
        result.base_day_fixed.add(base.day in accepted)
    else:
        result.day_claimed.add(facts.day is not None)
        if facts.day is not None:
            result.mine.errors[f"{d['id']}: no evidence for a day, said {facts.day}"] += 1


def measure(gazetteer: Gazetteer, docs: list[dict[str, Any]], *, with_home: bool) -> SetResults:
    """Every figure of this module on `docs`."""
    result = SetResults()
    for d in docs:
        published = published_of(d)
        home = d["home_country"] if with_home else None
        report = parse_report(raw_document(d, with_home=with_home), now=NOW)
        a = extract(report, gazetteer)
        facts = readout_facts(a)
        # The baseline's day is the page's date only: it has no way to know the ingestion time.
        base = baseline_facts(a, report.text, home, published.date() if published else None)
        gold = d["gold"]
        result.docs += 1
        if gold["kind"] == "none":
            result.announced_as_held.add(facts.has_meeting)
            if facts.has_meeting:
                result.mine.errors[f"{d['id']}: an announcement, read as a meeting"] += 1
            continue
        score(result.mine, facts, gold, d["id"])
        score(result.base, base, gold, d["id"])
        result.no_meeting.add(not facts.has_meeting)
        _people(result, a, gold)
        _dates(result, facts, base, d)
    return result


@dataclass
class Clusters:
    pairs: int = 0
    merged: int = 0
    false_merges: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def clusters(gazetteer: Gazetteer, docs: list[dict[str, Any]], *, with_home: bool) -> Clusters:
    """Same-meeting pairs merged and different meetings merged, ingesting in time order."""
    dated = [dict(d, _published=published_of(d)) for d in docs]
    ids = _cluster_ids(gazetteer, dated, with_home)
    out = Clusters()
    for a, b, same, together in labelled_pairs(dated, ids):
        if same:
            out.pairs += 1
            out.merged += together
            if not together:
                out.missed.append(f"{a} ~ {b}")
        elif together:
            out.false_merges += 1
            out.wrong.append(f"{a} ~ {b}")
    return out


_HEADER = (
    f"    {'slice':<9} {'docs':>4} {'sides P':>7} {'sides F1':>8} {'base F1':>7} "
    f"{'wrong ctry':>10} {'call/mtg':>8} {'type':>5} {'place':>5} {'date':>5} "
    f"{'base date':>9} {'day claimed':>11} {'people F1':>9} {'ppl ctry':>8} "
    f"{'no mtg':>6} {'ann. held':>9}"
)


def _row(name: str, r: SetResults) -> str:
    def share(s: Share) -> str:
        return f"{s.value:.3f}" if s.total else "-"

    def count(s: Share) -> str:
        return f"{s.hits}/{s.total}" if s.total else "-"

    return (
        f"    {name:<9} {r.docs:>4} {r.mine.sides.precision:>7.3f} {r.mine.sides.f1:>8.3f} "
        f"{r.base.sides.f1:>7.3f} {count(r.mine.wrong_country):>10} {share(r.mine.kind):>8} "
        f"{share(r.mine.type):>5} {share(r.mine.place):>5} {share(r.day_fixed):>5} "
        f"{share(r.base_day_fixed):>9} {count(r.day_claimed):>11} {r.people.f1:>9.3f} "
        f"{share(r.mine.participant_country):>8} {count(r.no_meeting):>6} "
        f"{count(r.announced_as_held):>9}"
    )


def report(gazetteer: Gazetteer, names: list[str], verbose: bool = False) -> dict[str, float]:
    """Print each set's table, per language and English / other languages apart."""
    figures: dict[str, float] = {}
    for name in names:
        docs = list(lines(SETS[name]))
        by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in docs:
            by_lang[d["lang"]].append(d)
        print(f"{SETS[name]}: {len(docs)} readouts, with home country")
        print(_HEADER)
        slices: list[tuple[str, list[dict[str, Any]]]] = [
            ("English", by_lang["en"]),
            ("other", [d for d in docs if d["lang"] != "en"]),
            ("all", docs),
        ]
        slices += [(lang, by_lang[lang]) for lang in sorted(by_lang) if lang != "en"]
        for label, chosen in slices:
            r = measure(gazetteer, chosen, with_home=True)
            print(_row(label, r))
            if label in ("English", "other"):
                key = f"{name}_{'en' if label == 'English' else 'other'}"
                figures[f"{key}_sides_f1"] = r.mine.sides.f1
                figures[f"{key}_sides_precision"] = r.mine.sides.precision
                figures[f"{key}_wrong_country"] = r.mine.wrong_country.value
                figures[f"{key}_kind"] = r.mine.kind.value
                figures[f"{key}_place"] = r.mine.place.value
                figures[f"{key}_date"] = r.day_fixed.value
                figures[f"{key}_people_f1"] = r.people.f1
                if verbose:
                    for error, _ in sorted(r.mine.errors.items()):
                        print("      -", error)
        c = clusters(gazetteer, docs, with_home=True)
        rate = f"{c.merged / c.pairs:.3f}" if c.pairs else "-"
        print(
            f"    clustering: same-meeting pairs merged {c.merged}/{c.pairs} ({rate}); "
            f"different meetings merged: {c.false_merges}"
        )
        if verbose:
            for line in c.missed + c.wrong:
                print("      -", line)
        print()
    if len(names) > 1:
        # The targets are for the sets together, English and other languages apart.
        every = [d for name in names for d in lines(SETS[name])]
        print(f"the {len(names)} sets together: {len(every)} readouts, with home country")
        print(_HEADER)
        for label, chosen in (
            ("English", [d for d in every if d["lang"] == "en"]),
            ("other", [d for d in every if d["lang"] != "en"]),
        ):
            print(_row(label, measure(gazetteer, chosen, with_home=True)))
        print()
    return figures


__all__ = ["ORG_IDS", "SETS", "measure", "report"]
