"""Jobs: open quiz occurrences when their window opens, grade overdue attempts.

Open and closed are decided at request time from the definitions and the clock
(:func:`studyapp.quiz.catalog.current_window`), so members see a change at once
whether or not these ran. The jobs make the occurrence rows exist on time (so
reports can list who has not taken a quiz yet) and grade attempts left open
past their deadline. Both are idempotent: ``QuizOccurrence(definition_id, key)``
is unique, and only ``open`` attempts are graded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.content.models import ACTIVE, QuizDefinition
from studyapp.progress.settings import defaults
from studyapp.quiz import catalog, review, service
from studyapp.quiz.models import QuizOccurrence

#: Kinds whose occurrences the job opens (the daily quiz opens per member).
SCHEDULED_KINDS = ("weekly", "special", "exam")


def open_occurrences(session: Session, now: datetime) -> dict[str, Any]:
    """Create the occurrence of every weekly/special/exam window open at ``now``.

    Returns the ``slug@key`` of the occurrences created by this run.
    """
    opened = []
    definitions = session.scalars(
        select(QuizDefinition).where(
            QuizDefinition.status == ACTIVE,
            QuizDefinition.kind.in_(SCHEDULED_KINDS),
        )
    )
    for definition in definitions:
        window = catalog.current_window(definition, now)
        if window is None or _exists(session, definition.id, window.key):
            continue
        catalog.ensure_occurrence(session, definition, window, now)
        opened.append(f"{definition.slug}@{window.key}")
    session.flush()
    return {"opened": opened}


def _exists(session: Session, definition_id: int, key: str) -> bool:
    stmt = select(QuizOccurrence.id).where(
        QuizOccurrence.definition_id == definition_id, QuizOccurrence.key == key
    )
    return session.scalar(stmt) is not None


def close_attempts(session: Session, now: datetime) -> dict[str, Any]:
    """Grade every open attempt whose deadline passed by ``now`` (what was saved),
    and put into the 错题本 the answers of quizzes that closed (``after_close``)."""
    settings = defaults(session)
    graded = service.expire_attempts(session, now, settings)
    booked = review.record_closed(session, now)
    session.flush()
    return {"graded": graded, "into_review_book": booked}
