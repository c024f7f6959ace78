"""History keeps only meetings with a day: a meeting whose day neither its report's text nor
the page's date gave was stored on the day the report arrived, and so counted in charts and
rankings on a day it did not take place. The meetings of reports without a date of their own
are written again under the new rule (those with a day the text states stay).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from datetime import UTC

    from bot.models import Report
    from storage import codec
    from storage.convert import write_history
    from storage.db import migration_progress

    bind = op.get_bind()
    reports = sa.table(
        "reports",
        sa.column("id", sa.Integer()),
        sa.column("source", sa.String()),
        sa.column("outlet", sa.String()),
        sa.column("url", sa.String()),
        sa.column("published_at", sa.DateTime()),
        sa.column("date_from_text", sa.Boolean()),
        sa.column("annotations_json", sa.Text()),
    )
    meetings = sa.table("meetings", sa.column("id", sa.Integer()), sa.column("report_id"))
    sides = sa.table("meeting_sides", sa.column("meeting_id", sa.Integer()))
    undated = sa.select(reports).where(
        reports.c.date_from_text.is_(False),
        reports.c.id.in_(sa.select(meetings.c.report_id)),
    )
    found = bind.execute(undated).mappings().all()
    advance = migration_progress("meetings of undated reports", len(found))
    for row in found:
        advance(1)
        published = row["published_at"]
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        report = Report(row["source"], "", "", published, "", url=row["url"], outlet=row["outlet"])
        stored = sa.select(meetings.c.id).where(meetings.c.report_id == row["id"])
        bind.execute(sides.delete().where(sides.c.meeting_id.in_(stored)))
        bind.execute(meetings.delete().where(meetings.c.report_id == row["id"]))
        write_history(bind, row["id"], report, codec.loads(row["annotations_json"]))


def downgrade() -> None:
    """Nothing to undo: the meetings left out had no day to be stored under."""
