"""The outbox: claim due deliveries, render, send through the chat's transport, and record
the outcome (sent; retried after `retry_after` or a backoff; failed; chat retired)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import OutboxConfig
from bot.errors import DeliveryError
from bot.extract import Gazetteer
from bot.models import Delivery, Message
from bot.ports import Store, Transport
from bot.summarize import card, render_plain

log = logging.getLogger(__name__)


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def backoff(attempts: int, config: OutboxConfig) -> float:
    """Seconds to wait after the `attempts`-th failed try: exponential, capped."""
    return float(
        min(config.backoff_seconds * 2 ** max(attempts - 1, 0), config.backoff_max_seconds)
    )


class Outbox:
    def __init__(
        self,
        store: Store,
        transports: Mapping[str, Transport],
        gazetteer: Gazetteer,
        config: OutboxConfig,
    ) -> None:
        self.store = store
        self.transports = transports
        self.gazetteer = gazetteer
        self.config = config

    async def drain_once(self, now: datetime) -> DrainResult:
        """Send what is due now, one claimed batch at a time, until nothing is due."""
        result = DrainResult()
        while True:
            batch = self.store.claim_due(
                now, limit=self.config.batch_size, lease_seconds=self.config.lease_seconds
            )
            if not batch:
                return result
            for delivery in batch:
                await self._deliver(delivery, now, result)

    def message_for(self, delivery: Delivery) -> Message | None:
        stored = self.store.get_report(delivery.report_id)
        if stored is None:
            return None
        others: tuple[str, ...] = ()
        if stored.cluster_id is not None:
            others = tuple(
                dict.fromkeys(
                    src
                    for rid, src in self.store.cluster_sources(stored.cluster_id)
                    if rid != stored.id and src != stored.report.source
                )
            )
        c = card(
            stored.id,
            stored.report,
            stored.annotations,
            self.gazetteer,
            matched=delivery.matched_terms,
            also_reported_by=others,
            subscription_ids=delivery.subscription_ids,
        )
        return Message(text=render_plain(c), card=c)

    async def _deliver(self, delivery: Delivery, now: datetime, result: DrainResult) -> None:
        chat = self.store.get_chat(delivery.chat_id)
        if chat is None or not chat.active:
            self.store.mark_failed(delivery.id, "the chat was retired")
            result.failed += 1
            return
        transport = self.transports.get(chat.platform)
        if transport is None:
            # Keep it: the operator may configure the platform; say so in the row.
            error = f"no {chat.platform} transport is configured in this worker"
            self._retry_or_fail(delivery, error, None, now, result)
            return
        message = self.message_for(delivery)
        if message is None:
            self.store.mark_failed(delivery.id, f"report {delivery.report_id} no longer exists")
            result.failed += 1
            return
        try:
            await transport.send(chat, message)
        except DeliveryError as exc:
            if exc.retire_chat:
                cancelled = self.store.retire_chat(chat.id, str(exc), now)
                log.warning(
                    "retired %s chat %s: %s (%d pending cancelled)",
                    chat.platform,
                    chat.external_id,
                    exc,
                    cancelled,
                )
                self.store.mark_failed(delivery.id, str(exc))
                result.failed += 1
            elif exc.permanent:
                log.error(
                    "delivery %s to %s failed for good: %s", delivery.id, chat.external_id, exc
                )
                self.store.mark_failed(delivery.id, str(exc))
                result.failed += 1
            else:
                self._retry_or_fail(delivery, str(exc), exc.retry_after, now, result)
            return
        except Exception as exc:  # a transport bug must not lose the delivery
            log.exception("delivery %s: unexpected transport error", delivery.id)
            self._retry_or_fail(delivery, f"unexpected error: {exc}", None, now, result)
            return
        self.store.mark_sent(delivery.id, now)
        result.sent += 1

    def _retry_or_fail(
        self,
        delivery: Delivery,
        error: str,
        retry_after: float | None,
        now: datetime,
        result: DrainResult,
    ) -> None:
        if delivery.attempts >= self.config.max_attempts:
            log.error(
                "delivery %s gave up after %d attempts: %s", delivery.id, delivery.attempts, error
            )
            self.store.mark_failed(
                delivery.id, f"gave up after {delivery.attempts} attempts: {error}"
            )
            result.failed += 1
            return
        wait = retry_after if retry_after is not None else backoff(delivery.attempts, self.config)
        self.store.mark_retry(delivery.id, error, now + timedelta(seconds=wait))
        result.retried += 1
