"""The one place that builds Readout and connects its parts: storage, gazetteer, sources,
ingestion, outbox, transports, commands and the scheduler."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Config
from bot.errors import ConfigError
from bot.extract import Gazetteer, load_gazetteer
from bot.httpserver import HttpServer
from bot.outbox import DrainResult, Outbox
from bot.pipeline import Ingestor, IngestSummary
from bot.ports import Transport
from bot.scheduler import Worker
from bot.sources import FolderSource
from handlers.commands import CommandService
from handlers.console import ConsoleTransport
from handlers.slack import EVENTS_PATH, SlackBot
from handlers.telegram import WEBHOOK_PATH, TelegramBot
from storage import SqlStore, connect, upgrade

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    config: Config
    store: SqlStore
    gazetteer: Gazetteer
    sources: list[FolderSource]
    ingestor: Ingestor
    outbox: Outbox
    commands: CommandService
    transports: dict[str, Transport] = field(default_factory=dict)
    telegram: TelegramBot | None = None
    slack: SlackBot | None = None
    http: HttpServer | None = None

    @classmethod
    def create(cls, config: Config, *, transports: dict[str, Transport] | None = None) -> App:
        """Connect to the database (migrating it to the latest schema) and wire everything."""
        engine = connect(config.database.url)
        upgrade(engine)
        store = SqlStore(engine)
        gazetteer = load_gazetteer()
        commands = CommandService(store, gazetteer, config.limits)
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
        sources = [
            FolderSource(
                folder,
                max_bytes=config.sources.max_file_bytes,
                home_country=config.sources.home_country,
            )
            for folder in config.sources.resolved_folders()
        ]
        return cls(
            config=config,
            store=store,
            gazetteer=gazetteer,
            sources=sources,
            ingestor=Ingestor(store, gazetteer),
            outbox=Outbox(store, transports, gazetteer, config.outbox),
            commands=commands,
            transports=transports,
            telegram=telegram,
            slack=slack,
        )

    def poll_sources(self, now: datetime | None = None) -> IngestSummary:
        """Read every source once and ingest what is new."""
        now = now or utcnow()
        summary = IngestSummary()
        for source in self.sources:
            try:
                part = self.ingestor.ingest(source.poll(), now)
            except Exception:  # a broken source must not stop the others
                log.exception("source %s failed", source.name)
                continue
            summary.ingested += part.ingested
            summary.duplicates += part.duplicates
            summary.problems += part.problems
        if summary.ingested or summary.problems:
            log.info("poll: %s", summary.line())
        return summary

    async def drain(self, now: datetime | None = None) -> DrainResult:
        result = await self.outbox.drain_once(now or utcnow())
        if result.handled:
            log.info(
                "outbox: %d sent, %d to retry, %d failed",
                result.sent,
                result.retried,
                result.failed,
            )
        return result

    async def run(self, stop: asyncio.Event) -> None:
        """The long-running worker: chat platforms, their inbound HTTP routes, scheduled
        polling and delivery, in one asyncio process until `stop` is set."""
        worker = Worker(
            poll=self.poll_sources,
            drain=self.drain,
            poll_seconds=self.config.sources.poll_seconds,
            drain_seconds=self.config.outbox.drain_seconds,
        )
        http = HttpServer(self.config.http.host, self.config.http.port)
        try:
            if self.telegram is not None:
                await self.telegram.start()
                if self.telegram.mode == "webhook":
                    http.add_post(WEBHOOK_PATH, self.telegram.webhook)
            if self.slack is not None:
                try:
                    await self.slack.start()
                except ConfigError as exc:
                    # A bad Slack token stops the Slack side only; the rest keeps working.
                    log.critical("%s", exc)
                    self.slack.transport.disabled = str(exc)
                else:
                    if self.slack.mode == "http":
                        http.add_post(EVENTS_PATH, self.slack.events)
            if len(http.routes) > 1:
                self.http = http
                await http.start()
            await worker.run(stop)
        finally:
            if self.http is not None:
                await self.http.stop()
            if self.slack is not None:
                await self.slack.stop()
            if self.telegram is not None:
                await self.telegram.stop()

    def close(self) -> None:
        self.store.engine.dispose()
