"""What the benchmarks share: a median timer and a scratch PostgreSQL schema."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from sqlalchemy import Engine, text

from storage import connect


def timed(call: Callable[[], object], runs: int = 5) -> float:
    """Median milliseconds of `call()` over `runs` runs (after one warm-up)."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def postgres_schema(url: str, schema: str) -> Engine:
    """The schema dropped and made again, and an engine whose every connection works in it
    (the server's other schemas are left alone)."""
    admin = connect(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    joiner = "&" if "?" in url else "?"
    return connect(f"{url}{joiner}options=-csearch_path%3D{schema}")
