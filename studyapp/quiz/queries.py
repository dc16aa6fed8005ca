"""Read-only quiz views for the pages: the list, my attempts, home cards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from studyapp.content.models import QuizDefinition
from studyapp.quiz import catalog, service
from studyapp.quiz.models import GRADED, Attempt, QuizOccurrence


@dataclass(frozen=True)
class QuizCard:
    slug: str
    kind: str
    title: str
    closes_at: datetime
    attempts_left: int | None
    open_attempt_id: int | None
    last_score: float | None
    done: bool  #: no attempts left, or (daily) taken today


def quiz_cards(
    session: Session,
    user_id: int,
    unit_path: str,
    now: datetime,
    definitions: list[QuizDefinition] | None = None,
) -> list[QuizCard]:
    """The quizzes open to the member now, with what is left to do in each
    (one query for every open quiz's occurrence and my attempts at it)."""
    cards = []
    openings, mine = catalog.open_now_with_attempts(
        session, unit_path, now, user_id, definitions
    )
    for opening in openings:
        attempts = mine.get((opening.definition.id, opening.window.key), [])
        left = service.attempts_left(opening.definition, len(attempts))
        current = next(
            (a for a in attempts if a.state == "open" and now < a.deadline), None
        )
        graded = [a for a in attempts if a.state == GRADED]
        cards.append(
            QuizCard(
                slug=opening.slug,
                kind=opening.definition.kind,
                title=opening.definition.title,
                closes_at=opening.window.closes_at,
                attempts_left=left,
                open_attempt_id=current.id if current else None,
                last_score=graded[-1].score if graded else None,
                done=current is None
                and (
                    left == 0 or (opening.definition.kind == "daily" and bool(graded))
                ),
            )
        )
    return cards


def recent_attempts(
    session: Session, user_id: int, limit: int = 10
) -> list[tuple[Attempt, str, str]]:
    """The member's latest graded attempts with their quiz titles and ids."""
    stmt = (
        select(
            Attempt,
            QuizDefinition.title,
            case((QuizDefinition.kind == "daily", "daily"), else_=QuizDefinition.slug),
        )
        .join(QuizOccurrence, QuizOccurrence.id == Attempt.occurrence_id)
        .join(QuizDefinition, QuizDefinition.id == QuizOccurrence.definition_id)
        .where(Attempt.user_id == user_id, Attempt.state == GRADED)
        .order_by(Attempt.submitted_at.desc())
        .limit(limit)
    )
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def next_quiz(
    session: Session,
    unit_path: str,
    now: datetime,
    definitions: list[QuizDefinition] | None = None,
) -> tuple[QuizDefinition, datetime] | None:
    """The next non-daily quiz to open after now, for the home page."""
    if definitions is None:
        definitions = catalog.definitions_for(session, unit_path)
    upcoming = [
        (d, at) for d in definitions if (at := catalog.next_opening(d, now)) is not None
    ]
    return min(upcoming, key=lambda pair: pair[1]) if upcoming else None
