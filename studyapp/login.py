"""Flask-Login hooks: cookie sessions, bearer tokens, and the not-logged-in answer.

Edge glue (it reads the request and answers it), so it lives beside ``web`` and
``extensions`` rather than in the ``auth`` domain, whose cores never import Flask.
"""

from __future__ import annotations

import time

from flask import Request, Response, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from studyapp.auth import service
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.timeutil import utcnow

#: Built Actors of this process: token → (monotonic expiry, auth_version, Actor).
#: Every request still reads its token's row and the user's ``auth_version`` in
#: one indexed query, so a logout, password change, role change or deactivation
#: on any node takes effect at once; the snapshot (user, branch, grants) is only
#: rebuilt when that version moved. A renamed or moved *unit* is not a user
#: change: cached snapshots show the old name or path for at most ``ACTOR_TTL``
#: seconds (an old path only ever matches less, so it can deny, never widen).
_ACTORS: dict[str, tuple[float, int, Actor]] = {}
ACTOR_TTL = 60.0
_MAX_ACTORS = 20_000


def cached_actor(token: str, *, kind: str, bearer: bool = False) -> Actor | None:
    """The Actor behind a live token of ``kind``: one query, or three on a change."""
    session = get_session()
    state = service.token_state(session, token)
    if (state is None or state.kind != kind or not state.is_active
            or state.expires_at <= utcnow()):  # fmt: skip
        _ACTORS.pop(token, None)
        return None
    now = time.monotonic()
    hit = _ACTORS.get(token)
    if hit is not None and hit[0] > now and hit[1] == state.auth_version:
        return hit[2]
    actor = Actor.of(session.get_one(User, state.user_id), token=token, bearer=bearer)
    if len(_ACTORS) >= _MAX_ACTORS:
        _ACTORS.clear()
    _ACTORS[token] = (now + ACTOR_TTL, state.auth_version, actor)
    return actor


def forget_actors() -> None:
    """Drop this process's built Actors (tests; a unit renamed here)."""
    _ACTORS.clear()


def load_web_user(token: str) -> Actor | None:
    """The Actor of the revocable login named by the session or remember cookie."""
    return cached_actor(token, kind="web")


def load_bearer_user(req: Request) -> Actor | None:
    """The Actor of an ``Authorization: Bearer`` API token (API paths only)."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    return cached_actor(header[7:].strip(), kind="api", bearer=True)


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
