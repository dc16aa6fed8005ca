"""htmx-aware rendering, role decorators, security headers, error pages."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from studyapp import ratelimit
from studyapp.auth.roles import Role
from studyapp.db import MAX_ID
from studyapp.errors import DomainError, Forbidden, ValidationFailed
from studyapp.extensions import limiter, login_manager
from studyapp.timeutil import local

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def is_htmx() -> bool:
    """A request made by htmx, and not a history restore (which needs a full page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page(
    full: str, /, *, partial: str | None = None, status: int = 200, **context: Any
) -> Response:
    """The full page, or only ``partial`` for htmx; always ``Vary: HX-Request``."""
    template = partial if partial and is_htmx() else full
    resp = Response(render_template(template, **context), status=status)
    resp.vary.add("HX-Request")
    return resp


def hx_trigger(resp: Response, event: str) -> Response:
    """Ask the page to fire ``event`` (e.g. ``progress-changed``) after the swap."""
    resp.headers["HX-Trigger"] = event
    return resp


def role_required(role: Role) -> Callable[[F], F]:
    """Login plus at least ``role`` somewhere; the view still checks the unit."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                raise Forbidden(_("您的角色无权访问此页面"))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def send_download(filename: str, data: bytes) -> Response:
    """A file download (the name may be Chinese), never cached."""
    resp = send_file(io.BytesIO(data), as_attachment=True, download_name=filename)
    resp.headers["Cache-Control"] = "no-store"
    return resp


class BoundedInt(IntegerConverter):
    """``<int:…>`` for the whole app: an id the database can hold, or a 404.

    More than 10 digits never matches (a plain 404). A 10-digit value beyond
    MAX_ID (or outside the rule's ``min``/``max``) becomes 0, an id no row has,
    so the view answers its ordinary "not found" (raising ValidationError here
    would turn into a 405 where a GET and a POST rule share the path).
    """

    regex = r"\d{1,10}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        self.low = int(kwargs.pop("min", 0))
        self.high = int(kwargs.pop("max", MAX_ID))
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if self.low <= number <= min(self.high, MAX_ID) else 0


class BoundedJSON(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deep for the decoder (a few
    thousand ``[``) is malformed JSON, a 400, instead of a RecursionError."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


def init_app(app: Flask) -> None:
    """Register the converters (before any route), static assets, headers,
    error handlers and template helpers."""
    from studyapp import assets

    app.url_map.converters["int"] = BoundedInt
    app.json = BoundedJSON(app)
    assets.init_app(app)  # its after_request compresses last
    app.after_request(_security_headers)
    app.before_request(_refuse_nul)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
    app.register_error_handler(ValidationError, _invalid_input)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.context_processor(_template_globals)
    app.add_template_filter(localtime)
    app.add_template_filter(deadline)
    app.add_template_filter(schedule_words)


def localtime(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show an aware UTC instant in Asia/Shanghai time."""
    return local(at).strftime(fmt) if at else ""


def deadline(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A deadline in Asia/Shanghai time; one at midnight is the end of the day
    before (「12-02 24:00」, as people say it), not the start of the next."""
    if not at:
        return ""
    shown = local(at)
    if (shown.hour, shown.minute, shown.second) == (0, 0, 0) and "%H:%M" in fmt:
        return (shown - timedelta(days=1)).strftime(fmt.replace("%H:%M", "24:00"))
    return shown.strftime(fmt)


_EVERY_MINUTES = re.compile(r"^每 (\d+) 分钟$")
_DAILY = re.compile(r"^每天 (\d\d:\d\d)$")
_WEEKLY = re.compile(r"^每周([一二三四五六日、]+) (\d\d:\d\d)$")
_HOURLY = re.compile(r"^每小时第 (\d+) 分$")
_BY_UNIT = re.compile(
    r"^(.*)（(?:默认 (\d\d:\d\d)|默认不提醒)，各组织可在 管理 › 设置 中改）$"
)


def schedule_words(words: str) -> str:
    """A job schedule (``jobs.triggers`` writes it in Chinese) in the UI language."""
    if m := _BY_UNIT.match(words):
        default = _("默认 %(t)s", t=m.group(2)) if m.group(2) else _("默认不提醒")
        return _("%(rule)s（%(default)s，各组织可在 管理 › 设置 中改）",
                 rule=schedule_words(m.group(1)), default=default)  # fmt: skip
    if m := _HOURLY.match(words):
        return _("每小时第 %(n)s 分", n=m.group(1))
    if m := _EVERY_MINUTES.match(words):
        return _("每 %(n)s 分钟", n=m.group(1))
    if m := _DAILY.match(words):
        return _("每天 %(t)s", t=m.group(1))
    if m := _WEEKLY.match(words):
        names = {"一": _("周一"), "二": _("周二"), "三": _("周三"), "四": _("周四"),
                 "五": _("周五"), "六": _("周六"), "日": _("周日")}  # fmt: skip
        days = _("、").join(names[d] for d in m.group(1).split("、"))
        return _("每%(d)s %(t)s", d=days, t=m.group(2))
    return _("已关闭") if words == "已关闭" else words


def _nul_field(value: Any, name: str = "") -> str | None:
    """The name of the first field of a form, query or JSON body holding NUL
    (in its name or its text), or None."""
    stack = [(name, value)]
    while stack:
        label, item = stack.pop()
        if "\x00" in label or (isinstance(item, str) and "\x00" in item):
            return label
        if isinstance(item, dict):
            stack += [(f"{label}.{k}" if label else str(k), v) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(label, v) for v in item]
    return None


def _refuse_nul() -> None:
    """Refuse any request whose text holds NUL (U+0000), naming the field.

    Nobody types it, and PostgreSQL cannot store it in text (a 500 there while
    SQLite kept it), so it is refused once, here, before any view or action.
    """
    body = request.get_json(silent=True) if request.is_json else None
    fields = {**request.args.to_dict(flat=False), **request.form.to_dict(flat=False)}
    names = [f.filename or "" for f in request.files.values()]
    found = _nul_field(fields) or _nul_field(body) or _nul_field(names, "files")
    if found is not None:
        field = found.replace("\x00", "")[:60] or "?"
        raise ValidationFailed(
            _("“%(f)s”中含有不可见的控制字符（NUL），请删除后再提交", f=field),
            field=field,
        )


def _security_headers(resp: Response) -> Response:
    h = resp.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    # same-origin (not no-referrer): Flask-WTF's HTTPS Referer check needs it.
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    if resp.mimetype == "text/html":
        h.setdefault("Cache-Control", "no-store")
    return resp


def _error_response(status: int, code: str, message: str, field: str | None = None):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        body: dict[str, Any] = {"code": code, "message": message}
        if field:
            body["field"] = field
        resp = jsonify(error=body)
        resp.status_code = status
        return resp
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    resp = Response(
        render_template(template, status=status, message=message), status=status
    )
    resp.vary.add("HX-Request")
    return resp


def _domain_error(exc: DomainError):  # type: ignore[no-untyped-def]
    return _error_response(exc.status, exc.code, exc.message, exc.field)


#: Seconds a client should wait when the database cannot be reached.
RETRY_AFTER_DB = 30


def _database_unavailable(exc: Exception):  # type: ignore[no-untyped-def]
    """The database is down or overloaded: a clear 503, never a traceback.

    The page is rendered as for a visitor (the login loader would need the
    database too); phones keep unsent answers and retry after ``Retry-After``.
    """
    current_app.logger.warning("database unavailable: %s", exc.__class__.__name__)
    g._login_user = login_manager.anonymous_user()
    resp = _error_response(
        503, "unavailable", _("系统暂时无法访问数据库，请稍后再试，已填的内容不会丢失")
    )
    resp.headers["Retry-After"] = str(RETRY_AFTER_DB)
    return resp


def _invalid_input(exc: ValidationError):  # type: ignore[no-untyped-def]
    """Input an edge built into an action's type and it did not fit: a 400 naming
    the field (the API gets this from spectree before the view runs)."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or None
    return _error_response(400, "invalid", _("输入不合要求：%(f)s", f=field), field)


def _csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
    return _error_response(400, "csrf", _("页面已过期，请刷新后重试"))


_HTTP_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    503: "unavailable",
}


def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    status = exc.code or 500
    if status == 429:
        minutes = ratelimit.wait_minutes(limiter)
        message = _("操作太频繁，请 %(n)s 分钟后再试", n=minutes)
    else:
        messages = {
            404: _("找不到这个页面"),
            403: _("您无权访问"),
            413: _("上传的文件太大（一次最多 20 MB）"),
        }
        message = messages.get(status, exc.description or exc.name)
    resp = _error_response(status, _HTTP_CODES.get(status, "error"), message)
    allow = dict(exc.get_headers()).get("Allow")
    if allow:
        resp.headers["Allow"] = allow  # a 405 names the methods that would do
    retry = exc.response.headers.get("Retry-After") if exc.response else None
    if retry:
        resp.headers["Retry-After"] = retry  # rate limits say when to try again
    return resp


def _template_globals() -> dict[str, Any]:
    return {"Role": Role, "nav_items": nav_items, "get_locale": get_locale,
            "back_link": back_link, "text_size": text_size}  # fmt: skip


def text_size() -> str:
    """大字: the signed-in member's text size (``standard`` for everyone else)."""
    return getattr(current_user, "text_size", "standard") or "standard"


#: Where the back bar of a page that is not a tab leads: by endpoint, then by
#: blueprint. Tab pages themselves (and the login page) have none.
_BACK_BY_ENDPOINT = {
    "progress.book_list": "main.me",
    "auth.change_password": "main.me",
    "notify.inbox": "main.home",
    "reports.leaderboard": "main.home",
    "quiz.review_page": "main.home",
    "jobs.webhook": "org.branch",
}
_BACK_BY_BLUEPRINT = {
    "content": "content.lessons",
    "quiz": "quiz.quiz_list",
    "org": "org.branch",
    "reports": "org.branch",
    "admin": "admin.index",
    "admin_content": "admin.index",
    "jobs": "admin.index",
}


def back_link() -> tuple[str, str] | None:
    """The back bar of a sub-page: (url, label), or None on a tab page."""
    endpoint = request.endpoint or ""
    if not current_user.is_authenticated or endpoint in _tab_endpoints():
        return None
    target = _BACK_BY_ENDPOINT.get(endpoint) or _BACK_BY_BLUEPRINT.get(
        request.blueprint or ""
    )
    if target is None or target == endpoint:
        return None
    labels = {
        "main.home": _("返回首页"),
        "main.me": _("返回我的"),
        "content.lessons": _("返回课文列表"),
        "quiz.quiz_list": _("返回答题"),
        "org.branch": _("返回支部"),
        "admin.index": _("返回管理"),
    }
    return url_for(target), labels[target]


def _tab_endpoints() -> set[str]:
    return {
        "main.home", "content.lessons", "quiz.quiz_list", "main.me",
        "org.branch", "admin.index",
    }  # fmt: skip


def nav_items() -> list[tuple[str, str, str, bool]]:
    """Bottom navigation for the current user: (endpoint, label, icon, active)."""
    items = [
        ("main.home", _("首页"), "home"),
        ("content.lessons", _("学习"), "book"),
        ("quiz.quiz_list", _("答题"), "quiz"),
        ("main.me", _("我的"), "me"),
    ]
    if current_user.has_role(Role.SECRETARY):
        items.append(("org.branch", _("支部"), "branch"))
    if current_user.has_role(Role.ADMIN):
        items.append(("admin.index", _("管理"), "admin"))
    return [(e, label, icon, _is_active(e)) for e, label, icon in items]


#: Blueprints whose pages belong to another blueprint's tab (支部 reports).
_TAB_OF = {"reports": "org", "admin_import": "admin", "admin_settings": "admin",
           "admin_content": "admin", "admin_quizzes": "admin"}  # fmt: skip


def _is_active(endpoint: str) -> bool:
    """A tab is active on its own page, or anywhere in its blueprint (not ``main``)."""
    blueprint = endpoint.split(".")[0]
    if request.endpoint == endpoint:
        return True
    current = _TAB_OF.get(request.blueprint or "", request.blueprint)
    return blueprint != "main" and current == blueprint
