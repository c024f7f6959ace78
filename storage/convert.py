"""ORM rows to `bot.models` dataclasses and back: nothing else leaves storage."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Row

from bot import history
from bot.history import MeetingRecord
from bot.models import (
    Annotations,
    Chat,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    MeetingType,
    Report,
    SourceState,
    StoredReport,
    Subscription,
)
from storage import codec
from storage.models import (
    ChatRow,
    DeliveryRow,
    MeetingRow,
    ReportRow,
    SourceStateRow,
    SubscriptionRow,
)


def stored(row: ReportRow) -> StoredReport:
    report = Report(
        source=row.source,
        title=row.title,
        body=row.body,
        published_at=row.published_at,
        content_hash=row.content_hash,
        url=row.url,
        dateline=row.dateline,
        date_from_text=row.date_from_text,
        title_in_body=row.title_in_body,
        home_country=row.home_country,
        dateline_date=row.dateline_date,
        outlet=row.outlet,
        tier=row.tier,
    )
    return StoredReport(
        row.id, report, codec.loads(row.annotations_json), row.ingested_at, row.cluster_id
    )


def chat(row: ChatRow | Row[Any]) -> Chat:
    """From the ORM's row or a Core one of the table's columns (the same names)."""
    return Chat(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        title=row.title,
        delivery_mode=DeliveryMode(row.delivery_mode),
        timezone=row.timezone,
        active=row.active,
        muted_until=row.muted_until,
        retired_reason=row.retired_reason,
        quiet=row.quiet,
    )


def subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        chat_id=row.chat_id,
        query=row.query,
        compiled=row.compiled,
        created_at=row.created_at,
        paused=row.paused,
        muted_until=row.muted_until,
        mode=DeliveryMode(row.mode) if row.mode else None,
    )


def delivery(row: DeliveryRow) -> Delivery:
    matched = json.loads(row.matched_json)
    if isinstance(matched, list):  # the first form: terms only
        matched = {"terms": matched, "subscriptions": []}
    return Delivery(
        id=row.id,
        report_id=row.report_id,
        chat_id=row.chat_id,
        status=DeliveryStatus(row.status),
        matched_terms=tuple(matched["terms"]),
        subscription_ids=tuple(int(i) for i in matched["subscriptions"]),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        created_at=row.created_at,
        batch=bool(row.batch),
    )


def source_state(row: SourceStateRow) -> SourceState:
    return SourceState(
        name=row.name,
        kind=row.kind,
        location=row.location,
        etag=row.etag,
        last_modified=row.last_modified,
        last_poll_at=row.last_poll_at,
        next_poll_at=row.next_poll_at,
        status=row.status,
        failures=row.failures,
        last_error=row.last_error,
        entries_seen=row.entries_seen,
        reports_ingested=row.reports_ingested,
    )


def meeting_values(
    report_id: int, report: Report, annotations: Annotations, *, host: bool = True
) -> list[tuple[dict[str, object], tuple[str, ...]]]:
    """The `meetings` columns of each meeting a report tells, with its sides (`host`:
    with the column 0014 added; the migrations before it write without)."""
    found = []
    for record in history.records(report_id, report, annotations):
        values: dict[str, object] = {
            "report_id": report_id,
            "day": record.day,
            "type": record.type.value,
            "level": record.level,
            "sides": "|".join(record.sides),
            "people": "|".join(record.people),
            "place": record.place[:200] if record.place else None,
            "forum": record.forum[:300] if record.forum else None,
        }
        if host:
            values["host"] = record.host
        found.append((values, record.sides))
    return found


def write_history(
    bind: Connection, report_id: int, report: Report, annotations: Annotations
) -> None:
    """Store the meetings a report tells in `meetings` and `meeting_sides`, through tables
    of those columns only (the migrations that fill history, 0009 and 0013, call this)."""
    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer()),
        sa.column("report_id", sa.Integer()),
        sa.column("day", sa.Date()),
        sa.column("type", sa.String()),
        sa.column("level", sa.String()),
        sa.column("sides", sa.Text()),
        sa.column("people", sa.Text()),
        sa.column("place", sa.String()),
        sa.column("forum", sa.String()),
    )
    sides = sa.table(
        "meeting_sides",
        sa.column("meeting_id", sa.Integer()),
        sa.column("side", sa.String()),
        sa.column("day", sa.Date()),
    )
    for values, met in meeting_values(report_id, report, annotations, host=False):
        meeting_id = bind.execute(
            meetings.insert().values(**values).returning(meetings.c.id)
        ).scalar_one()
        bind.execute(
            sides.insert(),
            [{"meeting_id": meeting_id, "side": side, "day": values["day"]} for side in met],
        )


def meeting(row: MeetingRow, outlet: str, url: str | None) -> MeetingRecord:
    return MeetingRecord(
        report_id=row.report_id,
        day=row.day,
        sides=tuple(s for s in row.sides.split("|") if s),
        type=MeetingType(row.type),
        level=row.level,
        people=tuple(p for p in row.people.split("|") if p),
        place=row.place,
        forum=row.forum,
        outlet=outlet,
        url=url,
        host=row.host,
    )
