"""/search, /latest and /digest on a large store: 1,000,000 reports on SQLite and (when
READOUT_TEST_POSTGRES_URL is set) PostgreSQL.

    python benchmarks/bench_search.py [--reports 1000000] [--distinct 2000] [--only sqlite]

The store: `--distinct` Reuters stories (../shared/data/reuters21578-train.jsonl.gz) read
and extracted once, then stored again and again as their own rows (own hash, own time, a
few minutes apart over five years) with the search keys Readout writes for them
(`storage.search.write`), in bulk. For each database: each command as a chat gets it
(median milliseconds of five runs, the reply's text included), the plan of the search
index's query, and beside them in the same process a baseline without the index: the
newest reports whose body holds the word, by a scan (`body LIKE`). Asserts nothing
about time; checks that each /search answer holds the reports the baseline finds first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text  # noqa: E402

from benchmarks.common import postgres_schema, timed  # noqa: E402
from bot.config import LimitsConfig  # noqa: E402
from bot.extract import extract  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from bot.match import document, key_filter  # noqa: E402
from bot.models import ChatRef  # noqa: E402
from bot.query import parse  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402
from handlers.commands import Command, CommandService  # noqa: E402
from storage import SqlStore, codec, connect, search, upgrade  # noqa: E402
from storage.models import ReportRow  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "reuters21578-train.jsonl.gz"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
# (command, its argument, the word the baseline scans the bodies for; None: no baseline)
COMMANDS = [
    ("search", "quokka", "quokka"),  # only in the oldest report
    ("search", "zinc", "zinc"),
    ("search", "cocoa", "cocoa"),
    ("search", "oil", "oil"),
    ("search", "Japan", None),
    ("search", "Japan AND trade", None),
    ("search", '"interest rates"', "interest rates"),
    ("latest", "", None),
    ("digest", "week", None),
]
SUBSCRIPTIONS = ("Japan", "OPEC", "cocoa")


# The oldest report, the only one with its word: what a scan reads the whole store for.
OLDEST = (
    "CANBERRA, March 3 - Australia will export quokkas to zoos in Japan under an agreement "
    "its trade minister signed in Tokyo on Tuesday."
)


def stories(count: int) -> list[tuple[dict[str, object], frozenset[str]]]:
    """`count` Reuters stories as report rows (without id, hash and times) and their keys;
    the first is OLDEST."""
    gazetteer = load_gazetteer()
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(count - 1), f, strict=False)]
    rows.insert(0, {"body": OLDEST})
    found = []
    for row in rows:
        report = parse_report(
            RawDocument(row["body"], source="bench", title=row.get("title") or None), now=NOW
        )
        annotations = extract(report, gazetteer)
        values: dict[str, object] = {
            "source": "bench",
            "title": report.title,
            "body": report.body,
            "dateline": report.dateline,
            "date_from_text": report.date_from_text,
            "title_in_body": report.title_in_body,
            "annotations_json": codec.dumps(annotations),
            "outlet": "Reuters",
        }
        found.append((values, document(report, annotations).keys))
    return found


def _story(i: int, distinct: int) -> int:
    """Which story the i-th report is: each once, then all but the oldest again and again."""
    return i if i < distinct else 1 + i % (distinct - 1)


def fill(engine: Engine, reports: int, distinct: int) -> None:
    base = stories(distinct)
    step = timedelta(days=5 * 365) / reports
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if postgres:  # a bulk load builds the GIN index once, at the end
            conn.execute(text("DROP INDEX ix_report_search_keys"))
        for start in range(0, reports, 10_000):
            numbers = range(start, min(start + 10_000, reports))
            rows = []
            for i in numbers:
                values, _ = base[_story(i, distinct)]
                when = NOW - step * (reports - i)
                rows.append(
                    values
                    | {
                        "id": i + 1,
                        "url": f"https://example.org/{i}",
                        "content_hash": f"bench{i}",
                        "published_at": when,
                        "ingested_at": when,
                        "cluster_id": i + 1,
                    }
                )
            conn.execute(insert(ReportRow), rows)
            search.write(
                conn,
                [(i + 1, base[_story(i, distinct)][1]) for i in numbers],
            )
        if postgres:
            conn.execute(
                text("CREATE INDEX ix_report_search_keys ON report_search USING GIN (keys)")
            )
            conn.execute(text("ANALYZE reports"))
            conn.execute(text("ANALYZE report_search"))
        else:
            conn.execute(text("ANALYZE"))


def baseline(engine: Engine, word: str, limit: int) -> list[int]:
    """The newest reports whose body holds `word`, without the index: a scan."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM reports WHERE lower(body) LIKE :word ORDER BY id DESC LIMIT :n"),
            {"word": f"%{word}%", "n": limit},
        )
        return [int(r[0]) for r in rows]


def plan(engine: Engine, query: str) -> list[str]:
    """How the database finds the candidates of `query` (the store's own statements, each
    tried in turn until one gives enough)."""
    condition = key_filter([parse(query, load_gazetteer())])
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    lines = []
    with engine.connect() as conn:
        statements = search.statements(
            engine.dialect.name, condition, since=None, before=None, limit=40
        )
        for number, (sql, params) in enumerate(statements, 1):
            found = len(conn.execute(text(sql), params).all())
            lines.append(f"statement {number} of {len(statements)}: {found} ids")
            rows = conn.execute(text(prefix + sql), params)
            lines += ["  " + " ".join(str(c) for c in row) for row in rows]
            if found >= 40:
                break
    return lines


def run(label: str, engine: Engine, reports: int, distinct: int) -> None:
    upgrade(engine)
    started = time.perf_counter()
    fill(engine, reports, distinct)
    print(f"{label}: {reports:,} reports stored in {time.perf_counter() - started:.0f} s")
    store = SqlStore(engine)
    gazetteer = load_gazetteer()
    limits = LimitsConfig()
    service = CommandService(store, gazetteer, limits)
    chat = ChatRef("console", "bench")
    for query in SUBSCRIPTIONS:
        service.handle(Command(chat, "subscribe", query), NOW)
    print(f"  {'command':32} {'index':>9} {'scan':>9}")
    for name, args, word in COMMANDS:
        reply = service.handle(Command(chat, name, args), NOW).text
        assert not reply.startswith(("No stored report", "No matching")), reply
        took = timed(partial(service.handle, Command(chat, name, args), NOW))
        scan = ""
        if word is not None:
            scan = f"{timed(partial(baseline, engine, word, limits.search_results), 3):7.1f} ms"
        shown = f"/{name} {args}".strip()
        print(f"  {shown:32} {took:6.1f} ms {scan:>9}  ({reply.count(chr(10))} lines)")
    for word in ("oil", "quokka"):
        print(f"  plan of /search {word}'s candidates:")
        print("    " + "\n    ".join(plan(engine, word)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=2000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "search.db"
            engine = connect(f"sqlite:///{path}")
            run("SQLite", engine, args.reports, args.distinct)
            engine.dispose()
            print(f"  database file: {path.stat().st_size / 1e6:.0f} MB")
    url = os.environ.get("READOUT_TEST_POSTGRES_URL")
    if args.only == "sqlite" or not url:
        print("PostgreSQL: skipped" + ("" if url else " (set READOUT_TEST_POSTGRES_URL)"))
        return 0
    engine = postgres_schema(url, "bench_search")
    run("PostgreSQL", engine, args.reports, args.distinct)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
