"""The one place that builds Readout and connects its parts: storage, gazetteer, sources,
ingestion, outbox, transports, commands and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import aiohttp

from bot.config import Config
from bot.errors import ConfigError, PlatformError
from bot.extract import Gazetteer
from bot.httpserver import HttpServer
from bot.knowledge import load_gazetteer
from bot.metrics import Metrics
from bot.models import SourceState
from bot.outbox import DrainResult, Outbox
from bot.pipeline import Ingested, Ingestor, IngestSummary
from bot.ports import Transport
from bot.readers import ProcessReader
from bot.reports import RawDocument
from bot.scheduler import Worker
from bot.sources import FolderSource, Problem
from bot.sources.outbound import public_session
from bot.sources.rss import RssSource
from bot.sources.webhook import PATH as REPORTS_PATH
from bot.sources.webhook import ReportWebhook
from handlers.commands import CommandService
from handlers.console import ConsoleTransport
from handlers.slack import EVENTS_PATH, SlackBot
from handlers.telegram import WEBHOOK_PATH, TelegramBot
from storage import SqlStore, connect, upgrade

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@functools.cache
def tune_collector() -> None:
    """Set Python's cyclic garbage collector for a worker, once the gazetteer is loaded.
    What is loaded by then (the gazetteer's 190,000 objects, the modules) lives as long as
    the process: frozen, no full collection walks it again. A poll's reports and their
    alerts (hundreds a report) are small objects that live until the batch is stored:
    with the default threshold (a young collection every 700 objects) the collector took
    a fifth of ingestion's time with 10,000 subscriptions, with 50,000 it takes 5%
    (`benchmarks/ingest.py`). The memory it lets wait is a few megabytes. Once a process;
    what is unreachable then is collected first, not kept."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


@dataclass
class App:
    config: Config
    store: SqlStore
    gazetteer: Gazetteer
    sources: list[FolderSource]
    feeds: list[RssSource]
    ingestor: Ingestor
    outbox: Outbox
    commands: CommandService
    telemetry: Metrics
    transports: dict[str, Transport] = field(default_factory=dict)
    telegram: TelegramBot | None = None
    slack: SlackBot | None = None
    http: HttpServer | None = None
    platform_retry_seconds: float = 60.0  # first wait before starting a failed platform again
    # Set when the worker is told to stop: ingestion in threads stops between documents.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Feeds being fetched on their own (the worker's polls do not wait for them).
    _feeds_in_flight: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    _storing: asyncio.Lock | None = None  # one feed stores at a time
    # Seconds on a steady clock (injected by tests), for /healthz: when the worker was
    # made, and when its last poll of the folders finished.
    monotonic: Callable[[], float] = time.monotonic
    started: float | None = None
    last_poll: float | None = None

    @classmethod
    def create(cls, config: Config, *, transports: dict[str, Transport] | None = None) -> App:
        """Connect to the database (migrating it to the latest schema) and wire everything."""
        engine = connect(config.database.url)
        upgrade(engine)
        store = SqlStore(engine)
        gazetteer = load_gazetteer()
        gazetteer.officeholders.index_sounds()
        tune_collector()
        commands = CommandService(store, gazetteer, config.limits, config.digests)
        transports = dict(transports or {"console": ConsoleTransport()})
        telegram = None
        if config.secrets.telegram_token:
            telegram = TelegramBot(
                config.secrets.telegram_token,
                commands,
                store,
                base_url=config.telegram.base_url,
                mode=config.telegram.mode,
                webhook_url=config.telegram.webhook_url,
                link_previews=config.telegram.link_previews,
            )
            transports.setdefault("telegram", telegram.transport)
        slack = None
        if config.secrets.slack_bot_token:
            slack = SlackBot(
                config.secrets.slack_bot_token,
                commands,
                store,
                api_url=config.slack.api_url,
                app_token=config.secrets.slack_app_token,
                signing_secret=config.secrets.slack_signing_secret,
            )
            transports.setdefault("slack", slack.transport)
        stopping = threading.Event()
        metrics = Metrics(store)
        sources = [
            FolderSource(
                folder,
                max_bytes=config.sources.max_file_bytes,
                home_country=config.sources.home_country,
                store=store,
                outlet=config.sources.outlet or None,
                tier=config.sources.tier or None,
            )
            for folder in config.sources.resolved_folders()
        ]
        return cls(
            config=config,
            store=store,
            gazetteer=gazetteer,
            sources=sources,
            feeds=[
                RssSource(feed, store, config.sources.fetch_limits())
                for feed in config.sources.feeds
            ],
            ingestor=Ingestor(
                store,
                gazetteer,
                config.clustering,
                config.digests,
                ProcessReader(config.sources.readers) if config.sources.readers > 1 else None,
                link_allowed=config.sources.fetch_limits().policy.allows,
            ),
            outbox=Outbox(
                store, transports, gazetteer, config.outbox, stop=stopping.is_set, metrics=metrics
            ),
            telemetry=metrics,
            stopping=stopping,
            commands=commands,
            transports=transports,
            telegram=telegram,
            slack=slack,
        )

    def poll_sources(self, now: datetime | None = None) -> IngestSummary:
        """Read every folder once and ingest what is new (feeds: see `poll_all`)."""
        now = now or utcnow()
        summary = IngestSummary()
        for source in self.sources:
            items: list[RawDocument | Problem] = []
            began = time.monotonic()
            try:
                items = list(source.poll())
                part = self.ingestor.ingest(items, now, stop=self.stopping.is_set)
                self._remember(source.name, source.kind, str(source.folder), items, part, now)
                source.forget(part.failed_keys)  # tried again at the next poll
            except Exception:  # a broken source must not stop the others
                log.exception("source %s failed", source.name)
                source.forget(i.entry_key for i in items if i.entry_key)
                continue
            finally:
                self.telemetry.poll_seconds.labels(source.name).observe(time.monotonic() - began)
            summary.merge(part)
        if summary.ingested or summary.problems:
            log.info("poll: %s", summary.line())
        return summary

    async def poll_all(self, now: datetime | None = None) -> IngestSummary:
        """Folders, then every feed that is due, concurrently; one failure stops nothing.
        Among several workers sharing PostgreSQL, one polls at a time."""
        with self.store.job_lock("poll-sources") as mine:
            if not mine:
                log.debug("another worker is polling the sources")
                return IngestSummary()
            return await self._poll_all(now or utcnow())

    async def _poll_all(self, now: datetime) -> IngestSummary:
        summary = await asyncio.to_thread(self.poll_sources, now)
        due = [feed for feed in self.feeds if await asyncio.to_thread(feed.due, now)]
        if not due:
            return summary
        # Feeds are fetched at once and each is stored as soon as it arrives: a hanging feed
        # delays nobody else's reports.
        async with public_session(self.config.sources.fetch_limits().policy) as session:
            await asyncio.gather(*(self._poll_feed(feed, session, now, summary) for feed in due))
        return summary

    async def poll_scheduled(self, now: datetime) -> None:
        """The worker's poll: the folders now, and each due feed in a task of its own that
        later polls do not wait for, so a feed that hangs delays no folder and no other
        feed; a feed still being fetched is not started again. Among several workers one
        polls at a time."""
        with self.store.job_lock("poll-sources") as mine:
            if not mine:
                log.debug("another worker is polling the sources")
                self.last_poll = self.monotonic()  # another polls: this one is well
                return
            await asyncio.to_thread(self.poll_sources, now)
            self.last_poll = self.monotonic()
            for feed in self.feeds:
                running = self._feeds_in_flight.get(feed.name)
                if running is not None and not running.done():
                    continue
                if await asyncio.to_thread(feed.due, now):
                    task = asyncio.create_task(self._poll_feed_alone(feed, now))
                    self._feeds_in_flight[feed.name] = task

    async def _poll_feed_alone(self, feed: RssSource, now: datetime) -> None:
        async with public_session(self.config.sources.fetch_limits().policy) as session:
            summary = IngestSummary()
            await self._poll_feed(feed, session, now, summary)
        if summary.ingested or summary.problems:
            log.info("feed %s: %s", feed.name, summary.line())

    async def _poll_feed(
        self,
        feed: RssSource,
        session: aiohttp.ClientSession,
        now: datetime,
        summary: IngestSummary,
    ) -> None:
        """One feed fetched and its reports stored (one feed stores at a time: one writer)."""
        began = time.monotonic()
        try:
            result = await feed.poll(session, now)
        except Exception as exc:  # a feed's bug must not stop the others
            log.error("feed %s failed unexpectedly: %s", feed.name, exc)
            return
        if self._storing is None:
            self._storing = asyncio.Lock()
        async with self._storing:
            part = await asyncio.to_thread(self.ingestor.ingest, result, now, self.stopping.is_set)
            await asyncio.to_thread(
                self._remember, feed.name, feed.kind, feed.feed.url, result, part, now
            )
        self.telemetry.poll_seconds.labels(feed.name).observe(time.monotonic() - began)
        summary.merge(part)

    def ingest_one(self, raw: RawDocument, now: datetime | None = None) -> Ingested:
        """One pushed report (the webhook): parsed, matched, stored, alerts queued."""
        now = now or utcnow()
        return self.ingestor.ingest_one(raw, self.ingestor.index(), now)

    def _remember(
        self,
        name: str,
        kind: str,
        location: str,
        items: Sequence[RawDocument | Problem],
        part: IngestSummary,
        now: datetime,
    ) -> None:
        """Mark handed-over entries as seen (unreadable ones too: reported once; not those
        that failed on our side: tried again) and count."""
        keys = [i.entry_key for i in items if i.entry_key and i.entry_key not in part.failed_keys]
        self.store.mark_entries_seen(name, keys, now)
        state = self.store.source_state(name) or SourceState(name, kind, location)
        if kind == "folder":
            state = replace(
                state,
                last_poll_at=now,
                status="error" if part.problems and not part.ingested else "ok",
                last_error=part.problems[-1].reason if part.problems else state.last_error,
                entries_seen=state.entries_seen + len(keys),
            )
        self.store.save_source_state(
            replace(state, reports_ingested=state.reports_ingested + len(part.ingested))
        )
        self.telemetry.ingested.labels(kind).inc(len(part.ingested))

    async def drain(self, now: datetime | None = None) -> DrainResult:
        result = await self.outbox.drain_once(now or utcnow())
        if result.handled:
            log.info(
                "outbox: %d sent, %d waiting for their chat's turn, %d to retry, %d failed",
                result.sent,
                result.waiting,
                result.retried,
                result.failed,
            )
        return result

    async def drain_settled(self, patience: float = 60.0) -> DrainResult:
        """Drain, and again while alerts wait for their chat's turn under the platforms'
        limits, for at most `patience` seconds: for `run --once` and the console chat,
        which have no scheduler to come back later. What still waits is sent next time."""
        total = DrainResult()
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            result = await self.drain()
            total.sent += result.sent
            total.retried += result.retried
            total.failed += result.failed
            total.waiting, total.next_turn = result.waiting, result.next_turn
            if result.next_turn is None or asyncio.get_running_loop().time() >= deadline:
                return total
            await asyncio.sleep(max((result.next_turn - utcnow()).total_seconds(), 0.0))

    async def run(self, stop: asyncio.Event) -> None:
        """The long-running worker: chat platforms, their inbound HTTP routes, scheduled
        polling and delivery, in one asyncio process until `stop` is set."""
        self.started = self.monotonic()
        worker = Worker(
            poll=self.poll_scheduled,
            drain=self.drain,
            poll_seconds=self.config.sources.poll_seconds,
            drain_seconds=self.config.outbox.drain_seconds,
            heartbeat=self.outbox.heartbeat,
            # Three renewals within a lease: one lost to a slow database costs nothing.
            heartbeat_seconds=self.config.outbox.lease_seconds / 3,
            # First of all: a poll in a thread ends after its current document, a drain
            # sends nothing more.
            on_stop=self.stopping.set,
        )
        http = HttpServer(self.config.http.host, self.config.http.port, self.metrics, self.health)
        retries: list[asyncio.Task[None]] = []
        try:
            if self.telegram is not None:
                if self.telegram.mode == "webhook":
                    http.add_post(WEBHOOK_PATH, self.telegram.webhook)
                if not await self._start("Telegram", self.telegram.start):
                    retries.append(
                        asyncio.create_task(
                            self._keep_starting("Telegram", self.telegram.start, stop)
                        )
                    )
            if self.slack is not None:
                slack = self.slack
                if slack.mode == "http":
                    http.add_post(EVENTS_PATH, slack.events)
                if not await self._start("Slack", slack.start):
                    slack.transport.disabled = "Slack did not start: see the log"

                    def slack_up() -> None:
                        slack.transport.disabled = None

                    retries.append(
                        asyncio.create_task(
                            self._keep_starting("Slack", slack.start, stop, on_up=slack_up)
                        )
                    )
            if self.config.secrets.webhook_token:
                webhook = ReportWebhook(
                    self.config.secrets.webhook_token,
                    self.config.webhook.max_bytes,
                    self.ingest_one,
                )
                http.add_post(REPORTS_PATH, webhook.handle)
            self.http = http
            if len(http.routes) > 2:  # inbound routes: the worker is nothing without them
                await http.start()
            else:  # /healthz and /metrics only: a busy port is said, and the worker goes on
                try:
                    await http.start()
                except ConfigError as exc:
                    log.error("%s (no health or metrics endpoint)", exc)
                    self.http = None
            await worker.run(stop)
        finally:
            for task in retries:
                task.cancel()
            for task in self._feeds_in_flight.values():
                # A fetch is cut off; a feed being stored finishes in its thread (stopping
                # between documents), and what was not marked read is read again next start.
                task.cancel()
            if self.http is not None:
                await self.http.stop()
            if self.slack is not None:
                await self.slack.stop()
            if self.telegram is not None:
                await self.telegram.stop()

    async def _start(self, platform: str, start: Callable[[], Awaitable[None]]) -> bool:
        """Start one chat platform; a failure is loud but stops only that platform."""
        try:
            await start()
        except (ConfigError, PlatformError) as exc:
            log.critical("%s is not running: %s. The worker goes on without it.", platform, exc)
            return False
        return True

    async def _keep_starting(
        self,
        platform: str,
        start: Callable[[], Awaitable[None]],
        stop: asyncio.Event,
        on_up: Callable[[], None] | None = None,
    ) -> None:
        """Try again to start a platform that failed, backing off, until it is up."""
        delay = self.platform_retry_seconds
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
                return  # stopping
            try:
                await start()
            except (ConfigError, PlatformError) as exc:
                delay = min(delay * 2, 1800.0)
                log.error("%s still not running (%s); next try in %.0fs", platform, exc, delay)
                continue
            log.info("%s is running now", platform)
            if on_up is not None:
                on_up()
            return

    def health(self) -> tuple[bool, dict[str, object]]:
        """Healthy when the database answers and the sources were polled lately (within
        three poll intervals, at least two minutes; a worker just started has that long):
        what /healthz and `readout health` say."""
        checked: dict[str, object] = {}
        healthy = True
        try:
            self.store.ping()
            checked["database"] = "ok"
        except Exception as exc:  # any driver error: the reason is the answer
            healthy = False
            checked["database"] = str(exc).strip().splitlines()[0][:200]
        allowed = max(3 * self.config.sources.poll_seconds, 120.0)
        if self.started is None:
            self.started = self.monotonic()
        since = self.monotonic() - (self.last_poll or self.started)
        checked["last_poll_seconds_ago"] = round(since, 1) if self.last_poll else None
        if since > allowed:
            healthy = False
            checked["polling"] = f"no poll finished for {since:.0f} s (allowed {allowed:.0f} s)"
        return healthy, checked

    def metrics(self) -> str:
        """Prometheus text: what the worker counted, and what the database holds now."""
        return self.telemetry.text()

    def close(self) -> None:
        if self.ingestor.reader is not None:
            self.ingestor.reader.close()
        self.store.engine.dispose()
