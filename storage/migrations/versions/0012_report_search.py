"""/latest, /search and /digest ask an index of all stored reports, not the newest few
hundred: each report's matching keys in a full-text index (`storage.search`: FTS5 on
SQLite, a tsvector with a GIN index on PostgreSQL). Reports already stored get theirs from
their text and annotations, a thousand at a time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from storage import search

    bind = op.get_bind()
    search.create(bind)
    _backfill(bind)


def _backfill(bind: sa.Connection) -> None:
    from storage import search
    from storage.db import migration_progress
    from storage.models import UTCDateTime

    # The columns as they are at this revision (not the model's, which may grow later).
    reports = sa.table(
        "reports",
        sa.column("id", sa.Integer()),
        *(sa.column(name, sa.Text()) for name in _TEXT_COLUMNS),
        sa.column("published_at", UTCDateTime()),
        sa.column("ingested_at", UTCDateTime()),
        sa.column("dateline_date", sa.Date()),
        sa.column("date_from_text", sa.Boolean()),
        sa.column("title_in_body", sa.Boolean()),
        sa.column("cluster_id", sa.Integer()),
    )
    total = bind.scalar(sa.select(sa.func.count()).select_from(reports)) or 0
    search.fill(bind, reports, migration_progress("search index", total))


_TEXT_COLUMNS = (
    "source", "url", "title", "body", "dateline", "content_hash", "annotations_json",
    "home_country", "outlet", "tier",
)  # fmt: skip


def downgrade() -> None:
    from storage import search

    search.drop(op.get_bind())
