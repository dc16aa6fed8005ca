"""What a member may see after submitting, as the review policy allows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from studyapp.content.models import QuizDefinition
from studyapp.quiz.catalog import public_slug
from studyapp.quiz.models import GRADED, Attempt
from studyapp.quiz.payloads import ItemResult, Result
from studyapp.quiz.prompts import attempt_rows, shown_options


def policy_allows(definition: QuizDefinition, attempt: Attempt, now: datetime) -> bool:
    """after_submit: at once; after_close: once the occurrence has closed; never."""
    policy = definition.config.review
    if attempt.state != GRADED or policy == "never":
        return False
    return policy == "after_submit" or now >= attempt.occurrence.closes_at


def build(
    session: Session, attempt: Attempt, definition: QuizDefinition, now: datetime
) -> Result:
    """The result of a graded attempt, hiding what the policy does not allow yet."""
    reveal = policy_allows(definition, attempt, now)
    items = [
        ItemResult(
            question_id=slug,
            position=answer.position,
            type=revision.type,
            stem_html=revision.stem_html,
            options=shown_options(revision, answer.option_order),
            response=answer.response,
            correct=answer.is_correct if reveal else None,
            answer=revision.answer if reveal else None,
            explanation=(revision.explanation_html or None) if reveal else None,
        )
        for answer, revision, slug in attempt_rows(session, attempt.id)
    ]
    cfg = definition.config
    pending = cfg.review == "after_close" and not reveal
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
        review_available=reveal,
        review_at=attempt.occurrence.closes_at if pending else None,
        results=items,
    )
