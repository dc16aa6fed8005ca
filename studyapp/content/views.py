"""学习: the lesson list (series, tags, search) and the lesson page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.content import queries
from studyapp.db import get_session
from studyapp.timeutil import utcnow
from studyapp.web import render_page

bp = Blueprint("content", __name__)


def member_unit_path() -> str:
    return current_user.branch.path


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    """Published lessons, newest first; htmx swaps just the results."""
    session = get_session()
    now = utcnow()
    args = {
        "series": request.args.get("series") or None,
        "tag": request.args.get("tag") or None,
        "q": (request.args.get("q") or "").strip()[:50] or None,
    }
    page = request.args.get("page", 1, type=int)
    rows, has_more = queries.published_lessons(
        session, now, unit_path=member_unit_path(), page=page, **args
    )
    series, tags = queries.lesson_facets(session, now)
    return render_page(
        "content/lessons.html",
        partial="content/_results.html",
        lessons=rows,
        has_more=has_more,
        page_no=page,
        args=args,
        all_series=series,
        all_tags=tags,
    )


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    """One lesson, rendered at publish time (no Markdown work per request)."""
    found = queries.lesson_by_slug(
        get_session(), slug, utcnow(), unit_path=member_unit_path()
    )
    if found is None:
        abort(404)
    return render_page("content/lesson.html", lesson=found)


@bp.get("/media/<name>")
def media(name: str) -> ResponseReturnValue:
    """A content image by hash; immutable, so phones cache it for a year."""
    sha, _, _ext = name.partition(".")
    found = queries.media_file(get_session(), sha)
    if found is None:
        abort(404)
    resp = Response(found.data, mimetype=found.mime)
    resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    # An SVG opened directly must not run script in our origin.
    resp.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    return resp
