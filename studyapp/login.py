"""Flask-Login hooks: cookie sessions, bearer tokens, and the not-logged-in answer.

Edge glue (it reads the request and answers it), so it lives beside ``web`` and
``extensions`` rather than in the ``auth`` domain, whose cores never import Flask.
"""

from __future__ import annotations

from flask import Request, Response, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from studyapp.auth import service
from studyapp.auth.actor import Actor
from studyapp.db import get_session
from studyapp.timeutil import utcnow


def load_web_user(token: str) -> Actor | None:
    """The Actor of the revocable login named by the session or remember cookie."""
    user = service.user_for_token(get_session(), token, kind="web", now=utcnow())
    return None if user is None else Actor.of(user, token=token)


def load_bearer_user(req: Request) -> Actor | None:
    """The Actor of an ``Authorization: Bearer`` API token (API paths only)."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    token = header[7:].strip()
    user = service.user_for_token(get_session(), token, kind="api", now=utcnow())
    return None if user is None else Actor.of(user, token=token, bearer=True)


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
