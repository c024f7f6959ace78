"""The outbox: claim due deliveries, render, send through the chat's transport, and record
the outcome (sent; retried after `retry_after` or a backoff; failed; chat retired).
Every storage call runs in a thread: the event loop (Telegram's and Slack's clients, the
HTTP server) never waits on SQL.

Times are read from the outbox's clock at the moment they matter, not from the start of
the drain: a claim's lease counts from the claim, is renewed before each send, and a
`retry_after` counts from the moment the error arrived. An alert whose chat cannot take
a message yet under the platform's limits goes back in the queue until the chat's turn
(`NotYourTurn`), and the drain goes on to other chats. Each drain marks what it claims
with a token of its own and sends only what it still holds, so a worker whose lease ran
out while it waited on a rate limit never sends what another worker has taken since. A
heartbeat renews the leases of the drains under way, so the lease is short and a killed
worker's alerts are due again within it; a drain that ends (stopped, cancelled, failed)
gives back what it still holds at once."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import OutboxConfig
from bot.digest import DigestItem, followed_sides
from bot.digest import render as render_digest
from bot.errors import DeliveryError, NotYourTurn
from bot.extract import Gazetteer
from bot.match import highlights
from bot.metrics import Metrics
from bot.models import Chat, Delivery, DeliveryMode, Message
from bot.ports import Store, Transport
from bot.query import from_json
from bot.summarize import card, render_plain

log = logging.getLogger(__name__)
DIGEST_MAX_CHARS = 3500  # within Telegram's 4,096 and Slack's section limits


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0  # given back until their chat's turn under the platform's limits
    next_turn: datetime | None = None  # the first of those turns

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def backoff(attempts: int, config: OutboxConfig) -> float:
    """Seconds to wait after the `attempts`-th failed try: exponential, capped."""
    return float(
        min(config.backoff_seconds * 2 ** max(attempts - 1, 0), config.backoff_max_seconds)
    )


@dataclass
class _Drain:
    """One drain's clock, claim token and running counts."""

    clock: Callable[[], datetime]
    token: str
    result: DrainResult


