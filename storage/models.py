"""The tables, as SQLAlchemy 2 typed models. Keep in step with `migrations/versions/`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    dateline: Mapped[str | None] = mapped_column(String(200))
    dateline_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    date_from_text: Mapped[bool] = mapped_column(Boolean, default=True)
    title_in_body: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    annotations_json: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first report of the meeting this one tells (itself when it is the first).
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    home_country: Mapped[str | None] = mapped_column(String(2))
    outlet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    tier: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # The sides of the meetings it tells, as one key (bot.cluster.sides_key): clustering's
    # candidates are the reports of the same key published within the window.
    sides_key: Mapped[str | None] = mapped_column(String(1000), nullable=True)

    __table_args__ = (
        Index("ix_reports_url", "url"),
        Index("ix_reports_sides_published", "sides_key", "published_at"),
    )


class ChatRow(Base):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="")
    delivery_mode: Mapped[str] = mapped_column(String(10), default="instant")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    quiet: Mapped[str | None] = mapped_column(String(11), nullable=True)

    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_chats_platform_id"),)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    query: Mapped[str] = mapped_column(String(500))
    compiled: Mapped[str] = mapped_column(Text)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mode: Mapped[str | None] = mapped_column(String(10), nullable=True)

    __table_args__ = (UniqueConstraint("chat_id", "compiled", name="uq_subscriptions_chat_query"),)


class DeliveryRow(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    matched_json: Mapped[str] = mapped_column(Text, default="[]")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Which drain holds the row's lease: a worker sends only what it still holds.
    claim_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    batch: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("report_id", "chat_id", name="uq_deliveries_report_chat"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )


class SourceStateRow(Base):
    """What a source remembers between polls: HTTP validators, health, counts."""

    __tablename__ = "source_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(2000))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(200))
    last_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="new")
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    entries_seen: Mapped[int] = mapped_column(Integer, default=0)
    reports_ingested: Mapped[int] = mapped_column(Integer, default=0)


class SourceEntryRow(Base):
    """One entry (feed item, file version) a source has already handed over."""

    __tablename__ = "source_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_name: Mapped[str] = mapped_column(String(200))
    entry_key: Mapped[str] = mapped_column(String(500))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("source_name", "entry_key", name="uq_source_entries_key"),)


class SendTurnRow(Base):
    """When the next message may go under one platform limit (a chat, a group, the whole
    bot): shared by every worker of a deployment, so that together they keep the limit."""

    __tablename__ = "send_turns"

    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # For a limit over a window (20 a minute per group): the last turns, as epoch seconds.
    recent: Mapped[str | None] = mapped_column(Text, nullable=True)


class SubscriptionChangeRow(Base):
    """A chat whose subscriptions changed, at the counter's value after the change; the
    last few thousand are kept (a worker further behind reads everything again)."""

    __tablename__ = "subscription_changes"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class CounterRow(Base):
    """Change counters: `subscriptions` moves on with every change to the active
    subscriptions, so a worker rebuilds its in-memory index only after one."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class NoticeRow(Base):
    """Readout's own messages to a chat at a set time; sent by the outbox."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingRow(Base):
    """One meeting as history keeps it: from the first report that told it."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    sides: Mapped[str] = mapped_column(Text)  # "country:PK|country:RU"
    people: Mapped[str] = mapped_column(Text)  # "Dar|Lavrov"
    place: Mapped[str | None] = mapped_column(String(200), nullable=True)
    forum: Mapped[str | None] = mapped_column(String(300), nullable=True)
    host: Mapped[str | None] = mapped_column(String(60), nullable=True)  # "country:PK"

    __table_args__ = (Index("ix_meetings_report", "report_id"),)


class MeetingSideRow(Base):
    """Which sides met when: what `/history` asks, by side and day, through an index."""

    __tablename__ = "meeting_sides"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    side: Mapped[str] = mapped_column(String(60), primary_key=True)
    day: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_meeting_sides_side_day", "side", "day"),)
