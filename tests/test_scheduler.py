"""The worker under the real APScheduler: it polls, delivers, and stops when told."""

from __future__ import annotations

import asyncio
import io
import shutil
import threading
from datetime import datetime
from pathlib import Path

import aiohttp

from bot.app import App
from bot.config import Config, DatabaseConfig, HttpConfig, OutboxConfig, SourcesConfig
from bot.scheduler import Worker
from handlers.commands import Command
from handlers.console import ConsoleTransport, console_chat
from storage import connect
from tests.conftest import NOW, SEED, eventually, running, sent_once


async def test_run_polls_and_delivers_then_stops(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(folder,), poll_seconds=0.1),
        outbox=OutboxConfig(drain_seconds=0.1),
    )
    out = io.StringIO()
    app = App.create(config, transports={"console": ConsoleTransport(out)})
    app.commands.handle(Command(console_chat("desk"), "subscribe", "Pakistan"), NOW)
    async with running(app):
        await eventually(lambda: bool(app.store.source_states()))  # a first poll ran
        shutil.copy(SEED, folder)  # a report arrives while the worker runs
        await eventually(lambda: "[alert" in out.getvalue())
        await eventually(lambda: sent_once(app))  # settled: a sent alert is never sent again
        assert app.store.delivery_counts() == {"sent": 1}
    assert out.getvalue().count("[alert \u2192 console:desk]") == 1
    assert "matched: Pakistan" in out.getvalue()


async def test_a_stop_tells_the_jobs_first_and_waits_for_them() -> None:
    """SIGTERM during a poll: the poll is told (in its thread) before anything is
    cancelled, and it ends by committing what it has read, not cut off."""
    told = threading.Event()
    committed: list[str] = []
    polling = asyncio.Event()

    def poll_in_thread() -> None:
        while not told.is_set():  # reading documents until told to stop
            told.wait(0.01)
        committed.append("what it had read")

    async def poll(_now: datetime) -> None:
        polling.set()
        await asyncio.to_thread(poll_in_thread)

    async def drain(_now: datetime) -> None:
        return None

    worker = Worker(
        poll=poll, drain=drain, poll_seconds=3600, drain_seconds=3600, on_stop=told.set, grace=30
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    await asyncio.wait_for(polling.wait(), 10)
    stop.set()
    await asyncio.wait_for(task, 30)
    assert told.is_set() and committed == ["what it had read"]


async def test_the_heartbeat_job_renews_while_the_worker_runs() -> None:
    beats: list[datetime] = []
    two = asyncio.Event()

    async def heartbeat(now: datetime) -> None:
        beats.append(now)
        if len(beats) == 2:
            two.set()

    async def nothing(_now: datetime) -> None:
        return None

    worker = Worker(
        poll=nothing,
        drain=nothing,
        poll_seconds=3600,
        drain_seconds=3600,
        heartbeat=heartbeat,
        heartbeat_seconds=0.05,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    await asyncio.wait_for(two.wait(), 10)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert beats[0] < beats[1]


async def test_a_polling_worker_serves_health_that_tells_the_truth(
    tmp_path: Path, database_url: str
) -> None:
    """No inbound route (polling, no webhook): /healthz and /metrics are served anyway;
    503 with the reason when the sources were not polled lately or the database is gone."""
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(tmp_path,), poll_seconds=3600),  # one poll, at start
        http=HttpConfig(port=0),
    )
    app = App.create(config, transports={"console": ConsoleTransport(io.StringIO())})
    steady = [1000.0]
    app.monotonic = lambda: steady[0]

    async def health() -> tuple[int, dict[str, object]]:
        assert app.http is not None
        url = f"http://127.0.0.1:{app.http.port}/healthz"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status, await response.json()

    try:
        async with running(app, http=True):
            await eventually(lambda: app.last_poll is not None)
            status, body = await health()
            assert status == 200 and body["database"] == "ok"
            steady[0] = 1000.0 + 4 * 3600  # four intervals without a poll (the clock is ours)
            app.last_poll = 1000.0
            status, body = await health()
            assert status == 503 and "no poll finished for 14400 s" in str(body["polling"])
            steady[0] = app.last_poll = 5000.0
            gone = connect("postgresql+psycopg://nobody@127.0.0.1:1/readout")
            engine, app.store.engine = app.store.engine, gone
            try:
                status, body = await health()
            finally:
                app.store.engine = engine
            assert status == 503 and body["status"] == "unhealthy"
            assert "127.0.0.1" in str(body["database"]) or "refused" in str(body["database"])
    finally:
        app.close()


async def test_metrics_parse_and_count_what_the_worker_did(
    tmp_path: Path, database_url: str
) -> None:
    """/metrics in Prometheus's text format (read back with prometheus_client's parser):
    at least ten families, the alert counted as sent on its platform, the poll timed."""
    from prometheus_client.parser import text_string_to_metric_families

    folder = tmp_path / "reports"
    folder.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(folder,), poll_seconds=0.1),
        outbox=OutboxConfig(drain_seconds=0.1),
        http=HttpConfig(port=0),
    )
    out = io.StringIO()
    app = App.create(config, transports={"console": ConsoleTransport(out)})
    app.commands.handle(Command(console_chat("desk"), "subscribe", "Pakistan"), NOW)
    shutil.copy(SEED, folder)
    try:
        async with running(app, http=True):
            await eventually(lambda: sent_once(app))
            assert app.http is not None
            url = f"http://127.0.0.1:{app.http.port}/metrics"
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                text = await response.text()
    finally:
        app.close()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert len(families) >= 10
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for f in families.values()
        for s in f.samples
    }
    assert samples[("readout_alerts_sent_total", (("platform", "console"),))] == 1
    assert samples[("readout_reports_ingested_total", (("kind", "folder"),))] == 1
    assert samples[("readout_subscriptions", ())] == 1
    assert samples[("readout_deliveries", (("status", "sent"),))] == 1
    polled = [v for (name, _), v in samples.items() if name == "readout_poll_seconds_count"]
    assert polled and polled[0] >= 1, sorted(samples)
