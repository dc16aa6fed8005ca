"""答题: open quizzes, one question per screen, submit, result, and the 错题本."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.db import get_session
from studyapp.quiz import catalog, prompts, queries, results, review, service
from studyapp.quiz.forms import response_from_form
from studyapp.quiz.models import GRADED
from studyapp.timeutil import utcnow
from studyapp.web import hx_trigger, is_htmx, render_page

bp = Blueprint("quiz", __name__)


def _user():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["studyapp.progress_settings"]


@bp.get("/quizzes")
@login_required
def quiz_list() -> ResponseReturnValue:
    """Quizzes open now, the 错题本 and my recent results."""
    session, now = get_session(), utcnow()
    return render_page(
        "quiz/list.html",
        cards=queries.quiz_cards(
            session, current_user.id, current_user.branch.path, now
        ),
        due=review.due_count(session, current_user.id, now),
        recent=queries.recent_attempts(session, current_user.id),
    )


@bp.get("/quizzes/<slug>")
@login_required
def intro(slug: str) -> ResponseReturnValue:
    """What the quiz is, its rules, and the start button."""
    session, now = get_session(), utcnow()
    definition = catalog.find_definition(session, slug)
    if definition is None or not catalog.audience_ok(
        session, definition, current_user.branch.path
    ):
        abort(404)
    card = next(
        (
            c
            for c in queries.quiz_cards(
                session, current_user.id, current_user.branch.path, now
            )
            if c.slug == slug
        ),
        None,
    )
    return render_page("quiz/intro.html", definition=definition, card=card, slug=slug)


@bp.post("/quizzes/<slug>/start")
@login_required
def start(slug: str) -> ResponseReturnValue:
    """Start (or resume) an attempt and go to its first unanswered question."""
    session = get_session()
    attempt = service.start_attempt(
        session, _user(), slug, now=utcnow(), settings=_settings()
    )
    session.commit()
    return redirect(
        url_for("quiz.question", attempt_id=attempt.id, n=_first_open(attempt))
    )


def _first_open(attempt) -> int:  # type: ignore[no-untyped-def]
    return next((a.position for a in attempt.answers if a.response is None), 1)


def _load(attempt_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    attempt = service.get_attempt(session, _user(), attempt_id)
    return session, attempt, prompts.build(prompts.attempt_rows(session, attempt.id))


@bp.get("/attempts/<int:attempt_id>/q/<int:n>")
@login_required
def question(attempt_id: int, n: int) -> ResponseReturnValue:
    """Question ``n`` of an attempt (htmx swaps just the question card)."""
    session, attempt, items = _load(attempt_id)
    if attempt.state == GRADED:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if not 1 <= n <= len(items):
        abort(404)
    definition = service.occurrence_definition(session, attempt.occurrence)
    return render_page(
        "quiz/take.html",
        partial="quiz/_question.html",
        attempt=attempt,
        item=items[n - 1],
        total=len(items),
        timed=bool(definition.config.time_limit_seconds),
        answered=sum(i.response is not None for i in items),
    )


@bp.post("/attempts/<int:attempt_id>/q/<int:n>")
@login_required
def answer(attempt_id: int, n: int) -> ResponseReturnValue:
    """Save the answer to question ``n`` (on every tap with htmx; or on “下一题”)."""
    session, attempt, items = _load(attempt_id)
    if not 1 <= n <= len(items):
        abort(404)
    item = items[n - 1]
    service.save_answers(
        session,
        _user(),
        attempt_id,
        {item.id: response_from_form(item.type, request.form)},
        now=utcnow(),
    )
    session.commit()
    if is_htmx():
        return render_page("quiz/_saved.html", saved=True)
    target = n + 1 if n < len(items) else None
    if request.form.get("go") == "prev" and n > 1:
        target = n - 1
    if target is None:
        return redirect(url_for("quiz.confirm", attempt_id=attempt_id))
    return redirect(url_for("quiz.question", attempt_id=attempt_id, n=target))


@bp.get("/attempts/<int:attempt_id>/submit")
@login_required
def confirm(attempt_id: int) -> ResponseReturnValue:
    """Before handing in: which questions are still unanswered."""
    _session, attempt, items = _load(attempt_id)
    if attempt.state == GRADED:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    return render_page("quiz/confirm.html", attempt=attempt, items=items)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    """Grade once (a repeat shows the same result), then show the result."""
    session = get_session()
    service.submit_attempt(
        session, _user(), attempt_id, None, now=utcnow(), settings=_settings()
    )
    session.commit()
    resp = redirect(url_for("quiz.result", attempt_id=attempt_id))
    return hx_trigger(resp, "progress-changed")


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    """Score, and what was right or wrong with explanations, as the policy allows."""
    session = get_session()
    attempt = service.get_attempt(session, _user(), attempt_id)
    if attempt.state != GRADED:
        return redirect(url_for("quiz.confirm", attempt_id=attempt_id))
    definition = service.occurrence_definition(session, attempt.occurrence)
    return render_page(
        "quiz/result.html", result=results.build(session, attempt, definition, utcnow())
    )


@bp.get("/review")
@login_required
def review_page() -> ResponseReturnValue:
    """错题本: the next due card."""
    session, now = get_session(), utcnow()
    cards = review.due_cards(session, current_user.id, now, limit=1)
    item = _review_prompt(cards[0]) if cards else None
    return render_page(
        "quiz/review.html",
        partial="quiz/_review_card.html",
        item=item,
        card=cards[0].card if cards else None,
        due=review.due_count(session, current_user.id, now),
    )


def _review_prompt(due):  # type: ignore[no-untyped-def]
    options = tuple(
        prompts.OptionPrompt(o["key"], o["html"]) for o in due.revision.options
    )
    return prompts.QuestionPrompt(
        id=due.slug,
        position=1,
        type=due.revision.type,
        stem_html=due.revision.stem_html,
        options=options,
        blanks=prompts.blank_count(due.revision.stem_html),
        response=None,
    )


@bp.post("/review/<slug>")
@login_required
def review_answer(slug: str) -> ResponseReturnValue:
    """Answer a due card; show the answer, the explanation and the lesson."""
    session = get_session()
    qtype = request.form.get("type", "")
    outcome = review.answer_review(
        session,
        _user(),
        slug,
        response_from_form(qtype, request.form),
        now=utcnow(),
        settings=_settings(),
    )
    session.commit()
    resp = render_page(
        "quiz/review_done.html",
        partial="quiz/_review_result.html",
        outcome=outcome,
        slug=slug,
    )
    return hx_trigger(resp, "progress-changed")


class HomeCard:
    """The quiz card on the home page: today's daily quiz, due reviews, next quiz."""

    template = "quiz/_home_card.html"

    def __init__(self) -> None:
        session, now = get_session(), utcnow()
        path = current_user.branch.path
        definitions = catalog.definitions_for(session, path)  # once for both
        cards = queries.quiz_cards(session, current_user.id, path, now, definitions)
        self.daily = next((c for c in cards if c.kind == "daily"), None)
        self.others = [c for c in cards if c.kind != "daily" and not c.done]
        self.due = review.due_count(session, current_user.id, now)
        self.upcoming = queries.next_quiz(session, path, now, definitions)
