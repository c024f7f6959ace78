"""The chats whose subscriptions changed, by the change counter's value: a worker brings
its in-memory index up to date by reading again only those chats' subscriptions instead
of every subscription.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscription_changes",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.Integer(), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("subscription_changes")
