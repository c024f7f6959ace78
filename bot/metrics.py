"""The worker's metrics for Prometheus (`/metrics`), through prometheus_client: counters and
histograms the worker updates as it goes (reports stored, alerts sent, retried and failed
and the platforms' 429s by platform, send latency, each source's poll time), and gauges
the database answers at each scrape (the outbox by status and its oldest alert's age,
reports, subscriptions counted, not loaded, failing sources). One registry a worker, so
that tests may run several."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.models import SourceState


class CountingStore(Protocol):
    """What the gauges ask the database (the store, seen from here)."""

    def delivery_counts(self) -> dict[str, int]: ...

    def oldest_pending_at(self) -> datetime | None: ...

    def report_count(self) -> int: ...

    def active_subscription_count(self) -> int: ...

    def source_states(self) -> Sequence[SourceState]: ...


class Metrics:
    def __init__(self, store: CountingStore, clock: Callable[[], datetime] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.ingested = Counter(
            "readout_reports_ingested", "Reports stored, by kind of source", ["kind"], registry=r
        )
        self.sent = Counter(
            "readout_alerts_sent", "Alerts sent, by platform", ["platform"], registry=r
        )
        self.retried = Counter(
            "readout_alerts_retried", "Alerts put back to try again, by platform", ["platform"],
            registry=r,
        )  # fmt: skip
        self.failed = Counter(
            "readout_alerts_failed", "Alerts given up, by platform", ["platform"], registry=r
        )
        self.rate_limited = Counter(
            "readout_rate_limited", "Answers 429 (too many requests) from a platform",
            ["platform"], registry=r,
        )  # fmt: skip
        self.send_seconds = Histogram(
            "readout_send_seconds", "Seconds one message took to send, by platform",
            ["platform"], registry=r,
        )  # fmt: skip
        self.poll_seconds = Histogram(
            "readout_poll_seconds", "Seconds one poll of a source took, by source", ["source"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300), registry=r,
        )  # fmt: skip
        r.register(_StoreGauges(store, clock or (lambda: datetime.now(UTC))))

    def text(self) -> str:
        """The Prometheus text exposition of every metric (the database asked now)."""
        return generate_latest(self.registry).decode("utf-8")


class _StoreGauges(Collector):
    """What the database holds, asked at each scrape."""

    def __init__(self, store: CountingStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        deliveries = GaugeMetricFamily(
            "readout_deliveries", "Alerts in the outbox, by status", labels=["status"]
        )
        for status, count in sorted(self.store.delivery_counts().items()):
            deliveries.add_metric([status], count)
        yield deliveries
        oldest = self.store.oldest_pending_at()
        age = (self.clock() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "readout_outbox_oldest_pending_seconds",
            "Age of the oldest alert still waiting to be sent (0 when none waits)",
            value=max(age, 0.0),
        )
        yield GaugeMetricFamily(
            "readout_reports", "Reports stored", value=self.store.report_count()
        )
        yield GaugeMetricFamily(
            "readout_subscriptions",
            "Active subscriptions",
            value=self.store.active_subscription_count(),
        )
        failures = GaugeMetricFamily(
            "readout_source_failures", "Failed polls in a row, by source", labels=["source"]
        )
        for state in self.store.source_states():
            failures.add_metric([state.name], state.failures)
        yield failures
