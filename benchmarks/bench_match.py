"""Matching at scale: the subscription index against evaluating every subscription (the
baseline), in the same process, on the same reports; and extraction throughput.

    python benchmarks/bench_match.py [--subscriptions 20000] [--reports 300]

Reports come from ../shared/data/reuters21578-train.jsonl.gz when present, else the seed
report repeated. Prints figures and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.extract import extract  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from bot.match import CompiledSubscription, SubscriptionIndex, document, evaluate  # noqa: E402
from bot.models import EntityKind  # noqa: E402
from bot.query import parse  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


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


def queries(n: int, rng: random.Random) -> list[str]:
    gazetteer = load_gazetteer()
    names = [e.name for e in gazetteer.entities.values() if e.kind is not EntityKind.TOPIC]
    topics = [e.id for e in gazetteer.entities.values() if e.kind is EntityKind.TOPIC]
    words = ["talks", "minister", "summit", "sanctions", "oil", "wheat", "bank", "deal"]
    out = []
    for _ in range(n):
        shape = rng.random()
        a = f'"{rng.choice(names)}"' if rng.random() < 0.1 else rng.choice(names)
        if shape < 0.5:
            out.append(f'"{rng.choice(names)}"' if " " in a else a)
        elif shape < 0.8:
            out.append(f"{rng.choice(topics)} AND country:{rng.choice(['US', 'JP', 'DE', 'BR'])}")
        else:
            out.append(f"({rng.choice(words)} OR {rng.choice(topics)}) -country:US")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    gazetteer = load_gazetteer()

    raw = texts(args.reports)
    t0 = time.perf_counter()
    tracemalloc.start()
    docs = []
    for i, text in enumerate(raw):
        report = parse_report(RawDocument(text, source=str(i)), now=NOW)
        docs.append(document(report, extract(report, gazetteer)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t_extract = time.perf_counter() - t0
    print(
        f"extraction: {len(docs)} reports in {t_extract:.2f} s "
        f"({len(docs) / t_extract:.0f} reports/s, peak {peak / 1e6:.1f} MB traced)"
    )

    subs = []
    for i, q in enumerate(queries(args.subscriptions, rng)):
        try:
            subs.append(CompiledSubscription(i, i % 500, parse(q, gazetteer)))
        except Exception:
            continue
    t0 = time.perf_counter()
    index = SubscriptionIndex(subs)
    t_build = time.perf_counter() - t0
    print(f"index: {index.size} subscriptions indexed in {t_build * 1000:.0f} ms")

    t0 = time.perf_counter()
    indexed_hits = [
        sorted((m.chat_id, s) for m in index.match(d) for s in m.subscription_ids) for d in docs
    ]
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    brute_hits = [sorted((s.chat_id, s.id) for s in subs if evaluate(s.node, d)) for d in docs]
    t_brute = time.perf_counter() - t0
    assert indexed_hits == brute_hits, "the index and the baseline disagree"
    candidates = sum(len(index.candidates(d)) for d in docs) / len(docs)
    print(f"baseline (evaluate every subscription): {t_brute / len(docs) * 1000:.2f} ms/report")
    print(
        f"index:                                  {t_index / len(docs) * 1000:.2f} ms/report "
        f"({candidates:.0f} candidates of {len(subs)} per report)"
    )
    print(f"ratio baseline/index: {t_brute / t_index:.1f}x faster, same matches")


if __name__ == "__main__":
    main()
