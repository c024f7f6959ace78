"""Control per subscription and per chat: a subscription muted until a time and with its
own delivery mode, a chat's quiet hours, held alerts marked to go folded into one message,
and Readout's own timed messages to a chat (a mute that ended).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("muted_until", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("mode", sa.String(10), nullable=True))
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("quiet", sa.String(11), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(
            sa.Column("batch", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "chat_id", sa.Integer(), sa.ForeignKey("chats.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_notices_due_at", "notices", ["due_at"])


def downgrade() -> None:
    op.drop_index("ix_notices_due_at", "notices")
    op.drop_table("notices")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("batch")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("quiet")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("mode")
        batch.drop_column("muted_until")
