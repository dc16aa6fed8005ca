"""``/api/v1``: published lessons."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.content import actions
from studyapp.content.payloads import LessonOut, LessonPage, LessonQuery
from studyapp.db import get_session
from studyapp.timeutil import utcnow

router = Router("lessons", "lessons", "学习: lessons members may read now.")


@router.get("/lessons", query=LessonQuery, ok=LessonPage, errors=(400, 401))
def lessons(query: LessonQuery) -> Any:
    """Published lessons I may read, newest first (filters: q, series, tag, page)."""
    return actions.lessons(get_session(), current_user, query, utcnow())


@router.get("/lessons/<slug>", ok=LessonOut)
def lesson(slug: str) -> Any:
    """One lesson with its sanitised HTML."""
    return actions.lesson(get_session(), current_user, slug, utcnow())
