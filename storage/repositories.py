"""`SqlStore`: the one repository behind `bot.ports.Store`, on SQLite or PostgreSQL.

Rows become `bot.models` dataclasses before they leave; each public method is one
transaction. Claiming due deliveries uses `FOR UPDATE SKIP LOCKED` on PostgreSQL so any
number of workers can share the outbox; SQLite runs one worker.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from bot.cluster import sides_key
from bot.errors import SubscriptionLimitReached
from bot.history import MeetingRecord, Tally
from bot.match import KeyFilter, document
from bot.models import (
    Annotations,
    Chat,
    ChatRef,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    MatchedChat,
    MeetingType,
    NewReport,
    Notice,
    Report,
    StoredReport,
    Subscription,
    outlet_name,
)
from storage import codec, convert, search
from storage.db import Progress, no_progress
from storage.models import (
    ChatRow,
    CounterRow,
    DeliveryRow,
    MeetingRow,
    MeetingSideRow,
    NoticeRow,
    ReportRow,
    SendTurnRow,
    SubscriptionChangeRow,
    SubscriptionRow,
)
from storage.sources import SourceRepository


def _report_values(report: Report, annotations: Annotations, now: datetime) -> dict[str, Any]:
    """A report's row (its cluster set once its id is known)."""
    return {
        "source": report.source[:500],
        "url": report.url,
        "title": report.title,
        "body": report.body,
        "dateline": report.dateline,
        "dateline_date": report.dateline_date,
        "published_at": report.published_at,
        "date_from_text": report.date_from_text,
        "title_in_body": report.title_in_body,
        "content_hash": report.content_hash,
        "annotations_json": codec.dumps(annotations),
        "ingested_at": now,
        "matched_at": now,
        "home_country": report.home_country,
        "outlet": report.outlet,
        "tier": report.tier,
        "sides_key": sides_key(annotations),
    }


def _insert_deliveries(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Outbox rows (`_delivery_row`s) at once, through the driver in the session's
    transaction: a report may reach hundreds of chats, and SQLAlchemy's work per row (each
    parameter through its type) was most of storing them. COPY on PostgreSQL (psycopg's
    executemany sends a statement a row: 26 -> 17 ms for 340 chats); on SQLite the
    driver's executemany, each distinct value of a typed column converted once by the
    column's own type."""
    columns = _DELIVERY_COLUMNS
    connection = session.connection()
    raw: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY deliveries ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    # Column by column: the times and flags through their type's converter, the rest as
    # they are.
    values: list[Any] = list(zip(*rows, strict=True))
    for position, column in enumerate(columns):
        type_ = DELIVERIES.c[column].type.dialect_impl(connection.dialect)
        if (processor := type_.bind_processor(connection.dialect)) is not None:
            values[position] = map(functools.lru_cache(maxsize=64)(processor), values[position])
    marks = ", ".join("?" * len(columns))
    raw.executemany(
        f"INSERT INTO deliveries ({', '.join(columns)}) VALUES ({marks})", zip(*values, strict=True)
    )


def _search_keys(item: NewReport) -> frozenset[str]:
    """What the report offers matching, as the pipeline found it or worked out now."""
    if item.keys is not None:
        return item.keys
    return document(item.report, item.annotations).keys


@functools.lru_cache(maxsize=4096)
def _matched_prefix(terms: tuple[str, ...]) -> str:
    """The start of `matched_json`, as json.dumps writes {"terms": [...], "subscriptions":
    [...]}: a report's chats mostly share their terms, encoded once."""
    return f'{{"terms": {json.dumps(list(terms), ensure_ascii=False)}, "subscriptions": ['


_DELIVERY_COLUMNS = (
    "report_id",
    "chat_id",
    "status",
    "matched_json",
    "attempts",
    "next_attempt_at",
    "created_at",
    "batch",
)
_PENDING = DeliveryStatus.PENDING.value


def _delivery_row(report_id: int, match: MatchedChat, now: datetime) -> tuple[Any, ...]:
    """A pending alert's row, its values in `_DELIVERY_COLUMNS`' order."""
    ids = match.subscription_ids
    return (
        report_id,
        match.chat_id,
        _PENDING,
        _matched_prefix(match.matched_terms)
        + (str(ids[0]) if len(ids) == 1 else ", ".join(map(str, ids)))
        + "]}",
        0,
        match.due_at or now,
        now,
        match.batch,
    )


DELIVERIES: Table = DeliveryRow.__table__  # type: ignore[assignment]
REPORTS: Table = ReportRow.__table__  # type: ignore[assignment]
CHATS: Table = ChatRow.__table__  # type: ignore[assignment]

# The claim token of an alert given back until its chat's turn (`postpone`).
WAITING_FOR_TURN = "waiting-for-turn"


