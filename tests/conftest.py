"""Shared fixtures: the gazetteer, the seed report, a fixed clock, and a store on SQLite
and (when READOUT_TEST_POSTGRES_URL is set) on the real PostgreSQL server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.app import App
from bot.config import OutboxConfig
from bot.extract import Gazetteer, extract
from bot.knowledge import load_gazetteer
from bot.models import Annotations, Report
from bot.outbox import Outbox
from bot.ports import Transport
from bot.reports import RawDocument, parse_report
from storage import SqlStore, connect, upgrade

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "reports" / "000_6ef0b7c9eee25884.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("READOUT_TEST_POSTGRES_URL")
# The built gazetteer is cached beside pytest's own cache, not in the user's: the tests and
# the commands they start read it from there after the first build.
os.environ.setdefault("READOUT_CACHE_DIR", str(ROOT / ".pytest_cache" / "readout"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_report(seed_text: str) -> Report:
    return parse_report(RawDocument(seed_text, source="reports/000_6ef0b7c9eee25884.txt"), now=NOW)


@pytest.fixture(scope="session")
def seed_annotations(seed_report: Report, gazetteer: Gazetteer) -> Annotations:
    return extract(seed_report, gazetteer)


@pytest.fixture
def now() -> datetime:
    return NOW


def make_report(text: str, *, title: str | None = None, source: str = "test") -> Report:
    return parse_report(RawDocument(text, source=source, title=title), now=NOW)


# A report that runs long in every part an alert shows: many people, topics, sentences.
LONG_REPORT = (
    "MOSCOW, 6 April 2025 - Russian Foreign Minister Sergei Lavrov met Pakistan's Deputy "
    "Prime Minister and Foreign Minister Ishaq Dar on the sidelines of the SCO meeting. "
    + "The ministers reviewed cooperation in trade, energy, security, agriculture, "
    "education, health, culture, connectivity, banking, railways and science, "
    "and agreed that their officials would meet again before the summer to take stock. "
    * 12
    + "They also discussed counter-terrorism, Afghanistan and the situation in the Middle East."
)


def ingest_text(store: SqlStore, gazetteer: Gazetteer, text: str | None = None) -> None:
    """Ingest `text` (the seed report by default) as if a feed with a URL had sent it."""
    from bot.pipeline import Ingestor

    raw = RawDocument(
        text or SEED.read_text(), source="reports/seed.txt", url="https://example.org/report"
    )
    Ingestor(store, gazetteer).ingest([raw], NOW)


@contextlib.asynccontextmanager
async def running(app: App, *, http: bool = False) -> AsyncIterator[App]:
    """`readout run` in the background for the block (its HTTP server up when `http`),
    then stopped and closed."""
    stop = asyncio.Event()
    task = asyncio.create_task(app.run(stop))
    try:
        if http:
            for _ in range(100):
                if app.http is not None and app.http.port:
                    break
                await asyncio.sleep(0.05)
            assert app.http is not None, "the worker's HTTP server did not start"
        yield app
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        app.close()


class ManualClock:
    """A clock a test moves by hand: the outbox reads it whenever it needs the time."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Waiting moves the clock: a rate limit's pause takes no real time in a test."""
        self.advance(seconds)
        await asyncio.sleep(0)


def outbox_for(
    store: SqlStore, gazetteer: Gazetteer, transport: Transport, clock: ManualClock | None = None
) -> Outbox:
    """An outbox that sends through one platform's transport."""
    return Outbox(store, {transport.platform: transport}, gazetteer, OutboxConfig(), clock=clock)


# -- storage on both databases -------------------------------------------------------------

_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="READOUT_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped "
            "(.ci/run sets it; e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)",
        ),
    ),
]


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str | None]:
    """A throwaway schema for this test session on the shared `test` database."""
    if not POSTGRES_URL:
        yield None
        return
    schema = f"readout_test_{uuid.uuid4().hex[:10]}"
    admin = connect(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_url_for(schema: str) -> str:
    """The test server's URL, with every connection working in `schema`."""
    assert POSTGRES_URL
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=_BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema: str | None
) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = connect(f"sqlite:///{tmp_path / 'test.db'}")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    assert POSTGRES_URL and postgres_schema
    eng = connect(postgres_url_for(postgres_schema))
    upgrade(eng)
    with eng.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE reports, chats, subscriptions, deliveries, source_state, "
                "source_entries, send_turns, counters, notices, meetings, meeting_sides, "
                "subscription_changes "
                "RESTART IDENTITY CASCADE"
            )
        )
    yield eng
    eng.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    return SqlStore(engine)


@pytest.fixture
def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


Clock = Callable[[], datetime]


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for `check()` to hold, with a deadline: for an event, never a fixed time."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout} s: {check.__doc__ or check}")
        await asyncio.sleep(0.02)


def sent_once(app: App) -> bool:
    """Every alert is settled: at least one sent, none pending."""
    counts = app.store.delivery_counts()
    return counts.get("sent", 0) >= 1 and not counts.get("pending", 0)