class Outbox:
    def __init__(
        self,
        store: Store,
        transports: Mapping[str, Transport],
        gazetteer: Gazetteer,
        config: OutboxConfig,
        clock: Callable[[], datetime] | None = None,
        stop: Callable[[], bool] = lambda: False,
        metrics: Metrics | None = None,
    ) -> None:
        """`clock` tells the time as the outbox goes; without one, time runs on from each
        drain's `now` as the drain takes real time (tests inject a clock instead). `stop`
        turns true when the worker is stopping: a drain sends nothing more and gives back
        what it holds."""
        self.store = store
        self.transports = transports
        self.gazetteer = gazetteer
        self.config = config
        self.clock = clock
        self.stop = stop
        self.metrics = metrics  # alerts sent, retried, failed, 429s, send latency
        self._holding: set[str] = set()  # the tokens of the drains under way

    async def drain_once(self, now: datetime) -> DrainResult:
        """Send what is due, one claimed batch at a time, until nothing is due or the
        worker stops; then give back whatever this drain still holds (a stop, a
        cancellation, an error), due at once for the next worker instead of after its
        lease."""
        started = time.monotonic()
        clock = self.clock or (lambda: now + timedelta(seconds=time.monotonic() - started))
        token = uuid.uuid4().hex
        drain = _Drain(clock, token, DrainResult())
        self._holding.add(token)
        try:
            await self._drain(drain)
        finally:
            self._holding.discard(token)
            released = await asyncio.to_thread(self.store.release_claims, token, clock())
            if released:
                log.info("gave back %d claimed alert(s), due at once", released)
        return drain.result

    async def heartbeat(self, now: datetime) -> int:
        """Renew the lease of everything the drains under way hold, so that the lease can
        be short (a dead worker's alerts are due again soon) without another worker taking
        what a live one is about to send; return how many."""
        until = now + timedelta(seconds=self.config.lease_seconds)
        renewed = 0
        for token in list(self._holding):
            renewed += await asyncio.to_thread(self.store.renew_claims, token, until)
        return renewed

    async def _drain(self, drain: _Drain) -> None:
        clock, token = drain.clock, drain.token
        await self._notices(drain)
        while not self.stop():
            batch = await asyncio.to_thread(
                self.store.claim_due,
                clock(),
                limit=self.config.batch_size,
                lease_seconds=self.config.lease_seconds,
                token=token,
            )
            if not batch:
                return
            by_chat: dict[int, list[Delivery]] = {}
            for delivery in batch:
                by_chat.setdefault(delivery.chat_id, []).append(delivery)
            chats = {
                chat_id: await asyncio.to_thread(self.store.get_chat, chat_id)
                for chat_id in by_chat
            }
            digested: set[int] = set()
            # In the order claimed (round robin across chats): one chat's backlog waits its
            # turn behind every other chat's next alert.
            for delivery in batch:
                if self.stop():
                    return  # the rest is given back
                chat = chats[delivery.chat_id]
                if chat is None or not delivery.batch:
                    await self._deliver([delivery], drain)
                    continue
                if chat.id in digested:
                    continue
                digested.add(chat.id)
                # Held alerts (a digest, the end of quiet hours) go as one message: take
                # all that is due for this chat.
                deliveries = by_chat[chat.id]
                while more := await asyncio.to_thread(
                    self.store.claim_due,
                    clock(),
                    limit=self.config.batch_size,
                    lease_seconds=self.config.lease_seconds,
                    chat_id=chat.id,
                    token=token,
                ):
                    deliveries += more
                await self._deliver(deliveries, drain, digest=True)

    async def _notices(self, drain: _Drain) -> None:
        """Readout's own timed messages ("Pakistan is no longer muted"), each once."""
        notices = await asyncio.to_thread(
            self.store.claim_notices,
            drain.clock(),
            limit=self.config.batch_size,
            lease_seconds=self.config.lease_seconds,
        )
        for notice in notices:
            chat = await asyncio.to_thread(self.store.get_chat, notice.chat_id)
            transport = self.transports.get(chat.platform) if chat and chat.active else None
            if chat is None or not chat.active:
                await asyncio.to_thread(self.store.notice_done, notice.id)
                continue
            if transport is None:
                continue  # another worker may have the platform; due again after the lease
            try:
                await transport.send(chat, Message(text=notice.text))
            except NotYourTurn as exc:
                await asyncio.to_thread(self.store.notice_later, notice.id, exc.at)
                continue
            except DeliveryError as exc:
                if exc.permanent:
                    await asyncio.to_thread(self.store.notice_done, notice.id)
                else:
                    wait = exc.retry_after if exc.retry_after is not None else 60.0
                    later = drain.clock() + timedelta(seconds=wait)
                    await asyncio.to_thread(self.store.notice_later, notice.id, later)
                continue
            await asyncio.to_thread(self.store.notice_done, notice.id)
            drain.result.sent += 1

    def message_for(self, delivery: Delivery) -> Message | None:
        stored = self.store.get_report(delivery.report_id)
        if stored is None:
            return None
        others: dict[str, str | None] = {}  # outlet -> link, in the order they reported
        if stored.cluster_id is not None:
            own = stored.report.outlet_name
            for rid, outlet, url in self.store.cluster_sources(stored.cluster_id):
                if rid != stored.id and outlet and outlet != own and outlet not in others:
                    others[outlet] = url
        fired = [
            from_json(s.compiled)
            for s in self.store.list_subscriptions(delivery.chat_id)
            if s.id in delivery.subscription_ids
        ]
        c = card(
            stored.id,
            stored.report,
            stored.annotations,
            self.gazetteer,
            matched=delivery.matched_terms,
            also_reported_by=tuple(others),
            also_links=tuple(others.values()),
            subscription_ids=delivery.subscription_ids,
            highlights=highlights(fired, stored.annotations),
        )
        return Message(text=render_plain(c), card=c)

    def digest_for(self, chat: Chat, deliveries: list[Delivery]) -> Message | None:
        """A daily or weekly chat's held alerts as one digest message."""
        items = []
        for delivery in deliveries:
            stored = self.store.get_report(delivery.report_id)
            if stored is not None:
                items.append(DigestItem(stored, delivery.matched_terms))
        if not items:
            return None
        if chat.delivery_mode is DeliveryMode.INSTANT:  # quiet hours, or a daily subscription
            title = f"Held for you: {len(items)} meeting report(s)"
        else:
            period = "daily" if chat.delivery_mode is DeliveryMode.DAILY else "weekly"
            title = f"Your {period} Readout digest: {len(items)} meeting report(s)"
        # One message, never split: a resend after a failure then cannot post part twice.
        text = render_digest(
            title,
            items,
            self.gazetteer,
            max_chars=DIGEST_MAX_CHARS,
            more_hint=": /digest lists them all",
            by_pair=True,
            followed=followed_sides(
                [from_json(s.compiled) for s in self.store.list_subscriptions(chat.id)]
            ),
        )
        return Message(text=text)

    async def _deliver(
        self,
        deliveries: list[Delivery],
        drain: _Drain,
        *,
        digest: bool = False,
    ) -> None:
        """Send one message for `deliveries` (one alert, or one chat's digest) and record
        the outcome on each of them, if this drain still holds them."""
        result = drain.result
        until = drain.clock() + timedelta(seconds=self.config.lease_seconds)
        held = set(
            await asyncio.to_thread(
                self.store.renew_claim, [d.id for d in deliveries], drain.token, until
            )
        )
        if len(held) < len(deliveries):
            log.info("%d alert(s) were taken by another worker", len(deliveries) - len(held))
            deliveries = [d for d in deliveries if d.id in held]
            if not deliveries:
                return
        chat = await asyncio.to_thread(self.store.get_chat, deliveries[0].chat_id)
        if chat is None or not chat.active:
            await asyncio.to_thread(self._fail, deliveries, "the chat was retired", result)
            return
        transport = self.transports.get(chat.platform)
        if transport is None:
            # Keep them: the operator may configure the platform; say so in the rows.
            error = f"no {chat.platform} transport is configured in this worker"
            await asyncio.to_thread(
                self._retry_or_fail, deliveries, error, None, drain.clock(), result
            )
            return
        if digest and len(deliveries) > 1:  # a digest of one is the alert itself
            message = await asyncio.to_thread(self.digest_for, chat, deliveries)
        else:
            message = await asyncio.to_thread(self.message_for, deliveries[0])
        if message is None:
            await asyncio.to_thread(self._fail, deliveries, "the report no longer exists", result)
            return
        counted = (result.sent, result.retried, result.failed)
        started = time.monotonic()
        try:
            await transport.send(chat, message)
        except NotYourTurn as exc:
            # The chat's turn is later: back in the queue until then, not a failed try.
            for delivery in deliveries:
                await asyncio.to_thread(self.store.postpone, delivery.id, exc.at)
            result.waiting += len(deliveries)
            if result.next_turn is None or exc.at < result.next_turn:
                result.next_turn = exc.at
            return
        except DeliveryError as exc:
            if self.metrics is not None and exc.retry_after is not None:
                self.metrics.rate_limited.labels(chat.platform).inc()
            if exc.retire_chat:
                cancelled = await asyncio.to_thread(
                    self.store.retire_chat, chat.id, str(exc), drain.clock()
                )
                log.warning(
                    "retired %s chat %s: %s (%d pending cancelled)",
                    chat.platform,
                    chat.external_id,
                    exc,
                    cancelled,
                )
                await asyncio.to_thread(self._fail, deliveries, str(exc), result)
            elif exc.permanent:
                log.error("alert to %s failed for good: %s", chat.external_id, exc)
                await asyncio.to_thread(self._fail, deliveries, str(exc), result)
            else:
                # A retry_after counts from now, the moment the platform said it.
                await asyncio.to_thread(
                    self._retry_or_fail,
                    deliveries,
                    str(exc),
                    exc.retry_after,
                    drain.clock(),
                    result,
                )
            self._count(chat.platform, counted, result)
            return
        except Exception as exc:  # a transport bug must not lose the alert
            log.exception("alert to %s: unexpected transport error", chat.external_id)
            await asyncio.to_thread(
                self._retry_or_fail,
                deliveries,
                f"unexpected error: {exc}",
                None,
                drain.clock(),
                result,
            )
            self._count(chat.platform, counted, result)
            return
        if self.metrics is not None:
            self.metrics.send_seconds.labels(chat.platform).observe(time.monotonic() - started)
        sent_at = drain.clock()
        for delivery in deliveries:
            await asyncio.to_thread(self.store.mark_sent, delivery.id, sent_at)
            result.sent += 1
        self._count(chat.platform, counted, result)

    def _count(self, platform: str, before: tuple[int, int, int], result: DrainResult) -> None:
        """The alerts this send settled, in the metrics: sent, retried or failed."""
        if self.metrics is None:
            return
        sent, retried, failed = before
        self.metrics.sent.labels(platform).inc(result.sent - sent)
        self.metrics.retried.labels(platform).inc(result.retried - retried)
        self.metrics.failed.labels(platform).inc(result.failed - failed)

    def _fail(self, deliveries: list[Delivery], error: str, result: DrainResult) -> None:
        for delivery in deliveries:
            self.store.mark_failed(delivery.id, error)
            result.failed += 1

    def _retry_or_fail(
        self,
        deliveries: list[Delivery],
        error: str,
        retry_after: float | None,
        now: datetime,
        result: DrainResult,
    ) -> None:
        give_up = timedelta(hours=self.config.give_up_after_hours)
        for delivery in deliveries:
            queued = delivery.created_at or now
            if now - queued >= give_up:
                log.error(
                    "delivery %s gave up after %d attempts over %s: %s",
                    delivery.id,
                    delivery.attempts,
                    now - queued,
                    error,
                )
                self.store.mark_failed(
                    delivery.id,
                    f"gave up after {delivery.attempts} attempts in "
                    f"{self.config.give_up_after_hours:g} h: {error}",
                )
                result.failed += 1
                continue
            wait = (
                retry_after if retry_after is not None else backoff(delivery.attempts, self.config)
            )
            self.store.mark_retry(delivery.id, error, now + timedelta(seconds=wait))
            result.retried += 1
