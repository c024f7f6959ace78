"""Ingestion end to end: Reuters stories through `Ingestor.ingest` (parse, extract, match,
cluster, store with their outbox rows) into a fresh database, with no subscriptions and
with 10,000 (a thousand chats following ten queries each, popular ones first, as real
chats do).

    python benchmarks/ingest.py [--reports 10000] [--postgres URL] [--readers N]

For each run it prints reports per second and the time per report over the first
thousand stored and over the last thousand, whose ratio shows whether the cost grows with
the store (the baseline is the same run's first thousand). SQLite in a temporary file;
PostgreSQL too when a URL is given (or READOUT_TEST_POSTGRES_URL is set): a scratch
database, whose tables are all dropped first. Prints figures; asserts nothing about time.

As in a worker (`App.create`), the gazetteer is loaded and the garbage collector set
(`tune_collector`) before anything runs; the language model is loaded before the clocks
too, as a worker loads it once. Their times are printed apart. With `--readers N` (N > 1)
the reports are read by N processes, as `[sources] readers = N` makes a worker read them;
the processes are started, and read a first chunk, before the clock starts. It prints the
worker process's own CPU time per report too (the readers' not counted): the rate the
worker could reach were the readers on cores of their own.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData  # noqa: E402

from bot.app import tune_collector  # noqa: E402
from bot.errors import QueryError  # noqa: E402
from bot.knowledge import detect_language, load_gazetteer  # noqa: E402
from bot.models import ChatRef  # noqa: E402
from bot.pipeline import Ingestor  # noqa: E402
from bot.query import parse, to_json  # noqa: E402
from bot.readers import ProcessReader, Reader  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402
from storage import SqlStore, connect, upgrade  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"
NOW = datetime(2026, 11, 27, tzinfo=UTC)
POPULAR = ["United States", "Japan", "oil", "trade", "bank", "United Kingdom", "West Germany",
           "Canada", "France", "China", "OPEC", "wheat", "Brazil", "tariff", "dollar"]  # fmt: skip
BATCH = 100  # reports handed to one ingest() call, as a poll of a busy feed would


def stories(limit: int) -> list[RawDocument]:
    if not REUTERS.is_file():
        sys.exit(f"{REUTERS} not found: this benchmark needs the Reuters stories")
    out: list[RawDocument] = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if len(out) >= limit:
                break
            doc = json.loads(line)
            published = NOW - timedelta(minutes=limit - i)  # in order, a minute apart
            out.append(
                RawDocument(
                    doc["body"],
                    source=f"reuters/{i}",
                    title=doc.get("title") or None,
                    published_at=published,
                    url=f"https://example.org/reuters/{i}",
                )
            )
    return out


def subscribe(store: SqlStore, count: int) -> None:
    gazetteer = load_gazetteer()
    rng = random.Random(3)
    names = [e.name for e in gazetteer.entities.values() if e.kind.value == "country"]
    chats = max(1, count // 10)
    for n in range(chats):
        chat = store.ensure_chat(ChatRef("console", f"bench-{n}"), NOW)
        # Five popular queries and five countries (in order: a set's order changes from
        # one process to the next, and with it the chats a report reaches).
        queries = list(dict.fromkeys(rng.sample(POPULAR, 5) + rng.sample(names, 10)))
        for query in queries[:10]:
            try:
                node = parse(query, gazetteer)
            except QueryError:  # "Georgia": asks which is meant
                continue
            store.add_subscription(chat.id, query, to_json(node), NOW)


def run(url: str, docs: list[RawDocument], subscriptions: int, reader: Reader | None) -> None:
    engine = connect(url)
    if engine.dialect.name == "postgresql":  # a scratch database: every table dropped
        tables = MetaData()
        tables.reflect(engine)
        tables.drop_all(engine)
    upgrade(engine)
    store = SqlStore(engine)
    if subscriptions:
        subscribe(store, subscriptions)
    ingestor = Ingestor(store, load_gazetteer(), reader=reader)
    times: list[float] = []  # seconds per report, batch by batch
    chats = 0
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(docs), BATCH):
        batch = docs[first : first + BATCH]
        t0 = time.perf_counter()
        summary = ingestor.ingest(batch, NOW)
        elapsed = time.perf_counter() - t0
        times += [elapsed / len(batch)] * len(batch)
        chats += sum(i.chats for i in summary.ingested)
    total = time.perf_counter() - start
    # This process's CPU alone (the reading processes' not counted): with readers on cores
    # of their own, the worker could go no faster than this.
    worker = (time.process_time() - cpu) / len(docs) * 1000
    head = sum(times[:1000]) / min(1000, len(times)) * 1000
    tail = sum(times[-1000:]) / min(1000, len(times)) * 1000
    # The median batch of each thousand too: on a shared machine one slow moment moves a
    # thousand's mean by a third.
    head_median = statistics.median(times[:1000]) * 1000
    tail_median = statistics.median(times[-1000:]) * 1000
    print(
        f"  {engine.dialect.name:<10} {subscriptions:>6,} subscriptions, "
        f"{reader.processes if isinstance(reader, ProcessReader) else 1} reading: "
        f"{len(docs) / total:6.1f} reports/s, {chats / len(docs):5.0f} chats a report; "
        f"per report {head:.1f} ms over the first 1,000 stored, {tail:.1f} ms over the last "
        f"1,000 ({tail / head:.2f}x; median batches {head_median:.1f} and {tail_median:.1f} "
        f"ms, {tail_median / head_median:.2f}x); the worker's own CPU {worker:.2f} ms a "
        f"report, at most {1000 / worker:.0f} reports/s"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("READOUT_TEST_POSTGRES_URL"))
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    parser.add_argument("--readers", type=int, default=1, help="processes reading reports")
    args = parser.parse_args()
    docs = stories(args.reports)
    print(f"{len(docs)} Reuters stories, {BATCH} to an ingest() call")
    started = time.perf_counter()
    load_gazetteer().officeholders.index_sounds()  # as App.create does
    tune_collector()
    detect_language("Le ministre des Affaires étrangères a rencontré son homologue à Paris.")
    ready = time.perf_counter() - started
    print(f"gazetteer, name sounds, collector and language model ready in {ready:.2f} s")
    reader = ProcessReader(args.readers) if args.readers > 1 else None
    if reader is not None:
        started = time.perf_counter()
        reader.read([parse_report(d, now=NOW) for d in docs[:BATCH]])
        print(f"{args.readers} reading processes started in {time.perf_counter() - started:.2f} s")
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            for subscriptions in (0, 10_000):
                run(f"sqlite:///{folder}/ingest-{subscriptions}.db", docs, subscriptions, reader)
    if args.postgres and args.only != "sqlite":
        for subscriptions in (0, 10_000):
            run(args.postgres, docs, subscriptions, reader)
    if reader is not None:
        reader.close()


if __name__ == "__main__":
    main()
