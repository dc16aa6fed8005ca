"""答题: open quizzes, one question per screen, submit, result, and the 错题本.

Each handler parses the form, calls one action of ``quiz.actions`` (the JSON
API calls the same ones), commits if it changed something, and renders.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.db import get_session
from studyapp.errors import Conflict
from studyapp.quiz import actions
from studyapp.quiz.forms import response_from_form
from studyapp.quiz.models import GRADED
from studyapp.quiz.payloads import (
    FormAnswerIn,
    QuestionPage,
    ReviewAnswerIn,
    SubmitIn,
)
from studyapp.timeutil import utcnow
from studyapp.web import hx_trigger, is_htmx, render_page

bp = Blueprint("quiz", __name__)


@bp.get("/quizzes")
@login_required
def quiz_list() -> ResponseReturnValue:
    """Quizzes open now, the 错题本 and my recent results."""
    page = actions.quiz_list(get_session(), current_user, utcnow())
    return render_page("quiz/list.html", page=page)


@bp.get("/quizzes/<slug>")
@login_required
def intro(slug: str) -> ResponseReturnValue:
    """What the quiz is, its rules, and the start button."""
    quiz = actions.quiz_intro(get_session(), current_user, slug, utcnow())
    return render_page("quiz/intro.html", quiz=quiz, card=quiz.card, slug=slug)


@bp.post("/quizzes/<slug>/start")
@login_required
def start(slug: str) -> ResponseReturnValue:
    """Start (or resume) an attempt and go to its first unanswered question."""
    session = get_session()
    view = actions.start_attempt(session, current_user, slug, utcnow())
    session.commit()
    return redirect(url_for("quiz.question", attempt_id=view.attempt_id,
                            n=view.first_open()))  # fmt: skip


def _attempt(attempt_id: int):  # type: ignore[no-untyped-def]
    return actions.get_attempt(get_session(), current_user, attempt_id, utcnow())


def _question(page: QuestionPage) -> ResponseReturnValue:
    total = len(page.attempt.questions)
    return render_page("quiz/take.html", partial="quiz/_question.html", page=page,
                       attempt=page.attempt, item=page.item, total=total)  # fmt: skip


@bp.get("/attempts/<int:attempt_id>/q/<int:n>")
@login_required
def question(attempt_id: int, n: int) -> ResponseReturnValue:
    """Question ``n`` of an attempt (htmx swaps just the question card)."""
    page = actions.question_page(get_session(), current_user, attempt_id, n, utcnow())
    if page.attempt.state == GRADED:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    return _question(page)


@bp.post("/attempts/<int:attempt_id>/q/<int:n>")
@login_required
def answer(attempt_id: int, n: int) -> ResponseReturnValue:
    """Save the answer to question ``n`` (on every tap from the phone, numbered
    ``seq``; or with “下一题” without JavaScript)."""
    body = FormAnswerIn(choices=request.form.getlist("response"),
                        blanks=request.form.getlist("blank"),
                        seq=request.form.get("seq") or None)  # fmt: skip
    session = get_session()
    page = actions.answer_question(session, current_user, attempt_id, n, body, utcnow())
    session.commit()
    if is_htmx() and page.reveal:  # the answer is shown now: the card with it
        return _question(page)
    if is_htmx():
        return render_page("quiz/_saved.html", saved=True)
    return redirect(_after_answer(page))


def _after_answer(page: QuestionPage) -> str:
    n, total = page.item.position, len(page.attempt.questions)
    attempt_id = page.attempt.attempt_id
    go = request.form.get("go")
    if go == "check" or (page.reveal is not None and request.form.get("seen") != "1"):
        return url_for("quiz.question", attempt_id=attempt_id, n=n)  # see it first
    if go == "prev" and n > 1:
        return url_for("quiz.question", attempt_id=attempt_id, n=n - 1)
    if n < total:
        return url_for("quiz.question", attempt_id=attempt_id, n=n + 1)
    return url_for("quiz.confirm", attempt_id=attempt_id)


@bp.get("/attempts/<int:attempt_id>/submit")
@login_required
def confirm(attempt_id: int) -> ResponseReturnValue:
    """Before handing in: which questions are still unanswered."""
    view = _attempt(attempt_id)
    if view.state == GRADED:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    return render_page("quiz/confirm.html", attempt=view, items=view.questions)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    """Grade once (a repeat shows the same result), then show the result."""
    session = get_session()
    actions.submit(session, current_user, attempt_id, SubmitIn(), utcnow())
    session.commit()
    resp = redirect(url_for("quiz.result", attempt_id=attempt_id))
    return hx_trigger(resp, "progress-changed")


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    """Score, and what was right or wrong with explanations, as the policy allows."""
    try:
        found = actions.result(get_session(), current_user, attempt_id, utcnow())
    except Conflict:  # not handed in yet
        return redirect(url_for("quiz.confirm", attempt_id=attempt_id))
    return render_page("quiz/result.html", result=found)


@bp.get("/review")
@login_required
def review_page() -> ResponseReturnValue:
    """错题本: the next due card."""
    session, now = get_session(), utcnow()
    cards = actions.review_due(session, current_user, now, limit=1)
    due = actions.review_due_count(session, current_user, now)
    return render_page("quiz/review.html", partial="quiz/_review_card.html",
                       item=cards[0] if cards else None, due=due)  # fmt: skip


@bp.post("/review/<slug>")
@login_required
def review_answer(slug: str) -> ResponseReturnValue:
    """Answer a due card; show the answer, the explanation and the lesson."""
    response = response_from_form(request.form.get("type", ""), request.form)
    session = get_session()
    outcome = actions.answer_review(
        session, current_user, slug, ReviewAnswerIn(response=response), utcnow()
    )
    session.commit()
    resp = render_page("quiz/review_done.html", partial="quiz/_review_result.html",
                       outcome=outcome, slug=slug)  # fmt: skip
    return hx_trigger(resp, "progress-changed")


@bp.get("/review/book")
@login_required
def review_book() -> ResponseReturnValue:
    """错题本: every question I got wrong, with its options, my wrong choice and
    the right one, and when it is due."""
    book = actions.review_book(get_session(), current_user, utcnow())
    return render_page("quiz/book.html", book=book)
