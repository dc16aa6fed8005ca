"""A day's branch figures from indexes: a covering index on daily_activity by
day, and the members a day leaves out (exempt, created later) found by index

Revision ID: 5b1f0c2d7e93
Revises: 442280183754
Create Date: 2026-12-01 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "5b1f0c2d7e93"
down_revision: str | Sequence[str] | None = "442280183754"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = ["study_day", "branch_id", "user_id", "goal_met", "excused", "points",
           "quiz_score", "quizzes_done"]  # fmt: skip


def upgrade() -> None:
    # The new index leads with study_day, so it serves every read the old one did.
    op.create_index("ix_daily_activity_day_figures", "daily_activity", FIGURES)
    op.drop_index("ix_daily_activity_study_day", table_name="daily_activity")
    op.create_index("ix_user_exempt_reason", "user", ["exempt_reason"])
    op.create_index("ix_user_created_at", "user", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_user_created_at", table_name="user")
    op.drop_index("ix_user_exempt_reason", table_name="user")
    op.create_index("ix_daily_activity_study_day", "daily_activity", ["study_day"])
    op.drop_index("ix_daily_activity_day_figures", table_name="daily_activity")
