"""Clustering asks the database: each report's sides as one indexed key beside its
publication time, so that the few reports of the same sides within the window are found
without reading recent reports and their annotations; reports already stored get theirs
from their annotations. The `annotations` table, which nothing read, is dropped.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("sides_key", sa.String(1000), nullable=True))
    op.create_index("ix_reports_sides_published", "reports", ["sides_key", "published_at"])
    _backfill()
    op.drop_index("ix_annotations_entity", "annotations")
    op.drop_index("ix_annotations_report", "annotations")
    op.drop_table("annotations")


def _backfill() -> None:
    from bot.cluster import sides_key
    from storage import codec
    from storage.db import migration_progress

    bind = op.get_bind()
    reports = sa.table(
        "reports",
        sa.column("id", sa.Integer()),
        sa.column("annotations_json", sa.Text()),
        sa.column("sides_key", sa.String()),
    )
    rows = bind.execute(sa.select(reports.c.id, reports.c.annotations_json)).all()
    advance = migration_progress("sides of stored reports", len(rows))
    for report_id, annotations_json in rows:
        advance(1)
        key = sides_key(codec.loads(annotations_json))
        if key is not None:
            bind.execute(reports.update().where(reports.c.id == report_id).values(sides_key=key))


def downgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id", ondelete="CASCADE")),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
    )
    op.create_index("ix_annotations_entity", "annotations", ["entity_id"])
    op.create_index("ix_annotations_report", "annotations", ["report_id"])
    op.drop_index("ix_reports_sides_published", "reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("sides_key")
