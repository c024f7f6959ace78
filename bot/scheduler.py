"""The worker's schedule: an APScheduler `AsyncIOScheduler` with one job that polls the
sources, one that drains the outbox and one that renews the leases of the alerts being
sent (the heartbeat), each never overlapping itself.

A stop stops: `on_stop` is called first (a poll in a thread ends after its current
document, a drain sends nothing more), no job starts after it, and the jobs under way are
waited for, up to `grace` seconds, before the scheduler shuts down (which cancels what is
left): an alert is not cut off mid-send, a poll commits what it has read."""

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
        heartbeat: Callable[[datetime], Awaitable[Any]] | None = None,
        heartbeat_seconds: float = 5.0,
        on_stop: Callable[[], None] = lambda: None,
        grace: float = 5.0,
    ) -> None:
        self._poll = poll
        self._drain = drain
        self._heartbeat = heartbeat
        self.poll_seconds = poll_seconds
        self.drain_seconds = drain_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self._on_stop = on_stop
        self.grace = grace
        self._running: set[asyncio.Task[Any]] = set()

    async def _tracked(self, job: Callable[[datetime], Awaitable[Any]], what: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await job(datetime.now(UTC))
        except Exception:
            log.exception("%s failed; the next run will try again", what)
        finally:
            if task is not None:
                self._running.discard(task)

    async def poll_job(self) -> None:
        await self._tracked(self._poll, "polling the sources")

    async def drain_job(self) -> None:
        await self._tracked(self._drain, "draining the outbox")

    async def heartbeat_job(self) -> None:
        if self._heartbeat is not None:
            await self._tracked(self._heartbeat, "renewing the leases of alerts being sent")

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
        if self._heartbeat is not None:
            scheduler.add_job(
                self.heartbeat_job,
                "interval",
                seconds=self.heartbeat_seconds,
                id="heartbeat",
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
            self._on_stop()
            scheduler.pause()
            running = [task for task in self._running if not task.done()]
            if running:
                log.info("stopping: waiting for %d job(s) under way", len(running))
                await asyncio.wait(running, timeout=self.grace)
            scheduler.shutdown(wait=False)
            log.info("worker stopped")
