"""Build an attempt's paper: candidates from the published banks, then the draw."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.content.format.docs import DAILY_DEFAULT_COUNT
from studyapp.content.models import (
    ACTIVE,
    Question,
    QuestionBank,
    QuestionRevision,
    QuizDefinition,
)
from studyapp.quiz import selection
from studyapp.quiz.models import Attempt, AttemptAnswer, ReviewCard


def seen_counts(session: Session, user_id: int) -> dict[int, int]:
    """How often the member has been asked each question."""
    stmt = (
        select(AttemptAnswer.question_id, func.count())
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.user_id == user_id)
        .group_by(AttemptAnswer.question_id)
    )
    return dict(session.execute(stmt).all())


def exam_only_ids(session: Session) -> set[int]:
    """Questions of exam papers: never shown in daily practice."""
    exams = select(QuizDefinition.slug).where(QuizDefinition.kind == "exam")
    return set(
        session.scalars(select(Question.id).where(Question.quiz_slug.in_(exams)))
    )


def candidates(session: Session, user_id: int) -> list[selection.Candidate]:
    """Every active question of an active bank, with how often the member saw it."""
    seen = seen_counts(session, user_id)
    stmt = (
        select(Question.id, QuestionBank.slug, Question.tags, Question.type)
        .join(QuestionBank, QuestionBank.id == Question.bank_id)
        .where(
            Question.status == ACTIVE,
            QuestionBank.status == ACTIVE,
            Question.current_revision_id.is_not(None),
        )
    )
    return [
        selection.Candidate(
            question_id=qid,
            bank=bank,
            tags=tuple(tags or ()),
            type=qtype,
            times_seen=seen.get(qid, 0),
        )
        for qid, bank, tags, qtype in session.execute(stmt)
    ]


def due_review_ids(session: Session, user_id: int, now, limit: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Question ids of due 错题本 cards, most overdue first."""
    stmt = (
        select(ReviewCard.question_id)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id == user_id,
            ReviewCard.due_at <= now,
            Question.status == ACTIVE,
        )
        .order_by(ReviewCard.due_at)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def paper(
    session: Session, definition: QuizDefinition, user_id: int, seed: str, now
) -> list[int]:  # type: ignore[no-untyped-def]
    """The question ids of a new attempt, in order.

    A fixed paper is asked as written. Otherwise the draw rules apply (the daily
    quiz without rules draws ``count`` from every bank, due reviews first);
    exam papers' questions never appear in practice.
    """
    cfg = definition.config
    if cfg.questions:
        by_slug = dict(
            session.execute(
                select(Question.slug, Question.id).where(
                    Question.slug.in_(cfg.questions), Question.status == ACTIVE
                )
            ).all()
        )
        return [by_slug[s] for s in cfg.questions if s in by_slug]
    rules = [
        selection.Rule(count=r.count, bank=r.bank, tags=r.tags, types=r.types)
        for r in cfg.draw
    ] or [selection.Rule(count=cfg.count or DAILY_DEFAULT_COUNT)]
    daily = definition.kind == "daily"
    first = (
        due_review_ids(session, user_id, now, sum(r.count for r in rules))
        if daily
        else []
    )
    exclude = exam_only_ids(session) if definition.kind != "exam" else set()
    return selection.draw(
        candidates(session, user_id), rules, seed, exclude=exclude, first=first
    )


def current_revisions(
    session: Session, question_ids: list[int]
) -> dict[int, QuestionRevision]:
    """The revision each question is asked in now."""
    stmt = (
        select(Question.id, QuestionRevision)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(Question.id.in_(question_ids))
    )
    return dict(session.execute(stmt).all())
