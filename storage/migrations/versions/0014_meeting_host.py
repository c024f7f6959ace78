"""Who hosted a visit: `meetings.host`, the side whose country the meeting took place in
(None when no place says it), so that a chart tells "Pakistan hosted" from "Russia hosted".
The meetings already stored get theirs from their report's annotations.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("host", sa.String(60), nullable=True))
    _backfill()


def _backfill() -> None:
    """Each visit's host, from the meetings its report's annotations tell (matched by
    their sides, as history stores them)."""
    from bot.history import host_side
    from storage import codec
    from storage.db import migration_progress

    bind = op.get_bind()
    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer()),
        sa.column("report_id", sa.Integer()),
        sa.column("type", sa.String()),
        sa.column("sides", sa.Text()),
        sa.column("host", sa.String()),
    )
    reports = sa.table(
        "reports", sa.column("id", sa.Integer()), sa.column("annotations_json", sa.Text())
    )
    visits = bind.execute(
        sa.select(meetings.c.id, meetings.c.sides, reports.c.annotations_json)
        .join(reports, reports.c.id == meetings.c.report_id)
        .where(meetings.c.type.in_(("visit", "host")))
    ).all()
    advance = migration_progress("hosts of stored visits", len(visits))
    for meeting_id, sides, annotations_json in visits:
        advance(1)
        told = codec.loads(annotations_json).meetings
        same = [m for m in told if "|".join(dict.fromkeys(s.id for s in m.sides)) == sides]
        host = host_side(same[0]) if same else None
        if host is not None:
            bind.execute(meetings.update().where(meetings.c.id == meeting_id).values(host=host))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not batch mode: a copy of the
    # table would drop the old one, and with it, by cascade, every meeting's sides.
    op.drop_column("meetings", "host")
