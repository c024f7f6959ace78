"""Annotation throughput: what `readout annotate` does per document (parse, extract, the
JSON record), beside the baseline regex over pycountry names, in the same process, on the
same documents.

    python benchmarks/bench_annotate.py [--documents 3000]

Documents come from ../shared/data/reuters21578-train.jsonl.gz when present, else the
seed report repeated. Prints documents per second; asserts nothing about time. The
gazetteer (with the officeholders record), the language model (py3langid's, unpacked
the first time a lead is not plainly English) and the record's index of name sounds (built
the first time a report in another language names someone) are ready before the clock
starts, as `readout annotate` builds each once per run; their times are printed apart, the
gazetteer's both built from the seed files and read back from its cache.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.quality import baseline_regex  # noqa: E402
from bot.annotate import record  # noqa: E402
from bot.extract import extract  # noqa: E402
from bot.knowledge import detect_language, load_or_build  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def documents(limit: int) -> list[tuple[str, str | None]]:
    if DATA.is_file():
        with gzip.open(DATA, "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for _, line in zip(range(limit), f, strict=False)]
        return [(r["body"], r.get("title") or None) for r in rows]
    seed = (ROOT / "seeds" / "reports" / "000_6ef0b7c9eee25884.txt").read_text(encoding="utf-8")
    return [(seed, None)] * limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=3000)
    args = parser.parse_args()
    docs = documents(args.documents)
    started = time.perf_counter()
    load_or_build(None)
    print(f"gazetteer and officeholders built in {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        load_or_build(Path(folder))  # writes the cache
        started = time.perf_counter()
        gazetteer = load_or_build(Path(folder))
        print(f"gazetteer read from its cache in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    detect_language("Le ministre des Affaires étrangères a rencontré son homologue à Paris.")
    print(f"language model loaded in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    gazetteer.officeholders.index_sounds()  # as a worker builds it at start
    print(f"the record's name sounds indexed in {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    for number, (body, title) in enumerate(docs):
        report = parse_report(RawDocument(body, source="bench", title=title), now=NOW)
        json.dumps(record(number, extract(report, gazetteer)), ensure_ascii=False)
    readout = len(docs) / (time.perf_counter() - started)

    regex = baseline_regex()
    started = time.perf_counter()
    for body, title in docs:
        json.dumps(sorted(regex(f"{title or ''}\n{body}")))
    baseline = len(docs) / (time.perf_counter() - started)

    print(f"readout annotate: {readout:,.0f} documents/s ({len(docs)} documents)")
    print(f"baseline regex over pycountry names: {baseline:,.0f} documents/s")
    print(f"ratio baseline/readout: {baseline / readout:.1f}x")


if __name__ == "__main__":
    main()
