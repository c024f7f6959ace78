"""/history on a large store: 100,000 meetings among 60 countries over five years, on SQLite
and (when READOUT_TEST_POSTGRES_URL is set) PostgreSQL.

    python benchmarks/bench_history.py [--meetings 100000]

For each database: the time of `/history Pakistan Russia` and `/history Pakistan` as a chat
gets them (queries, text and the PNG chart), the time of their queries alone, the query
plan (the sides-by-day index, not a scan), and beside them a baseline in the same process:
the same question answered by scanning the meetings' sides text. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text  # noqa: E402

from benchmarks.common import postgres_schema, timed  # noqa: E402
from bot.config import LimitsConfig  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from bot.models import ChatRef  # noqa: E402
from handlers.commands import Command, CommandService  # noqa: E402
from storage import SqlStore, connect, upgrade  # noqa: E402
from storage.models import MeetingRow, MeetingSideRow, ReportRow  # noqa: E402

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
COUNTRIES = """PK RU CN IN US GB FR DE JP TR IR SA AE QA EG IL UA BR ZA NG KE ET AU CA MX AR KR
ID MY TH VN PH SG KZ UZ AZ AM GE BY PL HU IT ES NL BE SE NO FI AT CH GR RS AF BD LK NP
MM KH LA MN""".split()
TYPES = ("call", "visit", "host", "third-location", "multilateral", "meeting")
LEVELS = ("leaders", "ministers", "officials")


def fill(engine: Engine, meetings: int) -> None:
    rng = random.Random(11)
    with engine.begin() as conn:
        conn.execute(
            insert(ReportRow),
            [
                {
                    "source": "bench",
                    "url": f"https://example.org/{i}",
                    "title": "t",
                    "body": "b",
                    "published_at": NOW,
                    "date_from_text": True,
                    "title_in_body": False,
                    "content_hash": f"h{i}",
                    "annotations_json": "{}",
                    "ingested_at": NOW,
                    "outlet": "Bench News",
                }
                for i in range(1000)
            ],
        )
        report_ids = [row[0] for row in conn.execute(text("SELECT id FROM reports"))]
        rows = []
        sides = []
        for i in range(1, meetings + 1):
            a, b = rng.sample(COUNTRIES[:20] if rng.random() < 0.6 else COUNTRIES, 2)
            day = (NOW - timedelta(days=rng.randrange(5 * 365))).date()
            rows.append(
                {
                    "id": i,
                    "report_id": rng.choice(report_ids),
                    "day": day,
                    "type": rng.choice(TYPES),
                    "level": rng.choice(LEVELS),
                    "sides": f"country:{a}|country:{b}",
                    "people": "Dar|Lavrov",
                    "place": "Tashkent",
                    "forum": None,
                }
            )
            sides += [
                {"meeting_id": i, "side": f"country:{a}", "day": day},
                {"meeting_id": i, "side": f"country:{b}", "day": day},
            ]
            if len(rows) == 10_000:
                conn.execute(insert(MeetingRow), rows)
                conn.execute(insert(MeetingSideRow), sides)
                rows, sides = [], []
        if rows:
            conn.execute(insert(MeetingRow), rows)
            conn.execute(insert(MeetingSideRow), sides)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE meetings"))
            conn.execute(text("ANALYZE meeting_sides"))
        else:
            conn.execute(text("ANALYZE"))


def baseline(engine: Engine, first: str, second: str, since: date) -> int:
    """The same question without the index: scan every meeting's sides text."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, day FROM meetings WHERE sides LIKE :a AND sides LIKE :b "
                "AND day >= :since ORDER BY day DESC"
            ),
            {"a": f"%{first}%", "b": f"%{second}%", "since": since},
        ).all()
    return len(rows)


PAIR_QUERY = (
    "SELECT m.id FROM meetings m JOIN meeting_sides a ON a.meeting_id = m.id "
    "JOIN meeting_sides b ON b.meeting_id = m.id WHERE a.side = 'country:PK' "
    "AND b.side = 'country:RU' ORDER BY a.day DESC LIMIT 10"
)


def plan(engine: Engine) -> list[str]:
    """How the database answers the pair's question (the shape of the store's query)."""
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        return [" ".join(str(c) for c in row) for row in conn.execute(text(prefix + PAIR_QUERY))]


def run(label: str, engine: Engine, meetings: int) -> None:
    upgrade(engine)
    started = time.perf_counter()
    fill(engine, meetings)
    print(f"{label}: {meetings:,} meetings stored in {time.perf_counter() - started:.1f} s")
    store = SqlStore(engine)
    service = CommandService(store, load_gazetteer(), LimitsConfig())
    chat = ChatRef("console", "bench")
    pair = timed(lambda: service.handle(Command(chat, "history", "Pakistan Russia"), NOW), 7)
    one = timed(lambda: service.handle(Command(chat, "history", "Pakistan"), NOW), 7)
    since = NOW.date() - timedelta(days=730)
    queries = timed(
        lambda: (
            store.meetings_between("country:PK", "country:RU", limit=10),
            store.meeting_tallies("country:PK", "country:RU", since=since),
        ),
        7,
    )
    scan = timed(lambda: baseline(engine, "country:PK", "country:RU", since), 7)
    found = sum(t.count for t in store.meeting_tallies("country:PK", "country:RU", since=since))
    print(f"  /history Pakistan Russia (queries, text, chart): {pair:7.1f} ms  (target 300)")
    print(f"  /history Pakistan (counterparts, 90 days, chart): {one:7.1f} ms")
    print(f"  the pair's queries alone (last 10, 24 months):    {queries:7.1f} ms")
    print(f"  baseline, scanning the sides text (same answer):  {scan:7.1f} ms")
    assert found == baseline(engine, "country:PK", "country:RU", since), "answers differ"
    print("  plan: " + "\n        ".join(plan(engine)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{Path(tmp) / 'history.db'}")
        run("SQLite", engine, args.meetings)
        engine.dispose()
    url = os.environ.get("READOUT_TEST_POSTGRES_URL")
    if not url:
        print("PostgreSQL: skipped (set READOUT_TEST_POSTGRES_URL)")
        return 0
    engine = postgres_schema(url, "bench_history")
    run("PostgreSQL", engine, args.meetings)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
