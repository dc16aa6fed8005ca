"""What a member may see after submitting, as the review policy allows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from studyapp.content.models import QuizDefinition
from studyapp.quiz.models import GRADED, Attempt
from studyapp.quiz.prompts import OptionPrompt, attempt_rows, shown_options


@dataclass(frozen=True)
class ItemResult:
    id: str
    position: int
    type: str
    stem_html: str
    options: tuple[OptionPrompt, ...]
    response: Any
    correct: bool | None  #: None while the policy hides it
    answer: Any  #: None while the policy hides it
    explanation_html: str | None


@dataclass(frozen=True)
class Result:
    attempt: Attempt
    definition: QuizDefinition
    score: float
    correct_count: int
    total: int
    passed: bool
    points: int
    reveal: bool  #: answers and explanations shown
    reveal_at: datetime | None  #: when they will be (after_close), else None
    items: tuple[ItemResult, ...]

    def as_json(self) -> dict[str, Any]:
        """SPEC §7 submit result: score in percent of max_score 100."""
        results = []
        for item in self.items:
            entry: dict[str, Any] = {"question_id": item.id}
            if self.reveal:
                entry.update(
                    correct=item.correct,
                    answer=item.answer,
                    explanation=item.explanation_html,
                )
            results.append(entry)
        return {
            "attempt_id": self.attempt.id,
            "score": self.score,
            "max_score": 100,
            "correct": self.correct_count,
            "total": self.total,
            "passed": self.passed,
            "points": self.points,
            "review_available": self.reveal,
            "review_at": self.reveal_at.isoformat() if self.reveal_at else None,
            "results": results,
        }


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
    items = []
    for answer, revision, slug in attempt_rows(session, attempt.id):
        items.append(
            ItemResult(
                id=slug,
                position=answer.position,
                type=revision.type,
                stem_html=revision.stem_html,
                options=shown_options(revision, answer.option_order),
                response=answer.response,
                correct=answer.is_correct if reveal else None,
                answer=revision.answer if reveal else None,
                explanation_html=revision.explanation_html if reveal else None,
            )
        )
    policy = definition.config.review
    pending = policy == "after_close" and not reveal
    return Result(
        attempt=attempt,
        definition=definition,
        score=attempt.score or 0.0,
        correct_count=attempt.correct_count or 0,
        total=attempt.question_count,
        passed=(attempt.score or 0) >= definition.config.pass_score,
        points=attempt.points_awarded or 0,
        reveal=reveal,
        reveal_at=attempt.occurrence.closes_at if pending else None,
        items=tuple(items),
    )
