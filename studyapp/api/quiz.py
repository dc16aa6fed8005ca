"""``/api/v1``: quizzes, attempts and the 错题本."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from pydantic import RootModel

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.quiz import actions
from studyapp.quiz.payloads import (
    AnswersIn,
    AttemptSummary,
    AttemptView,
    QuizCard,
    QuizIntro,
    Result,
    ReviewAnswerIn,
    ReviewBook,
    ReviewCard,
    ReviewOutcome,
    Saved,
    SubmitIn,
)
from studyapp.timeutil import utcnow

router = Router("quiz", "quizzes", "答题: quizzes, attempts, results, 错题本.")


class QuizCards(RootModel[list[QuizCard]]):
    pass


class Attempts(RootModel[list[AttemptSummary]]):
    pass


class ReviewCards(RootModel[list[ReviewCard]]):
    pass


@router.get("/quizzes", ok=QuizCards, errors=(401,))
def quizzes() -> Any:
    """Quizzes open to me now (the daily quiz has id ``daily``)."""
    return QuizCards(actions.quiz_cards(get_session(), current_user, utcnow()))


@router.get("/quizzes/<slug>", ok=QuizIntro)
def quiz(slug: str) -> Any:
    """A quiz's rules, and whether I can take it now (``card``)."""
    return actions.quiz_intro(get_session(), current_user, slug, utcnow())


@router.post("/quizzes/<slug>/attempts", ok=AttemptView, errors=(401, 404, 409))
def start_attempt(slug: str) -> Any:
    """Start (or resume) an attempt; the questions come without answers."""
    session = get_session()
    result = actions.start_attempt(session, current_user, slug, utcnow())
    session.commit()
    return result


@router.get("/attempts", ok=Attempts, errors=(401,))
def attempts() -> Any:
    """My latest graded attempts, newest first."""
    return Attempts(actions.attempt_history(get_session(), current_user, utcnow()))


@router.get("/attempts/<int:attempt_id>", ok=AttemptView)
def get_attempt(attempt_id: int) -> Any:
    """An attempt with its questions and my saved responses."""
    return actions.get_attempt(get_session(), current_user, attempt_id, utcnow())


@router.put("/attempts/<int:attempt_id>/answers", json=AnswersIn, ok=Saved)
def save_answers(attempt_id: int, json: AnswersIn) -> Any:
    """Save responses as they are given: ``{answers: {question_id: response}}``."""
    session = get_session()
    result = actions.save_answers(session, current_user, attempt_id, json, utcnow())
    session.commit()
    return result


@router.post("/attempts/<int:attempt_id>/submit", json=SubmitIn, ok=Result)
def submit(attempt_id: int, json: SubmitIn) -> Any:
    """Grade once; a repeat returns the same result."""
    session = get_session()
    result = actions.submit(session, current_user, attempt_id, json, utcnow())
    session.commit()
    return result


@router.get("/attempts/<int:attempt_id>/result", ok=Result, errors=(401, 404, 409))
def result(attempt_id: int) -> Any:
    """The result of a graded attempt (409 while it is still open)."""
    return actions.result(get_session(), current_user, attempt_id, utcnow())


@router.get("/review", ok=ReviewCards, errors=(401,))
def review_due() -> Any:
    """Due 错题本 cards, most overdue first."""
    return ReviewCards(actions.review_due(get_session(), current_user, utcnow()))


@router.get("/review/book", ok=ReviewBook, errors=(401,))
def review_book() -> Any:
    """My whole 错题本: due and not yet due cards, with ``due_at``."""
    return actions.review_book(get_session(), current_user, utcnow())


@router.post("/review/<slug>", json=ReviewAnswerIn, ok=ReviewOutcome)
def review_answer(slug: str, json: ReviewAnswerIn) -> Any:
    """Answer one card; returns the answer and the explanation."""
    session = get_session()
    result = actions.answer_review(session, current_user, slug, json, utcnow())
    session.commit()
    return result
