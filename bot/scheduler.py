"""The worker's schedule: an APScheduler `AsyncIOScheduler` with one job that polls the
sources and one that drains the outbox, each never overlapping itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


class Worker:
    def __init__(
        self,
        *,
        poll: Callable[[datetime], Awaitable[Any]],
        drain: Callable[[datetime], Awaitable[Any]],
        poll_seconds: float,
        drain_seconds: float,
    ) -> None:
        self._poll = poll
        self._drain = drain
        self.poll_seconds = poll_seconds
        self.drain_seconds = drain_seconds

    async def poll_job(self) -> None:
        try:
            await self._poll(datetime.now(UTC))
        except Exception:
            log.exception("polling the sources failed; the next run will try again")

    async def drain_job(self) -> None:
        try:
            await self._drain(datetime.now(UTC))
        except Exception:
            log.exception("draining the outbox failed; the next run will try again")

    def build(self) -> AsyncIOScheduler:
        scheduler = AsyncIOScheduler(timezone=UTC)
        now = datetime.now(UTC)
        common: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
        scheduler.add_job(
            self.poll_job,
            "interval",
            seconds=self.poll_seconds,
            id="poll-sources",
            next_run_time=now,
            **common,
        )
        scheduler.add_job(
            self.drain_job,
            "interval",
            seconds=self.drain_seconds,
            id="drain-outbox",
            next_run_time=now + timedelta(seconds=min(1.0, self.drain_seconds)),
            **common,
        )
        return scheduler

    async def run(self, stop: asyncio.Event) -> None:
        scheduler = self.build()
        scheduler.start()
        log.info(
            "worker running: polling sources every %ss, draining the outbox every %ss",
            self.poll_seconds,
            self.drain_seconds,
        )
        try:
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
            log.info("worker stopped")
