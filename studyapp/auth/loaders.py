"""Flask-Login hooks: cookie sessions, bearer tokens, and the not-logged-in answer."""

from __future__ import annotations

from flask import Request, Response, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from studyapp.auth import service
from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.timeutil import utcnow


def load_web_user(token: str) -> User | None:
    """User of the revocable login named by the session or remember cookie."""
    return service.user_for_token(get_session(), token, kind="web", now=utcnow())


def load_bearer_user(req: Request) -> User | None:
    """User of an ``Authorization: Bearer`` API token (API paths only)."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    user = service.user_for_token(
        get_session(), header[7:].strip(), kind="api", now=utcnow()
    )
    if user is not None:
        user.auth_via_bearer = True  # type: ignore[attr-defined]
    return user


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def unauthorized() -> Response:
    """401 JSON for the API; 401 + HX-Redirect for htmx; else the login page."""
    if is_api_request():
        body = {"error": {"code": "not_authenticated", "message": _("请先登录")}}
        return Response(jsonify(body).get_data(), 401, mimetype="application/json")
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request") == "true":
        return Response("", 401, headers={"HX-Redirect": target})
    return redirect(target)  # type: ignore[return-value]
