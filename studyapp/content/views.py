"""学习: the lesson list (series, tags, search) and the lesson page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.content import actions, queries
from studyapp.content.payloads import LessonQuery
from studyapp.db import get_session
from studyapp.timeutil import utcnow
from studyapp.web import render_page

bp = Blueprint("content", __name__)


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    """Published lessons, newest first; htmx swaps just the results."""
    query = LessonQuery.model_validate(_args("q", "series", "tag", "page"))
    page = actions.lessons(get_session(), current_user, query, utcnow())
    return render_page(
        "content/lessons.html", partial="content/_results.html", page=page,
        lessons=page.lessons, has_more=page.has_more, page_no=page.page,
        args=page.query.model_dump(exclude={"page"}),
        all_series=page.all_series, all_tags=page.all_tags,
    )  # fmt: skip


def _args(*names: str) -> dict[str, str]:
    """Query arguments that are present and not empty (bad ones: 400 from the
    model, naming the field)."""
    return {n: v.strip() for n in names if (v := request.args.get(n, "")).strip()}


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    """One lesson, rendered at publish time (no Markdown work per request)."""
    found = actions.lesson(get_session(), current_user, slug, utcnow())
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
