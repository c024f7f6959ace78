"""Platform limits kept across workers: the next moment a chat, a group or the whole bot
may be sent to, one row per limit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_turns",
        sa.Column("key", sa.String(250), primary_key=True),
        sa.Column("next_at", UTCDateTime(), nullable=False),
        sa.Column("recent", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("send_turns")
