"""unit settings (管理 › 设置) and import files staged for the web import

The branch's own member-ranking switch becomes a unit setting, so a unit
above it can set it for its whole subtree.

Revision ID: a4c1e9d2b7f3
Revises: b7c1d2e3f4a5
Create Date: 2026-12-01 15:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c1e9d2b7f3"
down_revision: str | Sequence[str] | None = "b7c1d2e3f4a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"],
                                name=op.f("fk_unit_setting_unit_id_org_unit"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"],
                                name=op.f("fk_unit_setting_updated_by_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_setting")),
        sa.UniqueConstraint("unit_id", "key", name=op.f("uq_unit_setting_unit_id_key")),
    )  # fmt: skip
    with op.batch_alter_table("unit_setting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_setting_unit_id"), ["unit_id"])
    op.create_table(
        "import_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"],
                                name=op.f("fk_import_upload_actor_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_upload")),
        sa.UniqueConstraint("token", name=op.f("uq_import_upload_token")),
    )  # fmt: skip
    with op.batch_alter_table("import_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_upload_actor_id"), ["actor_id"])
        batch_op.create_index(batch_op.f("ix_import_upload_created_at"), ["created_at"])
    op.execute(
        "INSERT INTO unit_setting (unit_id, key, value, updated_at) "
        "SELECT id, 'member_ranking', 'true', created_at FROM org_unit "
        "WHERE show_member_ranking"
    )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("show_member_ranking")


def downgrade() -> None:
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("show_member_ranking", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))  # fmt: skip
    op.execute(
        "UPDATE org_unit SET show_member_ranking = EXISTS (SELECT 1 FROM "
        "unit_setting s WHERE s.unit_id = org_unit.id AND "
        "s.key = 'member_ranking' AND s.value = 'true')"
    )
    op.drop_table("import_upload")
    op.drop_table("unit_setting")
