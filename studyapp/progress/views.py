"""The today card, 补学, and the monthly book (HTML; the API has the same actions)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.progress import actions
from studyapp.progress.forms import BookForm, BookProgressForm
from studyapp.progress.payloads import BookIn, BookProgressIn, MakeUpIn
from studyapp.timeutil import utcnow
from studyapp.web import is_htmx, render_page

bp = Blueprint("progress", __name__)


@bp.get("/progress/today")
@login_required
def today() -> ResponseReturnValue:
    """The today card (htmx refreshes it when progress changes)."""
    if not is_htmx():
        return redirect(url_for("main.home"))
    summary = actions.today(get_session(), current_user, utcnow())
    return render_page("progress/_today.html", today=summary)


@bp.post("/makeup")
@login_required
def makeup() -> ResponseReturnValue:
    """Start 补学 for a missed day."""
    try:
        body = MakeUpIn(day=date.fromisoformat(request.form.get("day", "")))
    except ValueError:
        raise ValidationFailed(_("日期格式不对"), field="day") from None
    session = get_session()
    started = actions.start_makeup(session, current_user, body, utcnow())
    session.commit()
    flash(
        _("已开始补学 %(d)s：接下来的学习时间先记到这一天。", d=started.day), "success"
    )
    return redirect(url_for("main.home"))


@bp.get("/books")
@login_required
def book_list() -> ResponseReturnValue:
    """月读一本书: my books, this month's first."""
    return _books_page(BookForm())


def _books_page(form: BookForm, status: int = 200, **failed: object):  # type: ignore[no-untyped-def]
    page = actions.books(get_session(), current_user, utcnow())
    return render_page("progress/books.html", form=form, status=status,
                       books=page.books, month=page.month, **failed)  # fmt: skip


@bp.post("/books")
@login_required
def book_add() -> ResponseReturnValue:
    """Log a book for this month."""
    form = BookForm()
    if not form.validate_on_submit():
        return _books_page(form, 422)
    session = get_session()
    body = BookIn(title=form.title.data, author=form.author.data or "")
    actions.add_book(session, current_user, body, utcnow())
    session.commit()
    return redirect(url_for("progress.book_list"))


@bp.post("/books/<int:book_id>")
@login_required
def book_update(book_id: int) -> ResponseReturnValue:
    """Save progress and a note; 100 % marks the book finished."""
    form = BookProgressForm()
    if not form.validate_on_submit():
        return _books_page(BookForm(), 422, failed=form, failed_id=book_id)
    session = get_session()
    body = BookProgressIn(
        progress_percent=form.progress.data, note=form.note.data or ""
    )
    saved = actions.update_book(session, current_user, book_id, body, utcnow())
    session.commit()
    if saved.points_earned:
        flash(_("读完一本书，积分 +%(n)d。", n=saved.points_earned), "success")
    return redirect(url_for("progress.book_list"))
