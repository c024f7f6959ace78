"""Ingestion: raw document -> Report -> extraction -> matching -> stored with its outbox
rows, in one transaction. A bad document is reported and never stops the others."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cluster import ClusterConfig, same_meeting, sides_key
from bot.config import DigestConfig
from bot.digest import next_digest_at, quiet_until
from bot.errors import QueryError
from bot.extract import Gazetteer, extract
from bot.match import CompiledSubscription, SubscriptionIndex, document
from bot.models import (
    Annotations,
    Chat,
    DeliveryMode,
    MatchedChat,
    NewReport,
    Report,
    StoredReport,
    Subscription,
)
from bot.ports import Store
from bot.query import Node, from_json
from bot.readers import Reader
from bot.reports import RawDocument, parse_report
from bot.sources import Problem

log = logging.getLogger(__name__)
# A warning's particulars ("the URL 'javascript:...' is not ..."): left out when counted.
_QUOTED = re.compile(r"'[^']*'")
# Documents read together and asked about together (are they stored already?): one query
# for a chunk rather than one a document.
_CHUNK = 100


@dataclass(frozen=True)
class Ingested:
    source: str
    report_id: int | None  # None: the same report was already stored
    title: str
    chats: int
    warnings: tuple[str, ...] = ()
    cluster_id: int | None = None  # set when it joined a meeting already reported

    @property
    def joined_cluster(self) -> bool:
        return self.cluster_id is not None and self.cluster_id != self.report_id


@dataclass(frozen=True)
class _Prepared:
    """A report read, matched and clustered, waiting to be stored with its batch."""

    raw: RawDocument
    new: NewReport | None  # None: stored already, or earlier in this batch
    title: str
    warnings: tuple[str, ...] = ()
    sides: str | None = None  # `sides_key` of its annotations


@dataclass(frozen=True)
class _Chunk:
    """A chunk of a poll parsed, asked whether stored, and handed to the reader."""

    read: list[tuple[RawDocument, Report]]
    stored: set[str]  # hashes and URLs of its reports stored already
    found: Callable[[], dict[int, Annotations | Exception]]  # the reader's, by position
    size: int = 0  # documents handed in (those that could not be parsed included)


@dataclass
class _Batch:
    """The reports of one ingest() call prepared so far (each to be stored), with what a
    later report of the batch asks of them: is it one of them, which tell the same sides."""

    prepared: list[_Prepared] = field(default_factory=list)
    hashes_and_urls: set[str] = field(default_factory=set)
    by_sides: dict[str, list[int]] = field(default_factory=dict)  # positions in `prepared`

    def add(self, prepared: _Prepared) -> None:
        assert prepared.new is not None
        report = prepared.new.report
        self.hashes_and_urls.add(report.content_hash)
        if report.url is not None:
            self.hashes_and_urls.add(report.url)
        if prepared.sides is not None:
            self.by_sides.setdefault(prepared.sides, []).append(len(self.prepared))
        self.prepared.append(prepared)

    def has(self, report: Report) -> bool:
        return report.content_hash in self.hashes_and_urls or (
            report.url is not None and report.url in self.hashes_and_urls
        )


@dataclass
class IngestSummary:
    ingested: list[Ingested] = field(default_factory=list)
    duplicates: list[Ingested] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Entries that failed on our side (a database error, a bug): not to be marked as seen,
    # so that they are tried again.
    failed_keys: set[str] = field(default_factory=set)

    def merge(self, other: IngestSummary) -> None:
        self.ingested += other.ingested
        self.duplicates += other.duplicates
        self.problems += other.problems
        self.failed_keys |= other.failed_keys

    def line(self) -> str:
        joined = sum(1 for i in self.ingested if i.joined_cluster)
        also = f" ({joined} of them retelling a meeting already reported)" if joined else ""
        return (
            f"{len(self.ingested)} new report(s){also}, {len(self.duplicates)} already known, "
            f"{len(self.problems)} skipped, "
            f"{sum(i.chats for i in self.ingested)} alert(s) queued"
        )


_INSTANT = DeliveryMode.INSTANT  # read once: an enum member's lookup is not free


def time_zone(name: str) -> tzinfo:
    """A chat's time zone; UTC when the name is unknown here (it was checked when set)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


