"""Admin changes to published content. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.content.models import (
    ACTIVE,
    RETIRED,
    WITHDRAWN,
    Lesson,
    QuestionBank,
    QuizDefinition,
)
from studyapp.content.queries import forget_lessons
from studyapp.db import after_commit
from studyapp.errors import Conflict, NotFound

MODELS = {"lesson": Lesson, "bank": QuestionBank, "quiz": QuizDefinition}


def set_status(
    session: Session, kind: str, slug: str, *, withdrawn: bool, now: datetime
) -> Lesson | QuestionBank | QuizDefinition:
    """Withdraw (hide from members) or restore a lesson, bank or quiz; the row.

    A retired item (gone from the files) cannot be restored here: publish the
    file again. Raises NotFound for an unknown kind or slug.
    """
    model = MODELS.get(kind)
    row = session.scalar(select(model).where(model.slug == slug)) if model else None
    if row is None:
        raise NotFound(f"找不到 {kind}:{slug}")
    if row.status == RETIRED:
        raise Conflict("该内容已从文件中删除（停用），请重新发布文件")
    row.status = WITHDRAWN if withdrawn else ACTIVE
    row.updated_at = now
    session.flush()
    forget_lessons()
    after_commit(session, forget_lessons)  # and again once it is visible
    return row
