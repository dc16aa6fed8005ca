"""``/api/v1`` routes for quizzes, attempts and the 错题本 (on the v1 blueprint)."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.api.v1 import bp, json_body
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.quiz import prompts, queries, results, review, service
from studyapp.quiz.models import GRADED
from studyapp.timeutil import utcnow


def _user():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["studyapp.progress_settings"]


def _answers(data: dict[str, Any], required: bool) -> dict[str, Any]:
    answers = data.get("answers", {} if not required else None)
    if not isinstance(answers, dict):
        raise ValidationFailed("answers 应为 {题目 id: 作答}", field="answers")
    return answers


@bp.get("/quizzes")
@login_required
def quizzes() -> ResponseReturnValue:
    """Quizzes open to me now (the daily quiz has id ``daily``)."""
    cards = queries.quiz_cards(
        get_session(), current_user.id, current_user.branch.path, utcnow()
    )
    return jsonify(
        [
            {
                "id": c.slug,
                "kind": c.kind,
                "title": c.title,
                "closes_at": c.closes_at.isoformat(),
                "attempts_left": c.attempts_left,
                "open_attempt_id": c.open_attempt_id,
            }
            for c in cards
        ]
    )


def _attempt_json(session, attempt) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    items = prompts.build(prompts.attempt_rows(session, attempt.id))
    return {
        "attempt_id": attempt.id,
        "state": attempt.state,
        "deadline": attempt.deadline.isoformat(),
        "questions": [i.as_json() for i in items],
    }


@bp.post("/quizzes/<slug>/attempts")
@login_required
def start_attempt(slug: str) -> ResponseReturnValue:
    """Start (or resume) an attempt; the questions come without answers."""
    session = get_session()
    attempt = service.start_attempt(
        session, _user(), slug, now=utcnow(), settings=_settings()
    )
    session.commit()
    return jsonify(_attempt_json(session, attempt))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def get_attempt(attempt_id: int) -> ResponseReturnValue:
    """An attempt with its questions and my saved responses."""
    session = get_session()
    return jsonify(
        _attempt_json(session, service.get_attempt(session, _user(), attempt_id))
    )


@bp.put("/attempts/<int:attempt_id>/answers")
@login_required
def save_answers(attempt_id: int) -> ResponseReturnValue:
    """Save responses as they are given: ``{answers: {question_id: response}}``."""
    answers = _answers(json_body(), required=True)
    session = get_session()
    service.save_answers(session, _user(), attempt_id, answers, now=utcnow())
    session.commit()
    return jsonify(saved=len(answers))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    """Grade once; a repeat returns the same result."""
    answers = _answers(json_body(), required=False)
    session = get_session()
    attempt = service.submit_attempt(
        session, _user(), attempt_id, answers, now=utcnow(), settings=_settings()
    )
    session.commit()
    definition = service.occurrence_definition(session, attempt.occurrence)
    return jsonify(results.build(session, attempt, definition, utcnow()).as_json())


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    """The result of a graded attempt (409 while it is still open)."""
    session = get_session()
    attempt = service.get_attempt(session, _user(), attempt_id)
    if attempt.state != GRADED:
        from studyapp.errors import Conflict

        raise Conflict("还没有交卷")
    definition = service.occurrence_definition(session, attempt.occurrence)
    return jsonify(results.build(session, attempt, definition, utcnow()).as_json())


@bp.get("/review")
@login_required
def review_due() -> ResponseReturnValue:
    """Due 错题本 cards, most overdue first."""
    session = get_session()
    cards = review.due_cards(session, current_user.id, utcnow())
    return jsonify(
        [
            {
                "question_id": c.slug,
                "type": c.revision.type,
                "stem_html": c.revision.stem_html,
                "options": [
                    {"key": o["key"], "html": o["html"]} for o in c.revision.options
                ],
                "blanks": prompts.blank_count(c.revision.stem_html),
                "leech": c.card.is_leech,
                "lesson": c.source_lesson,
            }
            for c in cards
        ]
    )


@bp.post("/review/<slug>")
@login_required
def review_answer(slug: str) -> ResponseReturnValue:
    """Answer one card: ``{response}``; returns the answer and explanation."""
    data = json_body()
    if "response" not in data:
        raise ValidationFailed("缺少字段 response", field="response")
    session = get_session()
    outcome = review.answer_review(
        session, _user(), slug, data["response"], now=utcnow(), settings=_settings()
    )
    session.commit()
    return jsonify(
        correct=outcome.correct,
        answer=outcome.answer,
        explanation=outcome.explanation_html,
        lesson=outcome.source_lesson,
        leech=outcome.is_leech,
        points=outcome.points,
    )