class Ingestor:
    def __init__(
        self,
        store: Store,
        gazetteer: Gazetteer,
        clustering: ClusterConfig | None = None,
        digests: DigestConfig | None = None,
        reader: Reader | None = None,
        link_allowed: Callable[[str], bool] = lambda _host: False,
    ) -> None:
        """`reader`: who extracts a chunk's new reports at once (other processes, see
        `bot.readers`); None: each is read here in turn, as it is matched.
        `link_allowed(host)`: a report's link to that host is kept though it is not on the
        public internet (the operator's `[sources] allow_private`)."""
        self.link_allowed = link_allowed
        # A poll's reports' warnings, by kind, per thread (polls of folders and feeds may
        # ingest at once in two threads).
        self._local = threading.local()
        self.store = store
        self.gazetteer = gazetteer
        self.reader = reader
        self.clustering = clustering or ClusterConfig()
        self.digests = digests or DigestConfig()
        self._index: tuple[int, SubscriptionIndex] | None = None
        self.index_builds = 0  # how many times the index was built (shown by tests)
        self.index_updates = 0  # how many times changed chats were replaced in it

    def index(self) -> SubscriptionIndex:
        """The current subscriptions, compiled and indexed, kept in memory: when the
        store's change counter has moved (a subscription added, removed, paused or resumed,
        a chat retired or back, by this worker or another), only the chats that changed
        are read again and replaced in the index; everything is read again only the first
        time, or when the change log no longer reaches back to this index's version."""
        version = self.store.subscriptions_version()  # read first: never cache stale rows
        if self._index is not None and self._index[0] == version:
            return self._index[1]
        if self._index is not None:
            changes = self.store.subscription_changes(self._index[0])
            if changes is not None:
                version, chats = changes
                index = self._index[1]
                index.replace_chats(chats, self._compiled(self.store.active_subscriptions(chats)))
                self._index = (version, index)
                self.index_updates += 1
                return index
        index = SubscriptionIndex(self._compiled(self.store.active_subscriptions()))
        self._index = (version, index)
        self.index_builds += 1
        return index

    def _compiled(self, subscriptions: Iterable[Subscription]) -> list[CompiledSubscription]:
        compiled: list[CompiledSubscription] = []
        nodes: dict[str, Node] = {}  # each distinct stored query decoded once
        for sub in subscriptions:
            try:
                node = nodes.get(sub.compiled)
                if node is None:
                    node = nodes[sub.compiled] = from_json(sub.compiled)
                compiled.append(
                    CompiledSubscription(
                        sub.id,
                        sub.chat_id,
                        node,
                        sub.query,
                        muted_until=sub.muted_until,
                        mode=sub.mode,
                    )
                )
            except (QueryError, ValueError, KeyError) as exc:
                log.error("subscription %s has a malformed stored query: %s", sub.id, exc)
        return compiled

    def ingest(
        self,
        items: Iterable[RawDocument | Problem],
        now: datetime,
        stop: Callable[[], bool] | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> IngestSummary:
        """Ingest `items`: each is read, matched and clustered in turn (a meeting told
        twice in the batch is one meeting), then all are stored in one transaction with
        their alerts; when that transaction fails they are stored one by one, so that one
        bad report loses nothing else. When `stop()` turns true (the worker is shutting
        down) the rest are left unread, their keys among `failed_keys`: read again next
        time. `progress(n)` is told of each document done (a progress bar). The reports'
        warnings of one kind are logged once, counted, at the end."""
        warnings: Counter[str] = Counter()
        self._local.warnings = warnings
        try:
            return self._ingest(items, now, stop, progress or (lambda _n: None))
        finally:
            self._local.warnings = None
            for warning, count in warnings.most_common():
                log.warning("%d report(s): %s", count, warning)

    def _ingest(
        self,
        items: Iterable[RawDocument | Problem],
        now: datetime,
        stop: Callable[[], bool] | None,
        progress: Callable[[int], object],
    ) -> IngestSummary:
        summary = IngestSummary()
        chats: dict[int, Chat] = {}  # read once in this call, for every report of it
        batch = _Batch()
        chunk: list[RawDocument] = []  # read together, asked together whether stored
        waiting: _Chunk | None = None  # started, not yet prepared
        stopped = False
        for item in items:
            if not stopped and stop is not None and stop():
                stopped = True
                log.info("stopping: the rest of this poll is left for the next one")
            if stopped:
                if item.entry_key:
                    summary.failed_keys.add(item.entry_key)
                continue
            if isinstance(item, Problem):
                log.warning("skipped %s: %s", item.location, item.reason)
                summary.problems.append(item)
                progress(1)
                continue
            chunk.append(item)
            if len(chunk) == _CHUNK:
                # With a reader, the next chunk is being read while this one is matched.
                started = self._start_chunk(chunk, now, batch, summary)
                if waiting is not None:
                    self._finish_chunk(waiting, now, chats, batch, summary, progress)
                waiting, chunk = started, []
        started = self._start_chunk(chunk, now, batch, summary)
        if waiting is not None:
            self._finish_chunk(waiting, now, chats, batch, summary, progress)
        self._finish_chunk(started, now, chats, batch, summary, progress)
        self._store(batch.prepared, summary)
        return summary

    def _start_chunk(
        self, chunk: list[RawDocument], now: datetime, batch: _Batch, summary: IngestSummary
    ) -> _Chunk:
        """Parse the chunk's documents, ask once which are stored already, and hand the
        new ones to the reader, if any (see `_read_new`)."""
        read: list[tuple[RawDocument, Report]] = []
        for raw in chunk:
            try:
                read.append((raw, parse_report(raw, now=now, link_allowed=self.link_allowed)))
            except Exception as exc:
                self._failed(summary, raw, exc)
        stored = self.store.stored_already([report for _, report in read]) if read else set()
        return _Chunk(read, stored, self._read_new(read, stored, batch), len(chunk))

    def _finish_chunk(
        self,
        chunk: _Chunk,
        now: datetime,
        chats: dict[int, Chat],
        batch: _Batch,
        summary: IngestSummary,
        progress: Callable[[int], object],
    ) -> None:
        """Prepare the chunk's reports that are new (appended to `batch`); one broken
        document never stops the others."""
        progress(chunk.size - len(chunk.read))  # those that could not even be parsed
        if not chunk.read:
            return
        index = self.index()
        found = chunk.found()
        for position, (raw, report) in enumerate(chunk.read):
            progress(1)
            try:
                prepared = self._prepare(
                    raw, index, now, chats, batch, report, chunk.stored, found.get(position)
                )
            except Exception as exc:  # one broken document must never stop the others
                self._failed(summary, raw, exc)
                continue
            if prepared.new is None:
                summary.duplicates.append(
                    Ingested(raw.source, None, prepared.title, 0, prepared.warnings)
                )
            else:
                batch.add(prepared)

    def _read_new(
        self, read: list[tuple[RawDocument, Report]], stored: set[str], batch: _Batch
    ) -> Callable[[], dict[int, Annotations | Exception]]:
        """With a reader: the chunk's reports that are new (not stored, not earlier in the
        batch or the chunk) handed to it at once; what it finds, by position in `read`,
        when asked (a report the batch's earlier chunk, not yet prepared, tells too is
        read for nothing, as rarely as a feed repeats itself)."""
        if self.reader is None or not read:
            return dict
        seen = set(stored)
        positions: list[int] = []
        for position, (_, report) in enumerate(read):
            keys = {report.content_hash, report.url} - {None}
            if batch.has(report) or not seen.isdisjoint(keys):
                continue
            seen.update(k for k in keys if k is not None)
            positions.append(position)
        pending = self.reader.submit([read[p][1] for p in positions])
        return lambda: dict(zip(positions, pending(), strict=True))

    def _prepare(
        self,
        raw: RawDocument,
        index: SubscriptionIndex,
        now: datetime,
        chats: dict[int, Chat],
        earlier: _Batch,
        report: Report | None = None,
        stored: set[str] | None = None,
        found: Annotations | Exception | None = None,
    ) -> _Prepared:
        """Read, match and cluster one report (against the stored ones and the batch's
        earlier ones); `new` is None when it is stored already or earlier in the batch.
        `report`: `raw` read already; `stored`: the hashes and URLs of the stored reports
        among those being read (else the store is asked for this one); `found`: what the
        reader found in it (else it is read here), or why it could not."""
        if report is None:
            report = parse_report(raw, now=now, link_allowed=self.link_allowed)
        counted: Counter[str] | None = getattr(self._local, "warnings", None)
        for warning in report.warnings:
            if counted is None:  # one report (the webhook): said at once
                log.warning("%s: %s", raw.source, warning)
            else:  # a poll: counted by kind, said once at its end
                log.debug("%s: %s", raw.source, warning)
                counted[_QUOTED.sub("...", warning)] += 1
        seen = earlier.has(report)
        if stored is not None:
            seen = (
                seen or report.content_hash in stored or bool(report.url and report.url in stored)
            )
        elif not seen:
            seen = self.store.has_report(report.content_hash, report.url)
        if seen:
            return _Prepared(raw, None, report.title, report.warnings)
        if isinstance(found, Exception):
            raise found
        annotations = found if found is not None else extract(report, self.gazetteer)
        doc = document(report, annotations)
        matched = index.match(doc, now)
        # The chats' modes, time zones and quiet hours in one query, not one per chat, and
        # once in a batch.
        missing = [m.chat_id for m in matched if m.chat_id not in chats]
        if missing:
            chats.update(self.store.get_chats(missing))
        scheduled = (self._schedule(m, chats.get(m.chat_id), now) for m in matched)
        matches = tuple(m for m in scheduled if m is not None)
        since = report.published_at - timedelta(hours=self.clustering.window_hours)
        key = sides_key(annotations)  # no sides, no meeting to share
        candidates = self.store.cluster_candidates(key, since=since, limit=300) if key else []
        # The batch's earlier reports of the same sides, by a stand-in id (-1 is the first).
        for i in earlier.by_sides.get(key, []) if key else []:
            told = earlier.prepared[i].new
            assert told is not None  # the batch holds only reports to store
            candidates.append(StoredReport(-1 - i, told.report, told.annotations, now))
        same = same_meeting(
            report,
            annotations,
            candidates,
            self.clustering,
            transliterate=self.gazetteer.transliterate,
        )
        new = NewReport(report, annotations, matches, now, keys=doc.keys)
        if same is not None:
            if same.id < 0:
                new = replace(new, joins=-1 - same.id)
            else:
                new = replace(new, cluster_id=same.cluster_id or same.id)
            log.info(
                "%s (%r) tells the meeting of %s (%s, %r): no new alert",
                raw.source,
                report.title,
                f"report {same.id}" if same.id > 0 else "an earlier report of this batch",
                same.report.source,
                same.report.title,
            )
        return _Prepared(raw, new, report.title, report.warnings, key)

    def _store(self, batch: list[_Prepared], summary: IngestSummary) -> None:
        """Store the batch in one transaction, else one by one; fill `summary`."""
        items = [p.new for p in batch if p.new is not None]
        if not items:
            return
        failed: set[int] = set()  # positions that could not be stored even alone
        try:
            ids = self.store.add_reports(items)
        except Exception:
            log.exception("could not store %d reports at once: one by one", len(items))
            ids = []
            for position, (prepared, item) in enumerate(zip(batch, items, strict=True)):
                try:
                    ids.append(
                        self.store.add_report(
                            item.report,
                            item.annotations,
                            list(item.matches),
                            item.now,
                            self._cluster_of(item, ids, items),
                            keys=item.keys,
                        )
                    )
                except Exception as exc:  # a database error, a bug: tried again next time
                    self._failed(summary, prepared.raw, exc)
                    failed.add(position)
                    ids.append(None)
        reached = self.store.reached([i for i in ids if i is not None])
        for position, (prepared, item, report_id) in enumerate(zip(batch, items, ids, strict=True)):
            if position in failed:
                continue  # among the problems already
            if report_id is None:  # another worker stored it meanwhile
                summary.duplicates.append(
                    Ingested(prepared.raw.source, None, prepared.title, 0, prepared.warnings)
                )
                continue
            cluster_id = self._cluster_of(item, ids, items)
            summary.ingested.append(
                Ingested(
                    prepared.raw.source,
                    report_id,
                    prepared.title,
                    reached.get(report_id, 0),
                    prepared.warnings,
                    cluster_id if cluster_id is not None else report_id,
                )
            )

    @staticmethod
    def _cluster_of(item: NewReport, ids: list[int | None], items: list[NewReport]) -> int | None:
        """The cluster a report of the batch joins: a stored report's, or that of the
        batch's earlier report it retells (None when that one was not stored)."""
        if item.joins is None:
            return item.cluster_id
        earlier = items[item.joins]
        earlier_id = ids[item.joins] if item.joins < len(ids) else None
        if earlier_id is None:
            return None
        earlier_cluster = Ingestor._cluster_of(earlier, ids, items)
        return earlier_cluster if earlier_cluster is not None else earlier_id

    @staticmethod
    def _failed(summary: IngestSummary, raw: RawDocument, exc: Exception) -> None:
        log.error("could not ingest %s: %s", raw.source, exc, exc_info=exc)
        summary.problems.append(Problem(raw.source, f"could not ingest: {exc}"))
        if raw.entry_key:
            summary.failed_keys.add(raw.entry_key)

    def _schedule(self, match: MatchedChat, chat: Chat | None, now: datetime) -> MatchedChat | None:
        """When the alert goes: at once; in the next digest when every subscription that
        fired is daily or weekly (its own mode, else the chat's); at the end of the chat's
        quiet hours, folded with the others held; never while the chat is paused."""
        if chat is None:
            return match
        if chat.delivery_mode is _INSTANT and not (
            chat.quiet or chat.muted_until or any(match.modes)
        ):
            return match  # most chats: at once (no subscription of its own mode fired)
        if chat.muted_until is not None and chat.muted_until > now:
            return None  # /pause: nothing is sent, /latest still shows it
        default = chat.delivery_mode
        modes = {mode or default for mode in match.modes} or {default}
        if _INSTANT in modes:
            if not chat.quiet:
                return match  # most chats: at once
            until = quiet_until(chat.quiet, now, time_zone(chat.timezone))
            return match._replace(due_at=until, batch=True) if until else match
        mode = DeliveryMode.DAILY if DeliveryMode.DAILY in modes else DeliveryMode.WEEKLY
        due = next_digest_at(
            mode,
            now,
            hour=self.digests.hour,
            weekday=self.digests.weekly_day,
            zone=time_zone(chat.timezone),
        )
        return match._replace(due_at=due, batch=True)

    def ingest_one(
        self,
        raw: RawDocument,
        index: SubscriptionIndex,
        now: datetime,
        chats: dict[int, Chat] | None = None,
    ) -> Ingested:
        """One report through (a webhook's): read, matched, clustered, stored with its
        alerts in one transaction. Raises when it cannot be stored."""
        prepared = self._prepare(raw, index, now, {} if chats is None else chats, _Batch())
        item = prepared.new
        if item is None:
            return Ingested(raw.source, None, prepared.title, 0, prepared.warnings)
        report_id = self.store.add_report(
            item.report, item.annotations, list(item.matches), now, item.cluster_id, keys=item.keys
        )
        if report_id is None:
            return Ingested(raw.source, None, prepared.title, 0, prepared.warnings)
        return Ingested(
            raw.source,
            report_id,
            prepared.title,
            self.store.delivery_count(report_id),
            prepared.warnings,
            item.cluster_id if item.cluster_id is not None else report_id,
        )
