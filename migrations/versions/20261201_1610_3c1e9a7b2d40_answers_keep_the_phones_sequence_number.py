"""answers keep the phone's sequence number

Revision ID: 3c1e9a7b2d40
Revises: 3c1d5e7a9b20
Create Date: 2026-12-01 14:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "3c1e9a7b2d40"
down_revision: str | Sequence[str] | None = "3c1d5e7a9b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempt_answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempt_answer", schema=None) as batch_op:
        batch_op.drop_column("client_seq")
