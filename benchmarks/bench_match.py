"""Matching at scale: the subscription index against evaluating every subscription (the
baseline), in the same process, on the same reports.

    python benchmarks/bench_match.py [--sizes 1000,10000,100000,1000000] [--reports 200]

The subscriptions are a realistic mix, as watchers write them: countries, organisations,
people of the officeholders record, topics, keywords, exact phrases, pairs of sides and
boolean queries; a fifth of them distinct, the rest following a popular few ("Pakistan",
"SCO") as real chats do (Zipf-like popularity). For each size it prints the index's
start-up (decoding each distinct stored query once, as `Ingestor.index` does, and
building), the memory the index holds (tracemalloc), and the time per report, median and
90th percentile, beside the baseline's (up to 100,000 subscriptions; the baseline on a
million would take minutes per report). Every size checks that the index and the baseline
fire the same subscriptions. Reports come from ../shared/data/reuters21578-train.jsonl.gz
when present, else the seed report repeated. Prints figures and ratios; asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.extract import extract  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from bot.match import (  # noqa: E402
    CompiledSubscription,
    Document,
    SubscriptionIndex,
    document,
    evaluate,
)
from bot.models import EntityKind  # noqa: E402
from bot.query import Node, from_json, parse, to_json  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"
NOW = datetime(2026, 11, 27, tzinfo=UTC)
T = TypeVar("T")
BASELINE_LIMIT = 100_000


def texts(limit: int) -> list[str]:
    if REUTERS.is_file():
        with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
            out = []
            for line in f:
                doc = json.loads(line)
                out.append(f"{doc.get('title', '')}\n\n{doc['body']}")
                if len(out) >= limit:
                    break
            return out
    print(f"({REUTERS} not found: using the seed report)")
    seed = (ROOT / "seeds" / "reports" / "000_6ef0b7c9eee25884.txt").read_text()
    return [seed] * limit


def distinct_queries(n: int, rng: random.Random) -> list[str]:
    """`n` query texts of the mix; repeats allowed where the pools are small."""
    gazetteer = load_gazetteer()
    countries = [e.name for e in gazetteer.entities.values() if e.kind is EntityKind.COUNTRY]
    orgs = [e.aliases[0] if e.aliases else e.name for e in gazetteer.entities.values()
            if e.kind is EntityKind.ORG]  # fmt: skip
    topics = [e.id.split(":", 1)[1] for e in gazetteer.entities.values()
              if e.kind is EntityKind.TOPIC]  # fmt: skip
    people = sorted({t.name for t in gazetteer.officeholders.terms
                     if t.role in ("head_of_state", "head_of_government", "foreign_minister")
                     and (t.end is None or t.end.year >= 2015)})  # fmt: skip
    words = ["talks", "minister", "summit", "sanctions", "oil", "wheat", "bank", "deal",
             "grain", "tariff", "ceasefire", "pipeline", "visa", "loan", "election"]  # fmt: skip
    phrases = ['"trade deal"', '"joint statement"', '"interest rates"', '"central bank"',
               '"foreign minister"', '"free trade"', '"debt relief"', '"peace talks"']  # fmt: skip
    out: list[str] = []
    while len(out) < n:
        shape = rng.random()
        c1, c2 = rng.choice(countries), rng.choice(countries)
        if shape < 0.30:
            out.append(c1)
        elif shape < 0.40:
            out.append(rng.choice(orgs))
        elif shape < 0.50:
            out.append(f'person:"{rng.choice(people)}"')
        elif shape < 0.60:
            out.append(f"topic:{rng.choice(topics)}")
        elif shape < 0.70:
            out.append(rng.choice(words))
        elif shape < 0.75:
            out.append(rng.choice(phrases))
        elif shape < 0.85:
            out.append(f'"{c1}" AND "{c2}"')
        elif shape < 0.92:
            out.append(f'with:"{c1}" AND with:"{c2}"')
        else:
            out.append(f'(topic:{rng.choice(topics)} OR {rng.choice(words)}) -"{c1}"')
    return out


def stored_subscriptions(size: int, rng: random.Random) -> list[tuple[int, int, str, str]]:
    """(id, chat, compiled JSON, query) rows: a fifth distinct, popularity Zipf-like."""
    gazetteer = load_gazetteer()
    wanted = max(1, size // 5)
    pool: dict[str, str] = {}  # compiled -> text: distinct queries only
    for _ in range(20):
        for text in distinct_queries(wanted - len(pool), rng):
            try:
                pool.setdefault(to_json(parse(text, gazetteer)), text)
            except Exception:
                continue
        if len(pool) >= wanted:
            break
    distinct = list(pool.items())
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(distinct))]
    rows = [(i, i // 3, *distinct[i]) for i in range(len(distinct))]  # each once, then
    picks = rng.choices(range(len(distinct)), weights=weights, k=max(0, size - len(rows)))
    rows += [(len(rows) + j, (len(rows) + j) // 3, *distinct[p]) for j, p in enumerate(picks)]
    return rows


Built = tuple[SubscriptionIndex, list[CompiledSubscription]]


def build(rows: list[tuple[int, int, str, str]]) -> Built:
    """As Ingestor.index: each distinct stored query decoded once, then indexed."""
    nodes: dict[str, Node] = {}
    subs = []
    for sub_id, chat_id, compiled, query in rows:
        node = nodes.get(compiled)
        if node is None:
            node = nodes[compiled] = from_json(compiled)
        subs.append(CompiledSubscription(sub_id, chat_id, node, query))
    return SubscriptionIndex(subs), subs


def timed(run: Callable[[Document], T], docs: list[Document]) -> tuple[list[float], list[T]]:
    """Milliseconds per report, and what `run` gave for each."""
    times, results = [], []
    for doc in docs:
        t0 = time.perf_counter()
        results.append(run(doc))
        times.append((time.perf_counter() - t0) * 1000)
    return times, results


def measure(size: int, docs: list[Document], baseline_reports: int) -> float:
    """One row of the table; returns the median per report with the index."""
    rows = stored_subscriptions(size, random.Random(size))
    gc.collect()
    t0 = time.perf_counter()
    first, subs = build(rows)
    startup = time.perf_counter() - t0
    del first
    gc.collect()
    tracemalloc.start()
    index, built_from = build(rows)
    del built_from  # as Ingestor.index: only the index lives on
    gc.collect()
    memory = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del rows
    if size > BASELINE_LIMIT:
        subs = []
    times, hits = timed(lambda d: index.match(d), docs)
    fired = sum(len(m.subscription_ids) for ms in hits for m in ms) / len(docs)
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    baseline, ratio = "-", "-"
    if size <= BASELINE_LIMIT:
        by_id = sorted(subs, key=lambda s: s.id)
        brute_times, brute = timed(
            lambda d: sorted((s.chat_id, s.id) for s in by_id if evaluate(s.node, d)),
            docs[:baseline_reports],
        )
        for doc_hits, matched in zip(brute, hits, strict=False):
            found = sorted((m.chat_id, s) for m in matched for s in m.subscription_ids)
            assert doc_hits == found, "the index and the baseline disagree"
        brute_median = statistics.median(brute_times)
        baseline, ratio = f"{brute_median:.1f}", f"{brute_median / median:.0f}x"
    print(
        f"{size:>9,} {index.distinct:>8,} {startup:>8.2f}s {memory:>6.0f}MB "
        f"{median:>6.2f}ms {p90:>6.2f}ms {baseline:>8}ms {ratio:>6} {fired:>12,.0f}"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--baseline-reports", type=int, default=40)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    docs = []
    for i, text in enumerate(texts(args.reports)):
        report = parse_report(RawDocument(text, source=str(i)), now=NOW)
        docs.append(document(report, extract(report, gazetteer)))
    print(f"{len(docs)} reports; subscriptions: a realistic mix, a fifth distinct")
    print(
        f"{'subs':>9} {'distinct':>8} {'start-up':>9} {'memory':>8} {'median':>8} "
        f"{'p90':>8} {'baseline':>9} {'ratio':>6} {'fired/report':>12}"
    )
    medians = {
        size: measure(size, docs, args.baseline_reports)
        for size in (int(s) for s in args.sizes.split(","))
    }
    if 10_000 in medians and 1_000_000 in medians:
        print(f"1M against 10k, per report: {medians[1_000_000] / medians[10_000]:.1f}x")


if __name__ == "__main__":
    main()
