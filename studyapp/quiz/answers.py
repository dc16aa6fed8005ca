"""Storing a member's responses: validated all or none, numbered saves from a
phone (the highest number is kept), and answers locked once shown (after_answer).

Flush, never commit. The caller has the attempt (locked for share) and its rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import null, or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from studyapp.content.models import QuestionRevision, QuizDefinition
from studyapp.errors import Conflict, ValidationFailed
from studyapp.quiz import grading
from studyapp.quiz.models import OPEN, Attempt, AttemptAnswer


def answer_reveals(definition: QuizDefinition) -> bool:
    """Whether the quiz shows each answer right after it is given.

    Only practice quizzes: never an exam or a timed quiz, whatever the file says
    (the content check refuses it there too).
    """
    cfg = definition.config
    return (
        cfg.review == "after_answer"
        and definition.kind != "exam"
        and not cfg.time_limit_seconds
    )


def store_answers(  # type: ignore[no-untyped-def]
    session: Session,
    attempt: Attempt,
    rows,
    answers: dict[str, Any],
    now: datetime,
    seq: int | None = None,
    locked: bool = False,
) -> None:
    """Validate every response (nothing is stored if one is bad), then store each."""
    if attempt.state != OPEN:
        raise Conflict("这次作答已经交卷")
    if now >= attempt.deadline:
        raise Conflict("作答时间已到，已按截止时保存的答案评分")
    clean = {}
    for slug, response in answers.items():
        if slug not in rows:
            raise ValidationFailed("这道题不在本次作答中", field=slug)
        clean[slug] = _validated(rows[slug][1], response, slug)
    for slug, value in clean.items():
        _store(session, rows[slug][0], value, now, seq, locked)


def _store(  # type: ignore[no-untyped-def]
    session: Session, row: AttemptAnswer, value: Any, now, seq, locked
) -> None:
    """One response, by a conditional UPDATE: two replays of the same save, in
    two transactions at once, apply once (the database orders them)."""
    stmt = update(AttemptAnswer).where(AttemptAnswer.id == row.id)
    if seq is not None:
        stmt = stmt.where(
            or_(AttemptAnswer.client_seq.is_(None), AttemptAnswer.client_seq < seq)
        )
    if locked:
        stmt = stmt.where(AttemptAnswer.answered_at.is_(None))
    changes = {"response": null() if value is None else value, "answered_at": now}
    if seq is not None:
        changes["client_seq"] = seq
    final = locked and row.answered_at is not None  # shown: nothing changes it
    done = session.execute(
        stmt.values(**changes).execution_options(synchronize_session=False)
    ).rowcount
    if done:  # the row now holds exactly this: no need to read it back
        set_committed_value(row, "response", value)
        set_committed_value(row, "answered_at", now)
        if seq is not None:
            set_committed_value(row, "client_seq", seq)
    elif not final:  # another save may have won: read what it left
        session.expire(row)
    replay = seq is not None and row.client_seq == seq
    if not done and locked and not replay and row.response != value:
        # The same answer sent again (a double tap, a form re-sent) is no change.
        raise Conflict("这道题已经作答并看过答案，不能再改")


def _validated(revision: QuestionRevision, response: Any, slug: str) -> Any:
    if grading.is_blank(response):
        return None  # cleared: unanswered again
    try:
        return grading.validate_response(
            revision.type,
            response,
            option_keys=[o["key"] for o in revision.options],
            blanks=_blanks(revision),
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), field=slug) from None


def _blanks(revision: QuestionRevision) -> int:
    return len(revision.answer) if revision.type == "fill" else 0