class SqlStore(SourceRepository):
    """All of Readout's storage on one SQLAlchemy engine."""

    # -- reports ---------------------------------------------------------------------------

    def add_report(
        self,
        report: Report,
        annotations: Annotations,
        matches: list[MatchedChat],
        now: datetime,
        cluster_id: int | None = None,
        *,
        keys: Collection[str] | None = None,
    ) -> int | None:
        item = NewReport(
            report,
            annotations,
            tuple(matches),
            now,
            cluster_id,
            keys=None if keys is None else frozenset(keys),
        )
        try:
            with self._tx() as session:
                return self._insert_reports(session, [item])[0]
        except IntegrityError:
            # Another worker stored the same report between our check and our insert.
            return None

    def add_reports(self, items: Sequence[NewReport]) -> list[int | None]:
        with self._tx() as session:
            return self._insert_reports(session, items)

    def _insert_reports(self, session: Session, items: Sequence[NewReport]) -> list[int | None]:
        """The reports not stored yet, with their search keys, meetings and outbox rows,
        in `session`, a few statements for the whole batch; each one's id, None for one
        stored already (or earlier in the batch)."""
        stored = self._stored_already(
            session, [(item.report.content_hash, item.report.url) for item in items]
        )
        fresh: list[int] = []  # positions of the reports to store
        for position, item in enumerate(items):
            report = item.report
            if report.content_hash in stored or (report.url and report.url in stored):
                continue
            stored.add(report.content_hash)  # a copy later in the batch is not stored
            if report.url:
                stored.add(report.url)
            fresh.append(position)
        ids: list[int | None] = [None] * len(items)
        if not fresh:
            return ids
        inserted = session.scalars(
            insert(ReportRow).returning(ReportRow.id, sort_by_parameter_order=True),
            [_report_values(items[p].report, items[p].annotations, items[p].now) for p in fresh],
        ).all()
        id_of = dict(zip(fresh, inserted, strict=True))  # position -> its new id
        for position, report_id in id_of.items():
            ids[position] = report_id
        # Each report's cluster: the stored one it joins, that of the batch's earlier report
        # it retells, else its own.
        clusters: list[int | None] = [None] * len(items)
        for position in fresh:
            item = items[position]
            cluster = item.cluster_id if item.joins is None else clusters[item.joins]
            clusters[position] = cluster if cluster is not None else id_of[position]
        session.execute(
            update(ReportRow),
            [{"id": id_of[p], "cluster_id": clusters[p]} for p in fresh],
        )
        search.write(session, [(id_of[p], _search_keys(items[p])) for p in fresh])
        # A meeting is recorded once, from its first report.
        self._add_meetings(
            session,
            [
                (id_of[p], items[p].report, items[p].annotations)
                for p in fresh
                if clusters[p] == id_of[p]
            ],
        )
        # The outbox: a chat gets one alert per meeting, so one that a cluster's earlier
        # report (stored, or earlier in the batch) reached gets none for this one.
        joined = {items[p].cluster_id for p in fresh if items[p].cluster_id is not None}
        reached: dict[int | None, set[int]] = {}
        if joined:
            for chat_id, cluster_id in session.execute(
                select(DeliveryRow.chat_id, ReportRow.cluster_id)
                .join(ReportRow, ReportRow.id == DeliveryRow.report_id)
                .where(ReportRow.cluster_id.in_(joined))
            ):
                reached.setdefault(cluster_id, set()).add(chat_id)
        deliveries = []
        for position in fresh:
            item = items[position]
            given = reached.setdefault(clusters[position], set())
            for match in item.matches:
                if match.chat_id in given:
                    continue
                given.add(match.chat_id)
                deliveries.append(_delivery_row(id_of[position], match, item.now))
        if deliveries:  # a report may reach thousands of chats
            _insert_deliveries(session, deliveries)
        return ids

    @staticmethod
    def _stored_already(session: Session, reports: Sequence[tuple[str, str | None]]) -> set[str]:
        """The content hashes and URLs of `reports` (each a hash and its URL) that stored
        reports have."""
        found: set[str] = set()
        for start in range(0, len(reports), 400):
            chunk = reports[start : start + 400]
            hashes = [content_hash for content_hash, _ in chunk]
            urls = [url for _, url in chunk if url]
            condition: ColumnElement[bool] = ReportRow.content_hash.in_(hashes)
            if urls:
                condition = or_(condition, ReportRow.url.in_(urls))
            for content_hash, url in session.execute(
                select(ReportRow.content_hash, ReportRow.url).where(condition)
            ):
                found.add(content_hash)
                if url:
                    found.add(url)
        return found

    @staticmethod
    def _add_meetings(session: Session, reports: Sequence[tuple[int, Report, Annotations]]) -> None:
        """The meetings `reports` tell (each with its id), with their sides."""
        values = [
            found
            for report_id, report, annotations in reports
            for found in convert.meeting_values(report_id, report, annotations)
        ]
        if not values:
            return
        meeting_ids = session.scalars(
            insert(MeetingRow).returning(MeetingRow.id, sort_by_parameter_order=True),
            [columns for columns, _ in values],
        ).all()
        session.execute(
            insert(MeetingSideRow),
            [
                {"meeting_id": meeting_id, "side": side, "day": columns["day"]}
                for meeting_id, (columns, sides) in zip(meeting_ids, values, strict=True)
                for side in sides
            ],
        )

    # -- history ---------------------------------------------------------------------------

    def meetings_between(
        self, first: str, second: str, *, since: date | None = None, limit: int = 1000
    ) -> list[MeetingRecord]:
        """Meetings where both took part, newest first (through the sides-by-day index)."""
        one, other = aliased(MeetingSideRow), aliased(MeetingSideRow)
        query = (
            select(MeetingRow, ReportRow.source, ReportRow.outlet, ReportRow.url)
            .join(one, one.meeting_id == MeetingRow.id)
            .join(other, other.meeting_id == MeetingRow.id)
            .join(ReportRow, ReportRow.id == MeetingRow.report_id)
            .where(one.side == first, other.side == second)
            .order_by(one.day.desc(), MeetingRow.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(one.day >= since)
        return self._meetings(query)

    def meeting_tallies(self, first: str, second: str, *, since: date) -> list[Tally]:
        """Meetings where both took part since `since`, counted by day, type and level."""
        one, other = aliased(MeetingSideRow), aliased(MeetingSideRow)
        query = (
            select(one.day, MeetingRow.type, MeetingRow.level, MeetingRow.host, func.count())
            .join(other, other.meeting_id == one.meeting_id)
            .join(MeetingRow, MeetingRow.id == one.meeting_id)
            .where(one.side == first, other.side == second, one.day >= since)
            .group_by(one.day, MeetingRow.type, MeetingRow.level, MeetingRow.host)
        )
        with self._tx() as session:
            return [
                Tally(day, MeetingType(kind), level, int(n), host)
                for day, kind, level, host, n in session.execute(query)
            ]

    def counterparts(
        self, side: str, *, since: date, limit: int = 10
    ) -> tuple[list[tuple[str, int]], int]:
        """With whom `side` met since `since`, most first (ties by id), and how many
        meetings it had in all."""
        one, other = aliased(MeetingSideRow), aliased(MeetingSideRow)
        count = func.count().label("n")
        query = (
            select(other.side, count)
            .join(one, one.meeting_id == other.meeting_id)
            .where(one.side == side, one.day >= since, other.side != side)
            .group_by(other.side)
            .order_by(count.desc(), other.side)
            .limit(limit)
        )
        total = select(func.count()).where(MeetingSideRow.side == side, MeetingSideRow.day >= since)
        with self._tx() as session:
            ranked = [(str(s), int(n)) for s, n in session.execute(query)]
            return ranked, int(session.scalar(total) or 0)

    def meetings_since(self, since: date | None = None) -> list[MeetingRecord]:
        """Every stored meeting (on or after `since`), newest first."""
        query = (
            select(MeetingRow, ReportRow.source, ReportRow.outlet, ReportRow.url)
            .join(ReportRow, ReportRow.id == MeetingRow.report_id)
            .order_by(MeetingRow.day.desc(), MeetingRow.id.desc())
        )
        if since is not None:
            query = query.where(MeetingRow.day >= since)
        return self._meetings(query)

    def _meetings(self, query: Any) -> list[MeetingRecord]:
        with self._tx() as session:
            return [
                convert.meeting(row, outlet_name(str(source), outlet, url), url)
                for row, source, outlet, url in session.execute(query)
            ]

    def reread(
        self,
        read: Callable[[Report], Annotations],
        *,
        batch: int = 200,
        progress: Progress = no_progress,
    ) -> int:
        """Every stored report read again by `read` (extraction, after an upgrade that
        changed what it finds): its annotations, sides key and meetings replaced, then the
        search index made again. The alerts once made stay as they were: nothing is
        delivered again. A batch at a time, each its own transaction, counted on
        `progress`; how many reports."""
        done, last = 0, 0
        advance = progress("read again", self._count(REPORTS))
        while True:
            with self._tx() as session:
                rows = session.scalars(
                    select(ReportRow).where(ReportRow.id > last).order_by(ReportRow.id).limit(batch)
                ).all()
                if not rows:
                    break
                read_again = []
                for row in rows:
                    report = convert.stored(row).report
                    annotations = read(report)
                    row.annotations_json = codec.dumps(annotations)
                    row.sides_key = sides_key(annotations)
                    read_again.append((row.id, report, annotations))
                ids = [row.id for row in rows]
                session.execute(delete(MeetingRow).where(MeetingRow.report_id.in_(ids)))
                self._add_meetings(session, read_again)
                last, done = ids[-1], done + len(rows)
            advance(len(rows))
        self.reindex_search(progress)
        return done

    def recompile_subscriptions(
        self, compile_query: Callable[[str, str], str | None], *, batch: int = 500
    ) -> tuple[int, int]:
        """Every stored subscription's query read again by `compile_query(query, compiled)`
        (the query language, after an upgrade that reads names better: "Wang Yi" no longer
        holds the central banker Yi Gang's spellings); where it answers None (it refuses
        the query now, or reads it as something else) the subscription keeps what it was
        compiled to, so that no watcher loses one. (changed, kept as was)."""
        changed = kept = 0
        last = 0
        while True:
            with self._tx() as session:
                rows = session.scalars(
                    select(SubscriptionRow)
                    .where(SubscriptionRow.id > last)
                    .order_by(SubscriptionRow.id)
                    .limit(batch)
                ).all()
                if not rows:
                    break
                chats = []
                for row in rows:
                    compiled = compile_query(row.query, row.compiled)
                    if compiled is None:
                        kept += 1
                    elif compiled != row.compiled:
                        row.compiled = compiled
                        chats.append(row.chat_id)
                        changed += 1
                if chats:
                    self._subscriptions_changed(session, *chats)
                last = rows[-1].id
        return changed, kept

    def reindex_search(self, progress: Progress = no_progress) -> int:
        """The search index made again from every stored report (after an upgrade that
        changed what matching reads in a report), counted on `progress`; how many."""
        advance = progress("search index", self._count(REPORTS))
        with self.engine.begin() as conn:
            search.clear(conn)
            return search.fill(conn, REPORTS, advance)

    def _count(self, table: Any) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)

    def stored_already(self, reports: Sequence[Report]) -> set[str]:
        with self._tx() as session:
            return self._stored_already(session, [(r.content_hash, r.url) for r in reports])

    def has_report(self, content_hash: str, url: str | None = None) -> bool:
        with self._tx() as session:
            return bool(self._stored_already(session, [(content_hash, url)]))

    def cluster_sources(self, cluster_id: int) -> list[tuple[int, str, str | None]]:
        with self._tx() as session:
            rows = session.execute(
                select(ReportRow.id, ReportRow.source, ReportRow.outlet, ReportRow.url)
                .where(ReportRow.cluster_id == cluster_id)
                .order_by(ReportRow.id)
            )
            return [
                (int(i), outlet_name(str(src), outlet, url), url) for i, src, outlet, url in rows
            ]

    def get_report(self, report_id: int) -> StoredReport | None:
        with self._tx() as session:
            row = session.get(ReportRow, report_id)
            return convert.stored(row) if row else None

    def recent_reports(self, *, since: datetime | None, limit: int) -> list[StoredReport]:
        with self._tx() as session:
            query = select(ReportRow)
            if since is not None:
                query = query.where(ReportRow.published_at >= since)
            query = query.order_by(ReportRow.published_at.desc(), ReportRow.id.desc()).limit(limit)
            return [convert.stored(row) for row in session.scalars(query)]

    def search_reports(
        self,
        condition: KeyFilter | None,
        *,
        since: datetime | None = None,
        before: int | None = None,
        limit: int,
    ) -> list[StoredReport]:
        with self._tx() as session:
            ids = search.candidates(session, condition, since=since, before=before, limit=limit)
            rows = {
                row.id: row
                for row in session.scalars(select(ReportRow).where(ReportRow.id.in_(ids)))
            }
            return [convert.stored(rows[i]) for i in ids]

    def cluster_candidates(self, key: str, *, since: datetime, limit: int) -> list[StoredReport]:
        with self._tx() as session:
            query = (
                select(ReportRow)
                .where(ReportRow.sides_key == key, ReportRow.published_at >= since)
                .order_by(ReportRow.published_at.desc(), ReportRow.id.desc())
                .limit(limit)
            )
            return [convert.stored(row) for row in session.scalars(query)]

    def ping(self) -> None:
        """Ask the database something (a health check); raises when it does not answer."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def report_count(self) -> int:
        with self._tx() as session:
            return int(session.scalar(select(func.count(ReportRow.id))) or 0)

    # -- chats -----------------------------------------------------------------------------

    def ensure_chat(self, ref: ChatRef, now: datetime) -> Chat:
        for _ in range(2):
            try:
                with self._tx() as session:
                    row = session.scalar(
                        select(ChatRow).where(
                            ChatRow.platform == ref.platform,
                            ChatRow.external_id == ref.external_id,
                        )
                    )
                    if row is None:
                        row = ChatRow(
                            platform=ref.platform,
                            external_id=ref.external_id,
                            title=ref.title[:300],
                            delivery_mode=DeliveryMode.INSTANT.value,
                            timezone="UTC",
                            active=True,
                            created_at=now,
                        )
                        session.add(row)
                        session.flush()
                        return convert.chat(row)
                    previous = convert.chat(row)
                    if not row.active:  # a chat that talks to us again is back
                        row.active = True
                        row.retired_reason = None
                        self._subscriptions_changed(session, row.id)
                    if ref.title and row.title != ref.title:
                        row.title = ref.title[:300]
                    session.flush()
                    # The caller learns why it had been retired (Slack: "invite the app").
                    return replace(convert.chat(row), retired_reason=previous.retired_reason)
            except IntegrityError:
                continue  # created concurrently: read it on the second pass
        raise RuntimeError(f"could not create chat {ref}")

    def migrate_chat(self, chat_id: int, new_external_id: str) -> Chat:
        """A Telegram group that became a supergroup keeps its subscriptions under its new id."""
        with self._tx() as session:
            row = session.get(ChatRow, chat_id)
            if row is None:
                raise KeyError(chat_id)
            clash = session.scalar(
                select(ChatRow).where(
                    ChatRow.platform == row.platform, ChatRow.external_id == new_external_id
                )
            )
            if clash is not None and clash.id != row.id:
                # Someone already used the new id: keep one chat, move what the old one had.
                session.execute(
                    update(SubscriptionRow)
                    .where(SubscriptionRow.chat_id == row.id)
                    .values(chat_id=clash.id)
                )
                session.execute(
                    update(DeliveryRow)
                    .where(DeliveryRow.chat_id == row.id, DeliveryRow.status == "pending")
                    .values(chat_id=clash.id)
                )
                row.active = False
                row.retired_reason = f"migrated to {new_external_id}"
                self._subscriptions_changed(session, row.id, clash.id)
                session.flush()
                return convert.chat(clash)
            row.external_id = new_external_id
            session.flush()
            return convert.chat(row)

    def set_timezone(self, chat_id: int, timezone: str) -> None:
        with self._tx() as session:
            session.execute(
                update(ChatRow).where(ChatRow.id == chat_id).values(timezone=timezone[:64])
            )

    def set_delivery_mode(self, chat_id: int, mode: DeliveryMode, now: datetime) -> int:
        """Change how a chat gets alerts; switching to instant releases held alerts now."""
        with self._tx() as session:
            session.execute(
                update(ChatRow).where(ChatRow.id == chat_id).values(delivery_mode=mode.value)
            )
            if mode is not DeliveryMode.INSTANT:
                return 0
            result = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.chat_id == chat_id,
                    DeliveryRow.status == DeliveryStatus.PENDING.value,
                    DeliveryRow.next_attempt_at > now,
                )
                .values(next_attempt_at=now)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def get_chat(self, chat_id: int) -> Chat | None:
        with self._tx() as session:
            row = session.get(ChatRow, chat_id)
            return convert.chat(row) if row else None

    def get_chats(self, chat_ids: Collection[int]) -> dict[int, Chat]:
        found: dict[int, Chat] = {}
        ids = sorted(set(chat_ids))
        with self._tx() as session:
            # Plain rows, not ORM objects: a batch's alerts may reach thousands of chats, and
            # loading them as objects took 35 µs a chat.
            for start in range(0, len(ids), 900):  # SQLite's bound parameters, in chunks
                rows = session.execute(
                    select(*CHATS.c).where(CHATS.c.id.in_(ids[start : start + 900]))
                )
                found.update((row.id, convert.chat(row)) for row in rows)
        return found

    def retire_chat(self, chat_id: int, reason: str, now: datetime) -> int:
        with self._tx() as session:
            session.execute(
                update(ChatRow)
                .where(ChatRow.id == chat_id)
                .values(active=False, retired_reason=reason[:500])
            )
            self._subscriptions_changed(session, chat_id)
            result = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.chat_id == chat_id,
                    DeliveryRow.status == DeliveryStatus.PENDING.value,
                )
                .values(status=DeliveryStatus.CANCELLED.value, last_error=reason)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # -- subscriptions ---------------------------------------------------------------------

    def add_subscription(
        self, chat_id: int, query: str, compiled: str, now: datetime, *, limit: int | None = None
    ) -> tuple[Subscription, bool]:
        with self._tx() as session:
            # Take the chat's row for writing first: concurrent subscribes of one chat then
            # count and insert one after the other (a row lock on PostgreSQL, the write lock
            # on SQLite), and the limit holds.
            session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(id=ChatRow.id))
            existing = session.scalar(
                select(SubscriptionRow).where(
                    SubscriptionRow.chat_id == chat_id, SubscriptionRow.compiled == compiled
                )
            )
            if existing is not None:
                if existing.paused or existing.muted_until is not None:
                    existing.paused = False
                    existing.muted_until = None
                    self._subscriptions_changed(session, chat_id)
                return convert.subscription(existing), False
            if limit is not None:
                count = session.scalar(
                    select(func.count(SubscriptionRow.id)).where(SubscriptionRow.chat_id == chat_id)
                )
                if (count or 0) >= limit:
                    raise SubscriptionLimitReached(int(count or 0))
            row = SubscriptionRow(
                chat_id=chat_id, query=query, compiled=compiled, paused=False, created_at=now
            )
            session.add(row)
            self._subscriptions_changed(session, chat_id)
            session.flush()
            return convert.subscription(row), True

    def list_subscriptions(self, chat_id: int) -> list[Subscription]:
        with self._tx() as session:
            rows = session.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.chat_id == chat_id)
                .order_by(SubscriptionRow.id)
            )
            return [convert.subscription(r) for r in rows]

    def remove_subscription(self, chat_id: int, subscription_id: int) -> bool:
        with self._tx() as session:
            row = session.get(SubscriptionRow, subscription_id)
            if row is None or row.chat_id != chat_id:
                return False
            session.delete(row)
            self._subscriptions_changed(session, chat_id)
            return True

    def set_paused(self, chat_id: int, subscription_id: int, paused: bool) -> bool:
        with self._tx() as session:
            row = session.get(SubscriptionRow, subscription_id)
            if row is None or row.chat_id != chat_id:
                return False
            if row.paused != paused:
                row.paused = paused
                self._subscriptions_changed(session, chat_id)
            return True

    def mute_subscription(
        self, chat_id: int, subscription_id: int, until: datetime | None
    ) -> Subscription | None:
        """Silent until `until` (None: until resumed); the subscription, or None if not
        this chat's."""
        with self._tx() as session:
            row = session.get(SubscriptionRow, subscription_id)
            if row is None or row.chat_id != chat_id:
                return None
            row.muted_until = until
            row.paused = until is None
            self._subscriptions_changed(session, chat_id)
            session.flush()
            return convert.subscription(row)

    def resume_subscription(self, chat_id: int, subscription_id: int) -> Subscription | None:
        with self._tx() as session:
            row = session.get(SubscriptionRow, subscription_id)
            if row is None or row.chat_id != chat_id:
                return None
            row.muted_until = None
            row.paused = False
            session.execute(
                delete(NoticeRow).where(
                    NoticeRow.chat_id == chat_id, NoticeRow.key == f"mute:{subscription_id}"
                )
            )
            self._subscriptions_changed(session, chat_id)
            session.flush()
            return convert.subscription(row)

    def set_subscription_mode(
        self, chat_id: int, subscription_id: int, mode: DeliveryMode | None
    ) -> Subscription | None:
        with self._tx() as session:
            row = session.get(SubscriptionRow, subscription_id)
            if row is None or row.chat_id != chat_id:
                return None
            row.mode = mode.value if mode else None
            self._subscriptions_changed(session, chat_id)
            session.flush()
            return convert.subscription(row)

    def pause_chat(self, chat_id: int, until: datetime | None) -> None:
        """No alerts for the chat until `until` (None: resumed now)."""
        with self._tx() as session:
            session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(muted_until=until))

    def set_quiet(
        self, chat_id: int, quiet: str | None, held_until: datetime, now: datetime
    ) -> int:
        """Set the chat's quiet hours; the alerts held by the old ones (not a digest's)
        now go at `held_until` (the new quiet hours' end, or now). How many were held."""
        with self._tx() as session:
            chat = session.get(ChatRow, chat_id)
            if chat is None:
                return 0
            chat.quiet = quiet
            rows = session.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.chat_id == chat_id,
                    DeliveryRow.status == _PENDING,
                    DeliveryRow.batch.is_(True),
                    DeliveryRow.attempts == 0,
                    DeliveryRow.next_attempt_at > now,
                )
            ).all()
            if not rows:
                return 0
            modes = dict(
                session.execute(
                    select(SubscriptionRow.id, SubscriptionRow.mode).where(
                        SubscriptionRow.chat_id == chat_id
                    )
                ).all()
            )
            moved = 0
            for row in rows:
                fired = convert.delivery(row).subscription_ids
                # Held for quiet hours, as Ingestor._schedule decided: a subscription that
                # fired goes at once by its own mode or the chat's (a digest's wait on).
                own = [modes[i] or chat.delivery_mode for i in fired if i in modes]
                if DeliveryMode.INSTANT.value in (own or [chat.delivery_mode]):
                    row.next_attempt_at = held_until
                    moved += 1
            return moved

    # -- notices ---------------------------------------------------------------------------

    def add_notice(
        self, chat_id: int, key: str, text: str, due_at: datetime, now: datetime
    ) -> None:
        with self._tx() as session:
            if key:
                session.execute(
                    delete(NoticeRow).where(NoticeRow.chat_id == chat_id, NoticeRow.key == key)
                )
            session.add(
                NoticeRow(chat_id=chat_id, key=key, text=text, due_at=due_at, created_at=now)
            )

    def claim_notices(self, now: datetime, *, limit: int, lease_seconds: float) -> list[Notice]:
        """Due notices, each held for `lease_seconds` (due again after, if not done)."""
        with self._tx() as session:
            query = (
                select(NoticeRow).where(NoticeRow.due_at <= now).order_by(NoticeRow.id).limit(limit)
            )
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(session.scalars(query))
            for row in rows:
                row.due_at = now + timedelta(seconds=lease_seconds)
            session.flush()
            return [Notice(r.id, r.chat_id, r.text, r.due_at, r.key) for r in rows]

    def notice_done(self, notice_id: int) -> None:
        with self._tx() as session:
            session.execute(delete(NoticeRow).where(NoticeRow.id == notice_id))

    def notice_later(self, notice_id: int, due_at: datetime) -> None:
        with self._tx() as session:
            session.execute(
                update(NoticeRow).where(NoticeRow.id == notice_id).values(due_at=due_at)
            )

    def subscriptions_version(self) -> int:
        with self._tx() as session:
            return int(
                session.scalar(select(CounterRow.value).where(CounterRow.name == "subscriptions"))
                or 0
            )

    def _subscriptions_changed(self, session: Session, *chat_ids: int) -> None:
        """Move the counter on and record which chats changed, in the transaction of the
        change (every worker sees both, or neither)."""
        table = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        upsert = table(CounterRow).values(name="subscriptions", value=1)
        version = session.scalar(
            upsert.on_conflict_do_update(
                index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1}
            ).returning(CounterRow.value)
        )
        session.execute(
            insert(SubscriptionChangeRow),
            [{"version": version, "chat_id": chat_id} for chat_id in dict.fromkeys(chat_ids)],
        )
        if version is not None and version % 1000 == 0:  # keep the last few thousand
            session.execute(
                delete(SubscriptionChangeRow).where(SubscriptionChangeRow.version < version - 5000)
            )

    def subscription_changes(self, since: int) -> tuple[int, set[int]] | None:
        with self._tx() as session:
            version = int(
                session.scalar(select(CounterRow.value).where(CounterRow.name == "subscriptions"))
                or 0
            )
            rows = session.execute(
                select(SubscriptionChangeRow.version, SubscriptionChangeRow.chat_id).where(
                    SubscriptionChangeRow.version > since,
                    SubscriptionChangeRow.version <= version,
                )
            ).all()
            # Every version since `since` must be there, else the log was pruned past it.
            if {v for v, _ in rows} != set(range(since + 1, version + 1)):
                return None
            return version, {chat_id for _, chat_id in rows}

    def active_subscriptions(self, chat_ids: Collection[int] | None = None) -> list[Subscription]:
        # Columns, not ORM objects: the index of a million subscriptions reads them all.
        s = SubscriptionRow
        query = (
            select(s.id, s.chat_id, s.query, s.compiled, s.created_at, s.muted_until, s.mode)
            .join(ChatRow, ChatRow.id == s.chat_id)
            .where(s.paused.is_(False), ChatRow.active.is_(True))
            .order_by(s.id)
        )
        if chat_ids is not None:
            query = query.where(s.chat_id.in_(sorted(chat_ids)))
        with self._tx() as session:
            rows = session.execute(query)
            return [
                Subscription(
                    sub_id,
                    chat_id,
                    query,
                    compiled,
                    created_at,
                    muted_until=muted_until,
                    mode=DeliveryMode(mode) if mode else None,
                )
                for sub_id, chat_id, query, compiled, created_at, muted_until, mode in rows
            ]

    def active_subscription_count(self) -> int:
        """Active subscriptions (not paused, of chats still there), counted by the database."""
        s = SubscriptionRow
        query = (
            select(func.count(s.id))
            .join(ChatRow, ChatRow.id == s.chat_id)
            .where(s.paused.is_(False), ChatRow.active.is_(True))
        )
        with self._tx() as session:
            return int(session.scalar(query) or 0)

    def oldest_pending_at(self) -> datetime | None:
        """When the oldest alert still waiting in the outbox was queued."""
        query = select(func.min(DeliveryRow.created_at)).where(
            DeliveryRow.status == DeliveryStatus.PENDING.value
        )
        with self._tx() as session:
            return session.scalar(query)

    # -- deliveries ------------------------------------------------------------------------

    def claim_due(
        self,
        now: datetime,
        *,
        limit: int,
        lease_seconds: float,
        chat_id: int | None = None,
        token: str | None = None,
    ) -> list[Delivery]:
        with self._tx() as session:
            due = [
                DeliveryRow.status == DeliveryStatus.PENDING.value,
                DeliveryRow.next_attempt_at <= now,
            ]
            if chat_id is not None:
                due.append(DeliveryRow.chat_id == chat_id)
            else:
                # A chat another drain is sending to now is its: one sender per chat, in
                # order, and no two workers racing for the same chat's turns. So is a chat
                # whose next alert waits for its turn (postponed): nothing overtakes it.
                sending = aliased(DeliveryRow)
                due.append(
                    ~select(sending.id)
                    .where(
                        sending.chat_id == DeliveryRow.chat_id,
                        sending.status == DeliveryStatus.PENDING.value,
                        sending.claim_token.is_not(None),
                        sending.next_attempt_at > now,
                    )
                    .exists()
                )
            # Round robin: every chat's oldest due alert first, then every chat's second...
            # so one chat's backlog never holds another chat's alert back. Without a chat,
            # one alert per chat: the next one waits for the chat's turn under its limits.
            turn = (
                func.row_number()
                .over(
                    partition_by=DeliveryRow.chat_id,
                    order_by=(DeliveryRow.next_attempt_at, DeliveryRow.id),
                )
                .label("turn")
            )
            ranked = (
                select(DeliveryRow.id, DeliveryRow.next_attempt_at, turn).where(*due).subquery()
            )
            picking = select(ranked.c.id)
            if chat_id is None:
                picking = picking.where(ranked.c.turn == 1)
            picked = list(
                session.scalars(
                    picking.order_by(ranked.c.turn, ranked.c.next_attempt_at, ranked.c.id).limit(
                        limit
                    )
                )
            )
            if not picked:
                return []
            query = select(DeliveryRow).where(DeliveryRow.id.in_(picked), *due)
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)  # another worker's are skipped
            order = {delivery_id: index for index, delivery_id in enumerate(picked)}
            rows = sorted(session.scalars(query), key=lambda row: order[row.id])
            lease_until = now + timedelta(seconds=lease_seconds)
            for row in rows:
                # The lease: if this worker dies mid-send, the row is due again after it.
                row.next_attempt_at = lease_until
                row.attempts += 1
                row.claim_token = token
            session.flush()
            return [convert.delivery(r) for r in rows]

    def renew_claim(self, delivery_ids: list[int], token: str, until: datetime) -> list[int]:
        with self._tx() as session:
            query = select(DeliveryRow).where(
                DeliveryRow.id.in_(delivery_ids),
                DeliveryRow.claim_token == token,
                DeliveryRow.status == DeliveryStatus.PENDING.value,
            )
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update()
            rows = list(session.scalars(query))
            for row in rows:
                row.next_attempt_at = until
            return sorted(r.id for r in rows)

    def _one_try_less(self) -> Any:
        """The attempts column less the try a claim counted (a claim given back, or put
        off until the chat's turn, was no try), never below 0."""
        if self.engine.dialect.name == "sqlite":
            return func.max(DeliveryRow.attempts - 1, 0)
        return func.greatest(DeliveryRow.attempts - 1, 0)

    def renew_claims(self, token: str, until: datetime) -> int:
        with self._tx() as session:
            done = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.claim_token == token,
                    DeliveryRow.status == DeliveryStatus.PENDING.value,
                    DeliveryRow.next_attempt_at < until,
                )
                .values(next_attempt_at=until)
            )
            return int(done.rowcount or 0)  # type: ignore[attr-defined]

    def release_claims(self, token: str, now: datetime) -> int:
        with self._tx() as session:
            done = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.claim_token == token,
                    DeliveryRow.status == DeliveryStatus.PENDING.value,
                )
                .values(
                    next_attempt_at=now,
                    claim_token=None,
                    attempts=self._one_try_less(),
                )
            )
            return int(done.rowcount or 0)  # type: ignore[attr-defined]

    def mark_sent(self, delivery_id: int, now: datetime) -> None:
        with self._tx() as session:
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(status=DeliveryStatus.SENT.value, sent_at=now, last_error=None)
            )

    def mark_retry(self, delivery_id: int, error: str, next_attempt_at: datetime) -> None:
        with self._tx() as session:
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(next_attempt_at=next_attempt_at, last_error=error[:2000], claim_token=None)
            )

    def postpone(self, delivery_id: int, until: datetime) -> None:
        with self._tx() as session:
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(
                    next_attempt_at=until,
                    attempts=self._one_try_less(),
                    # Still the chat's next alert: its later ones are not claimed meanwhile.
                    claim_token=WAITING_FOR_TURN,
                )
            )

    def mark_failed(self, delivery_id: int, error: str) -> None:
        with self._tx() as session:
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(status=DeliveryStatus.FAILED.value, last_error=error[:2000])
            )

    def outbox_rows(
        self, statuses: Sequence[DeliveryStatus], *, limit: int
    ) -> list[tuple[Delivery, Chat]]:
        with self._tx() as session:
            rows = session.execute(
                select(DeliveryRow, ChatRow)
                .join(ChatRow, ChatRow.id == DeliveryRow.chat_id)
                .where(DeliveryRow.status.in_([s.value for s in statuses]))
                .order_by(ChatRow.id, DeliveryRow.id)
                .limit(limit)
            )
            return [(convert.delivery(d), convert.chat(c)) for d, c in rows]

    def requeue_failed(
        self, now: datetime, *, chat_id: int | None = None, since: datetime | None = None
    ) -> int:
        with self._tx() as session:
            query = (
                update(DeliveryRow)
                .where(DeliveryRow.status == DeliveryStatus.FAILED.value)
                .where(DeliveryRow.chat_id.in_(select(ChatRow.id).where(ChatRow.active.is_(True))))
                .values(
                    status=DeliveryStatus.PENDING.value,
                    next_attempt_at=now,
                    attempts=0,
                    created_at=now,  # a new life: retried again until it is old
                    claim_token=None,
                )
            )
            if chat_id is not None:
                query = query.where(DeliveryRow.chat_id == chat_id)
            if since is not None:
                query = query.where(DeliveryRow.created_at >= since)
            result = session.execute(query)
            return int(getattr(result, "rowcount", 0) or 0)

    def reports_per_day(self, since: date) -> dict[str, dict[date, int]]:
        """How many reports each source (`reports.source`) brought each day since `since`
        (by the day they were ingested, UTC): what `readout sources` draws."""
        day = func.date(ReportRow.ingested_at)
        query = (
            select(ReportRow.source, day, func.count())
            .where(ReportRow.ingested_at >= datetime.combine(since, datetime.min.time(), UTC))
            .group_by(ReportRow.source, day)
        )
        found: dict[str, dict[date, int]] = {}
        with self._tx() as session:
            for source, when, count in session.execute(query):
                found.setdefault(str(source), {})[_day(when)] = int(count)
        return found

    def deliveries_per_day(self, since: date) -> dict[str, dict[date, int]]:
        """Alerts sent (by the day sent) and failed (by the day made) each day since
        `since`, UTC: what `readout outbox` draws."""
        found: dict[str, dict[date, int]] = {}
        start = datetime.combine(since, datetime.min.time(), UTC)
        with self._tx() as session:
            for status, column in (
                (DeliveryStatus.SENT.value, DeliveryRow.sent_at),
                (DeliveryStatus.FAILED.value, DeliveryRow.created_at),
            ):
                day = func.date(column)
                rows = session.execute(
                    select(day, func.count())
                    .where(DeliveryRow.status == status, column >= start)
                    .group_by(day)
                )
                found[status] = {_day(when): int(count) for when, count in rows}
        return found

    def delivery_counts(self) -> dict[str, int]:
        with self._tx() as session:
            rows = session.execute(
                select(DeliveryRow.status, func.count(DeliveryRow.id)).group_by(DeliveryRow.status)
            )
            return {str(status): int(count) for status, count in rows}

    def reached(self, report_ids: Collection[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        ids = sorted(set(report_ids))
        with self._tx() as session:
            for start in range(0, len(ids), 900):
                rows = session.execute(
                    select(DeliveryRow.report_id, func.count(DeliveryRow.id))
                    .where(DeliveryRow.report_id.in_(ids[start : start + 900]))
                    .group_by(DeliveryRow.report_id)
                )
                found.update((report_id, int(count)) for report_id, count in rows)
        return found

    def delivery_count(self, report_id: int) -> int:
        with self._tx() as session:
            query = select(func.count(DeliveryRow.id)).where(DeliveryRow.report_id == report_id)
            return int(session.scalar(query) or 0)

    def deliveries_for_report(self, report_id: int) -> list[Delivery]:
        with self._tx() as session:
            rows = session.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.report_id == report_id)
                .order_by(DeliveryRow.id)
            )
            return [convert.delivery(r) for r in rows]

    # -- platform limits -------------------------------------------------------------------

    def take_turn(
        self,
        chat_key: str,
        chat_interval: float,
        bot_key: str | None,
        bot_interval: float,
        now: datetime,
        *,
        defer_beyond: float | None = None,
        bot_defer_beyond: float | None = None,
        chat_window: tuple[int, float] | None = None,
    ) -> tuple[bool, datetime]:
        with self._tx() as session:
            keys = sorted({chat_key} | ({bot_key} if bot_key is not None else set()))
            rows = self._turn_rows(session, keys)
            chat = rows[chat_key]
            chat_at = max(now, chat.next_at)
            recent = [float(x) for x in (chat.recent or "").split()]
            if chat_window is not None and len(recent) >= chat_window[0]:
                # The window's oldest turn must have left it: at most n in any `seconds`.
                opens = datetime.fromtimestamp(recent[-chat_window[0]] + chat_window[1], UTC)
                chat_at = max(chat_at, opens)
            if defer_beyond is not None and (chat_at - now).total_seconds() > defer_beyond:
                return False, chat_at
            at = chat_at
            if bot_key is not None:
                at = max(at, rows[bot_key].next_at)
                if bot_defer_beyond is not None and (at - now).total_seconds() > bot_defer_beyond:
                    return False, at
                rows[bot_key].next_at = at + timedelta(seconds=bot_interval)
            chat.next_at = at + timedelta(seconds=chat_interval)
            if chat_window is not None:
                kept = [*recent, at.timestamp()][-chat_window[0] :]
                chat.recent = " ".join(f"{x:.3f}" for x in kept)
            return True, at

    def hold_sends(self, key: str, until: datetime) -> None:
        with self._tx() as session:
            row = self._turn_rows(session, [key])[key]
            row.next_at = max(row.next_at, until)

    def _turn_rows(self, session: Session, keys: list[str]) -> dict[str, SendTurnRow]:
        """The rows of `keys`, made if new and locked for this transaction, in key order
        (so that two workers never wait on each other's locks in a cycle). On SQLite the
        insert takes the database's write lock first, which serialises the same way."""
        values = [{"key": k, "next_at": datetime.fromtimestamp(0, UTC)} for k in keys]
        if self.engine.dialect.name == "postgresql":
            session.execute(pg_insert(SendTurnRow).values(values).on_conflict_do_nothing())
        else:
            session.execute(sqlite_insert(SendTurnRow).values(values).on_conflict_do_nothing())
        query = select(SendTurnRow).where(SendTurnRow.key.in_(keys)).order_by(SendTurnRow.key)
        if self.engine.dialect.name == "postgresql":
            query = query.with_for_update()
        return {row.key: row for row in session.scalars(query)}


def _day(value: object) -> date:
    """A `date()` of the database: a date on PostgreSQL, "YYYY-MM-DD" on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
