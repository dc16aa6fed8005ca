"""The JSON API's kit: typed routes, the generated OpenAPI document, auth and errors.

Every route is declared with :class:`Router` and the pydantic types of its query,
body and response. Those same types validate the request, serialise the response
and generate ``/api/v1/openapi.json`` (spectree), so the document cannot drift
from the code. Routes stay thin: parse (done here), call one action, commit,
return the action's typed result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, after_this_request, request, url_for
from flask import Response as FlaskResponse
from flask_login import current_user, login_required
from pydantic import BaseModel, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree, Tag
from spectree.model_adapter.pydantic_adapter import BaseFile

from studyapp.db import MAX_ID
from studyapp.errors import ValidationFailed
from studyapp.extensions import csrf

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "File",
    "Router",
    "link_next_page",
    "spec",
]  # File: an uploaded file in a ``form`` model

PREFIX = "/api/v1"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class File(BaseFile):
    """An uploaded file in a ``form`` model. A plain text field of the same name
    is refused as bad input (a 400 naming the field), not handed to the view."""

    @classmethod
    def validate(cls, value: Any, *_args: Any, **_kwargs: Any) -> Any:
        if not (hasattr(value, "filename") and hasattr(value, "read")):
            raise ValueError("须为上传的文件")
        return value


class ErrorDetail(BaseModel):
    #: Stable for programs: invalid, not_authenticated, forbidden, not_found,
    #: conflict, rate_limited, csrf, too_large, method_not_allowed, error.
    code: str
    #: For people, in the UI language.
    message: str
    #: The request field at fault, where there is one.
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def _raise_validation(
    _req: Any, _resp: Any, err: ValidationError | None, *_: Any
) -> None:
    """spectree hook: a request that fails its type is our 400, naming the field."""
    if err is None:
        return
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or None
    if first["type"] == "missing":
        raise ValidationFailed(f"缺少字段 {field}", field=field)
    raise ValidationFailed(f"{field or '请求'} 不合要求：{first['msg']}", field=field)


spec = SpecTree(
    "flask",
    mode="strict",
    title="StudyApp API",
    version="1",
    description=(
        "The JSON API of StudyApp (SPEC §7). Authenticate with the login cookie "
        "(writes then also need the X-CSRFToken header) or with a bearer token "
        "from POST /api/v1/auth/token."
    ),
    path="_spec",  # never registered: /api/v1/openapi.json serves it (api/meta.py)
    page_templates={},
    annotations=True,
    validation_error_status=400,
    validation_error_model=ErrorBody,
    before=_raise_validation,
    # Schemas are named after their class (names are unique across the API,
    # which a test checks), not after spectree's module hash.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        SecurityScheme(
            name="bearer", data=SecuritySchemeData(type="http", scheme="bearer")
        ),
        SecurityScheme(
            name="cookie",
            data=SecuritySchemeData(type="apiKey", name="session", field_in="cookie"),
        ),
    ],
    security=[{"bearer": []}, {"cookie": []}],
)

#: What any route may answer besides its own errors (documented as ``default``).
_ERRORS_OF = {
    "read": (401, 403, 404),
    "write": (400, 401, 403, 404, 409),
}


class Router:
    """The routes of one API area, on its own blueprint under ``/api/v1``."""

    def __init__(self, name: str, tag: str, description: str = "") -> None:
        self.bp = Blueprint(f"api_{name}", __name__, url_prefix=PREFIX)
        self.tag = Tag(name=tag, description=description)
        self.public: set[str] = set()
        csrf.exempt(self.bp)  # checked below, for cookie-authenticated writes only
        self.bp.before_request(self._csrf_for_cookie_writes)

    def get(self, rule: str, **kw: Any) -> Callable[[F], F]:
        return self.route("GET", rule, **kw)

    def post(self, rule: str, **kw: Any) -> Callable[[F], F]:
        return self.route("POST", rule, **kw)

    def put(self, rule: str, **kw: Any) -> Callable[[F], F]:
        return self.route("PUT", rule, **kw)

    def delete(self, rule: str, **kw: Any) -> Callable[[F], F]:
        return self.route("DELETE", rule, **kw)

    def route(
        self,
        method: str,
        rule: str,
        *,
        ok: Any = None,
        status: int = 200,
        json: type[BaseModel] | None = None,
        form: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        errors: Iterable[int] | None = None,
        public: bool = False,
        decorators: Iterable[Callable[[Any], Any]] = (),
    ) -> Callable[[F], F]:
        """Declare a route: its types make the validation and the document.

        ``decorators`` wrap the validated view (e.g. rate limits), innermost first.
        """
        kind = "read" if method in SAFE_METHODS else "write"
        codes = set(errors if errors is not None else _ERRORS_OF[kind])
        if public:
            codes.discard(401)
        resp = Response(
            **{f"HTTP_{status}": ok},  # None: no body (e.g. 204)
            **{f"HTTP_{c}": ErrorBody for c in sorted(codes) if c != status},
        )

        def decorate(fn: F) -> F:
            view = spec.validate(
                query=query,
                json=json,
                form=form,
                resp=resp,
                tags=[self.tag],
                security={} if public else None,
                operation_id=fn.__name__,
            )(fn)
            if form is not None:
                view = _multipart(view)
            for extra in decorators:
                view = extra(view)
            if not public:
                view = login_required(view)
            else:
                self.public.add(f"{self.bp.name}.{fn.__name__}")
            self.bp.add_url_rule(_bounded(rule), fn.__name__, view, methods=[method])
            return fn

        return decorate

    def _csrf_for_cookie_writes(self) -> None:
        """Cookie-authenticated writes need the CSRF token; bearer-token ones and
        anonymous requests (answered 401 by the route) do not."""
        if request.method in SAFE_METHODS or request.endpoint in self.public:
            return
        if not current_user.is_authenticated or current_user.auth_via_bearer:
            return
        csrf.protect()


def _bounded(rule: str) -> str:
    """``<int:x>`` with its range written out, so the document states it too."""
    return rule.replace("<int:", f"<int(min=1, max={MAX_ID}):")


def _multipart(view: Callable[..., Any]) -> Callable[..., Any]:
    """A ``form`` route takes ``multipart/form-data`` only (spectree would skip
    validating anything else and hand the view no form)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.mimetype != "multipart/form-data":
            raise ValidationFailed("请求须为 multipart/form-data（上传文件）")
        return view(*args, **kwargs)

    return wrapped


def link_next_page(page: int, per_page: int, returned: int) -> None:
    """When a page came back full, say where the next one is, as a
    ``Link: <…?page=N+1>; rel="next"`` header (RFC 8288): a client that never
    asks for pages still sees that the list goes on."""
    if returned < per_page:
        return
    args = {**request.args.to_dict(), "page": page + 1, "per_page": per_page}
    target = url_for(request.endpoint or "", **(request.view_args or {}), **args)

    @after_this_request
    def _link(resp: FlaskResponse) -> FlaskResponse:
        resp.headers["Link"] = f'<{target}>; rel="next"'
        return resp
