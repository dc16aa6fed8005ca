"""Request ids and one JSON log line per request (REQUEST_LOG).

The id is the client's (or nginx's) ``X-Request-ID`` when it looks sane, else a
new one; it is returned in the response's ``X-Request-ID``. The line has the
request id, method, path, status, user id and duration in milliseconds.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

log = logging.getLogger("studyapp.request")

HEADER = "X-Request-ID"
START = "studyapp.start"
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class StartClock:
    """WSGI middleware: note when the request arrived (before any Flask work)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ[START] = time.perf_counter()
        return self.wsgi_app(environ, start_response)


def request_id() -> str:
    """The current request's id (kept in ``g``)."""
    if "request_id" not in g:
        given = request.headers.get(HEADER, "")
        g.request_id = given if SANE_ID.match(given) else uuid.uuid4().hex
    return g.request_id


def duration_ms() -> float:
    started = request.environ.get(START)
    return round((time.perf_counter() - started) * 1000, 1) if started else 0.0


def user_id() -> int | None:
    """The logged-in user's id if this request loaded one (never loads one itself)."""
    user = g.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None


def _after(resp: Response) -> Response:
    resp.headers[HEADER] = request_id()
    return resp


def _log_line(resp: Response) -> Response:
    record = {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id(),
        "method": request.method,
        "path": request.path,
        "status": resp.status_code,
        "user_id": user_id(),
        "duration_ms": duration_ms(),
        "remote": request.remote_addr,
    }
    log.info(json.dumps(record, ensure_ascii=False))
    return resp


def enabled(app: Flask) -> bool:
    mode = str(app.config["REQUEST_LOG"] or "").lower()
    if not mode:
        return app.config["ENV"] == "production"
    return mode == "json"


def init_app(app: Flask) -> None:
    app.wsgi_app = StartClock(app.wsgi_app)  # type: ignore[method-assign]
    app.after_request(_after)
    if enabled(app):
        if not log.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            log.addHandler(handler)
            log.propagate = False
        log.setLevel(logging.INFO)
        app.after_request(_log_line)
