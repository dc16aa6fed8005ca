"""``/api/v1``: token auth, the member's own data, JSON errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.api.openapi import build_document
from studyapp.auth import service
from studyapp.auth.roles import Role
from studyapp.content import queries as content_queries
from studyapp.db import get_session
from studyapp.errors import NotAuthenticated, NotFound, ValidationFailed
from studyapp.extensions import csrf, limiter
from studyapp.progress import queries as progress_queries
from studyapp.progress import views as progress_views
from studyapp.timeutil import study_day, utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _csrf_for_cookie_auth() -> None:
    """Cookie-authenticated writes need the CSRF token; bearer-token ones do not."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint == "api.token":
        return
    if "Authorization" in request.headers:
        return
    csrf.protect()


def json_body(*required: str) -> dict[str, Any]:
    """The request's JSON object with ``required`` string fields present."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed("请求体应为 JSON 对象")
    for name in required:
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ValidationFailed(f"缺少字段 {name}", field=name)
    return data


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _token_username() -> str:
    data = request.get_json(silent=True)
    name = data.get("username", "") if isinstance(data, dict) else ""
    return "user:" + str(name).strip().lower()


@bp.post("/auth/token")
@limiter.limit(_login_limit)
@limiter.limit(_login_limit, key_func=_token_username)
def token() -> ResponseReturnValue:
    """Exchange username and password for a bearer token."""
    data = json_body("username", "password")
    session = get_session()
    user = service.authenticate(session, data["username"], data["password"])
    if user is None:
        raise NotAuthenticated("账号或密码不正确")
    days = current_app.config["API_TOKEN_DAYS"]
    raw, record = service.open_session(
        session, user, kind="api", lifetime=timedelta(days=days), now=utcnow()
    )
    session.commit()
    return jsonify(token=raw, expires_at=record.expires_at.isoformat()), 201


@bp.delete("/auth/token")
@login_required
def revoke_token() -> ResponseReturnValue:
    """Revoke the token (or cookie login) this request was made with."""
    session = get_session()
    service.close_session(session, current_user.auth_token)
    session.commit()
    return "", 204


@bp.get("/me")
@login_required
def me() -> ResponseReturnValue:
    """Who I am, and today's goal, streak and points."""
    user = current_user
    settings = current_app.extensions["studyapp.progress_settings"]
    today = progress_queries.today_summary(
        get_session(), user.id, study_day(utcnow()), settings.goal_minutes
    )
    return jsonify(
        streak={"current": today.streak, "best": today.best_streak},
        points={"today": today.points_today, "total": today.total_points},
        goal={
            "minutes_today": today.minutes,
            "target_minutes": today.target_minutes,
            "met": today.goal_met,
            "time_tracking": settings.tracking,
        },
        username=user.username,
        name=user.name,
        branch={"code": user.branch.code, "name": user.branch.name},
        exempt=user.is_exempt,
        roles=[{"role": g.role, "unit": g.unit.code} for g in user.grants]
        or [{"role": Role.MEMBER.value, "unit": user.branch.code}],
    )


def _lesson_json(lesson: Any) -> dict[str, Any]:
    return {
        "id": lesson.slug,
        "title": lesson.title,
        "series": lesson.series,
        "tags": lesson.tags,
        "minutes": lesson.minutes,
        "revision": lesson.revision,
        "published_at": (lesson.publish_at or lesson.created_at).isoformat(),
    }


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    """Published lessons I may read, newest first (filters: q, series, tag, page)."""
    page = request.args.get("page", 1, type=int)
    rows, has_more = content_queries.published_lessons(
        get_session(),
        utcnow(),
        unit_path=current_user.branch.path,
        series=request.args.get("series") or None,
        tag=request.args.get("tag") or None,
        q=request.args.get("q") or None,
        page=page,
    )
    return jsonify(
        lessons=[_lesson_json(r) for r in rows], page=page, has_more=has_more
    )


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    """One lesson with its sanitised HTML."""
    found = content_queries.lesson_by_slug(
        get_session(), slug, utcnow(), unit_path=current_user.branch.path
    )
    if found is None:
        raise NotFound("没有这篇课文")
    return jsonify(**_lesson_json(found), html=found.body_html)


@bp.post("/study/heartbeat")
@login_required
def heartbeat() -> ResponseReturnValue:
    """Credit reading time for a visible lesson (the server decides what counts)."""
    data = json_body("lesson_id")
    page_id = data.get("page_id") or f"api:{current_user.auth_token[:16]}"
    result = progress_views.beat(data["lesson_id"], str(page_id))
    return jsonify(
        credited_seconds=result.credited_seconds,
        minutes_today=result.minutes_today,
        goal_met=result.goal_met,
    )


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(build_document())


# Routes of the other API modules attach to ``bp`` when imported.
from studyapp.api import quiz, reports  # noqa: E402, F401
