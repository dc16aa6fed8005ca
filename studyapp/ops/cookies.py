"""HTTPS-only cookies on a plain-HTTP request: the browser never sends them back.

Every form then fails its CSRF check (「页面已过期」) and nobody can log in; the
login page uses these helpers to say why, and the log says it to the operator.
"""

from __future__ import annotations

from flask import current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException


def cookies_lost_over_http() -> bool:
    """The session cookie is HTTPS-only but this request arrived over plain HTTP."""
    return bool(current_app.config["SESSION_COOKIE_SECURE"]) and not request.is_secure


def log_cookies_lost() -> None:
    current_app.logger.warning(
        "login over plain HTTP (%s) while cookies are HTTPS-only: the browser drops "
        "them and every login fails. Serve HTTPS; behind nginx set "
        "STUDYAPP_PROXY_COUNT=1 and send X-Forwarded-Proto; for a plain-HTTP "
        "trial only, STUDYAPP_COOKIE_SECURE=false.",
        request.host_url,
    )


def app_handler_response(exc: HTTPException) -> ResponseReturnValue:
    """What the app-wide handler answers for ``exc`` (for a blueprint handler that
    only adds one case to it)."""
    handler = current_app._find_error_handler(exc, [])  # app-level handlers only
    return handler(exc) if handler else exc
