"""What a member may see of answers, as the review policy allows: after each
answer (``after_answer``), after submitting, or after the quiz has closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from studyapp.content.models import Question, QuestionRevision, QuizDefinition
from studyapp.quiz import grading
from studyapp.quiz.catalog import public_slug
from studyapp.quiz.models import GRADED, Attempt, AttemptAnswer, ReviewCard
from studyapp.quiz.payloads import AnswerReveal, ItemResult, Result
from studyapp.quiz.prompts import attempt_rows, held_lessons, shown_options
from studyapp.quiz.review import held_due


def policy_allows(definition: QuizDefinition, attempt: Attempt, now: datetime) -> bool:
    """after_answer and after_submit: at once; after_close: once the occurrence
    has closed; never: never."""
    policy = definition.config.review
    if attempt.state != GRADED or policy == "never":
        return False
    return policy != "after_close" or now >= attempt.occurrence.closes_at


def reveal(
    answer: AttemptAnswer, revision: QuestionRevision, slug: str, lesson: str | None
) -> AnswerReveal:
    """The answer to one question just answered (the caller checks the policy)."""
    return AnswerReveal(
        question_id=slug,
        correct=grading.grade(revision.type, revision.answer, answer.response).correct,
        response=answer.response,
        answer=revision.answer,
        explanation=revision.explanation_html or None,
        lesson=lesson,
    )


def lessons_of(session: Session, question_ids: list[int]) -> dict[int, str | None]:
    """Each question's lesson (出处, or its bank's lesson); none read again when
    the attempt's rows brought them (``prompts.remember_lessons``)."""
    held = held_lessons(session)
    missing = [q for q in question_ids if q not in held]
    if not missing:
        return {q: held[q] for q in question_ids}
    stmt = select(Question.id, Question.source_lesson).where(Question.id.in_(missing))
    found = {qid: lesson for qid, lesson in session.execute(stmt)}
    return {q: held[q] for q in question_ids if q in held} | found


def build(
    session: Session, attempt: Attempt, definition: QuizDefinition, now: datetime
) -> Result:
    """The result of a graded attempt, hiding what the policy does not allow yet."""
    shown = policy_allows(definition, attempt, now)
    rows = attempt_rows(session, attempt.id)
    ids = [a.question_id for a, _r, _s in rows]
    lessons = lessons_of(session, ids) if shown else {}
    items = [
        ItemResult(
            question_id=slug,
            position=answer.position,
            type=revision.type,
            stem_html=revision.stem_html,
            options=shown_options(revision, answer.option_order),
            response=answer.response,
            correct=answer.is_correct if shown else None,
            answer=revision.answer if shown else None,
            explanation=(revision.explanation_html or None) if shown else None,
            lesson=lessons.get(answer.question_id),
        )
        for answer, revision, slug in rows
    ]
    cfg = definition.config
    pending = cfg.review == "after_close" and not shown
    wrong = [a.question_id for a, _r, _s in rows if a.is_correct is False]
    in_book, due_now, due_at = _book_state(session, attempt, wrong, now)
    return Result(
        attempt_id=attempt.id,
        quiz_id=public_slug(definition),
        title=definition.title,
        kind=definition.kind,
        score=attempt.score or 0.0,
        correct=attempt.correct_count or 0,
        total=attempt.question_count,
        passed=(attempt.score or 0) >= cfg.pass_score,
        pass_score=cfg.pass_score,
        points=attempt.points_awarded or 0,
        review_available=shown,
        review_at=attempt.occurrence.closes_at if pending else None,
        results=items,
        lesson=cfg.lesson or next((i.lesson for i in items if not i.correct), None),
        in_book=in_book,
        book_due_now=due_now,
        book_due_at=due_at,
    )


def _book_state(
    session: Session, attempt: Attempt, wrong: list[int], now: datetime
) -> tuple[int, int, datetime | None]:
    """How many of the wrong answers are in the 错题本, how many of them are due
    now, and when the first of the others is (what the page says must match the
    schedule, not a guess: a card already in the book may be due now while the
    new ones wait)."""
    if not wrong or not attempt.in_review_book:
        return 0, 0, None
    held = held_due(session, attempt.user_id, wrong)
    if held is not None:  # graded in this request: the cards are known
        later_ones = [d for d in held if d > now]
        return len(held), len(held) - len(later_ones), min(later_ones, default=None)
    due = ReviewCard.due_at
    count, due_now, later = session.execute(
        select(
            func.count(ReviewCard.id),
            func.coalesce(func.sum(case((due <= now, 1), else_=0)), 0),
            func.min(case((due > now, due))),
        ).where(
            ReviewCard.user_id == attempt.user_id, ReviewCard.question_id.in_(wrong)
        )
    ).one()
    return count, int(due_now), later
