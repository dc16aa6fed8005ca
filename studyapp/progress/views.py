"""Heartbeats, the today card, 补学, and the monthly book."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from studyapp.content import queries as content_queries
from studyapp.db import get_session
from studyapp.errors import NotFound, ValidationFailed
from studyapp.progress import books, days, queries, service
from studyapp.progress.forms import BookForm, BookProgressForm
from studyapp.progress.models import BookLog
from studyapp.progress.settings import ProgressSettings
from studyapp.timeutil import month_key, study_day, utcnow
from studyapp.web import is_htmx, render_page

bp = Blueprint("progress", __name__)


def progress_settings() -> ProgressSettings:
    return current_app.extensions["studyapp.progress_settings"]


def user():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def beat(lesson_slug: str, page_id: str) -> service.BeatResult:
    """Credit one heartbeat for the current user (shared by the web and the API)."""
    session = get_session()
    now = utcnow()
    lesson = content_queries.lesson_by_slug(
        session, lesson_slug, now, unit_path=current_user.branch.path
    )
    if lesson is None:
        raise NotFound(_("没有这篇课文"), field="lesson_id")
    if not page_id or len(page_id) > 64:
        raise ValidationFailed(_("缺少页面标识"), field="page_id")
    settings = progress_settings()
    result = service.credit_heartbeat(
        session,
        user(),
        lesson_slug=lesson.slug,
        lesson_minutes=lesson.minutes,
        page_id=page_id,
        now=now,
        settings=settings,
    )
    service.lesson_opened(session, user(), lesson.slug, now=now, settings=settings)
    session.commit()
    return result


@bp.post("/study/heartbeat")
@login_required
def heartbeat() -> ResponseReturnValue:
    """A visible lesson page reports that it is being read; the server decides."""
    result = beat(request.form.get("lesson", ""), request.form.get("page", ""))
    return jsonify(
        credited_seconds=result.credited_seconds,
        minutes_today=result.minutes_today,
        goal_met=result.goal_met,
    )


@bp.get("/progress/today")
@login_required
def today() -> ResponseReturnValue:
    """The today card (htmx refreshes it when progress changes)."""
    if not is_htmx():
        return redirect(url_for("main.home"))
    session = get_session()
    summary = queries.today_summary(
        session, current_user.id, study_day(utcnow()), progress_settings().goal_minutes
    )
    return render_page(
        "progress/_today.html", today=summary, tracking=progress_settings().tracking
    )


@bp.post("/makeup")
@login_required
def makeup() -> ResponseReturnValue:
    """Start 补学 for a missed day."""
    session = get_session()
    day = _parse_day(request.form.get("day", ""))
    days.start_makeup(session, user(), day, now=utcnow())
    session.commit()
    flash(
        _("已开始补学 %(d)s：接下来的学习时间先记到这一天。", d=day.isoformat()),
        "success",
    )
    return redirect(url_for("main.home"))


def _parse_day(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("日期格式不对"), field="day") from None


@bp.get("/books")
@login_required
def book_list() -> ResponseReturnValue:
    """月读一本书: my books, this month's first."""
    session = get_session()
    return render_page(
        "progress/books.html",
        form=BookForm(),
        books=queries.books(session, current_user.id),
        month=month_key(study_day(utcnow())),
    )


@bp.post("/books")
@login_required
def book_add() -> ResponseReturnValue:
    """Log a book for this month."""
    form = BookForm()
    session = get_session()
    if not form.validate_on_submit():
        return render_page(
            "progress/books.html",
            form=form,
            status=422,
            books=queries.books(session, current_user.id),
            month=month_key(study_day(utcnow())),
        )
    books.add_book(
        session,
        user(),
        title=form.title.data,
        author=form.author.data or "",
        now=utcnow(),
    )
    session.commit()
    return redirect(url_for("progress.book_list"))


@bp.post("/books/<int:book_id>")
@login_required
def book_update(book_id: int) -> ResponseReturnValue:
    """Save progress and a note; 100 % marks the book finished."""
    session = get_session()
    book = session.scalar(
        select(BookLog).where(BookLog.id == book_id, BookLog.user_id == current_user.id)
    )
    if book is None:
        raise NotFound(_("没有这本书"))
    form = BookProgressForm()
    if not form.validate_on_submit():
        return render_page(
            "progress/books.html",
            form=BookForm(),
            status=422,
            books=queries.books(session, current_user.id),
            failed=form,
            failed_id=book_id,
            month=month_key(study_day(utcnow())),
        )
    earned = books.update_book(
        session,
        user(),
        book,
        progress_percent=form.progress.data,
        note=form.note.data or "",
        now=utcnow(),
        settings=progress_settings(),
    )
    session.commit()
    if earned:
        flash(_("读完一本书，积分 +%(n)d。", n=earned), "success")
    return redirect(url_for("progress.book_list"))
