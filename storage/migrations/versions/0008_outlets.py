"""Provenance: each report keeps its outlet's name (a feed's or folder's configured name,
never a file path) and tier (official, agency, media).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("outlet", sa.String(200), nullable=True))
        batch.add_column(sa.Column("tier", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("tier")
        batch.drop_column("outlet")
