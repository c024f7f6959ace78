"""History: every meeting stored once (from the first report that told it) with its day,
sides, kind, level, people, place and forum, and an index of sides by day, so that
`/history` asks the database instead of reading recent reports. Reports already stored
are read once here to fill it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("sides", sa.Text(), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("forum", sa.String(300), nullable=True),
    )
    op.create_index("ix_meetings_day", "meetings", ["day"])
    op.create_index("ix_meetings_report", "meetings", ["report_id"])
    op.create_table(
        "meeting_sides",
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("side", sa.String(60), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
    )
    op.create_index("ix_meeting_sides_side_day", "meeting_sides", ["side", "day"])
    _backfill()


def _backfill() -> None:
    """The meetings of the reports already stored (each cluster's first report), read with
    this revision's columns only."""
    from datetime import UTC

    from bot.models import Report
    from storage import codec
    from storage.convert import write_history
    from storage.db import migration_progress

    bind = op.get_bind()
    reports = sa.table(
        "reports",
        sa.column("id", sa.Integer()),
        sa.column("cluster_id", sa.Integer()),
        sa.column("source", sa.String()),
        sa.column("outlet", sa.String()),
        sa.column("url", sa.String()),
        sa.column("published_at", sa.DateTime()),
        sa.column("annotations_json", sa.Text()),
    )
    rows = bind.execute(
        sa.select(reports).where(
            sa.or_(reports.c.cluster_id.is_(None), reports.c.cluster_id == reports.c.id)
        )
    )
    found = rows.mappings().all()
    advance = migration_progress("meetings from stored reports", len(found))
    for row in found:
        advance(1)
        published = row["published_at"]
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        report = Report(row["source"], "", "", published, "", url=row["url"], outlet=row["outlet"])
        write_history(bind, row["id"], report, codec.loads(row["annotations_json"]))


def downgrade() -> None:
    op.drop_index("ix_meeting_sides_side_day", "meeting_sides")
    op.drop_table("meeting_sides")
    op.drop_index("ix_meetings_report", "meetings")
    op.drop_index("ix_meetings_day", "meetings")
    op.drop_table("meetings")
