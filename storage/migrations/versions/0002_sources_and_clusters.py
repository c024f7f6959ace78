"""Sources remember their state and entries; reports join clusters (one meeting, many
outlets) and keep their publisher's country.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("home_country", sa.String(2), nullable=True))
        batch.create_index("ix_reports_cluster_id", ["cluster_id"])
        batch.create_index("ix_reports_url", ["url"])
    op.execute("UPDATE reports SET cluster_id = id")
    op.create_table(
        "source_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("location", sa.String(2000), nullable=False),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("last_modified", sa.String(200), nullable=True),
        sa.Column("last_poll_at", UTCDateTime(), nullable=True),
        sa.Column("next_poll_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("entries_seen", sa.Integer(), nullable=False),
        sa.Column("reports_ingested", sa.Integer(), nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "source_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("entry_key", sa.String(500), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("source_name", "entry_key", name="uq_source_entries_key"),
    )


def downgrade() -> None:
    op.drop_table("source_entries")
    op.drop_table("source_state")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_url")
        batch.drop_index("ix_reports_cluster_id")
        batch.drop_column("home_country")
        batch.drop_column("cluster_id")
