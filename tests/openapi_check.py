"""Every API response the suite gets must match the generated OpenAPI document.

The test client's responses to ``/api/v1/…`` are validated with openapi-core
against ``/api/v1/openapi.json`` (status, content type, body schema), so a
payload that drifts from its declared type fails whichever test produced it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import (
    WerkzeugOpenAPIRequest,
    WerkzeugOpenAPIResponse,
)
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound

_NO_ROUTE = (PathNotFound, OperationNotFound)

_openapi: OpenAPI | None = None
#: Every (method, path template) whose response a test checked, for the report.
CHECKED: set[tuple[str, str]] = set()


def _document() -> OpenAPI:
    global _openapi
    if _openapi is None:
        from studyapp import create_app
        from studyapp.api.meta import document

        app = create_app(
            {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"}
        )
        with app.app_context():
            _openapi = OpenAPI.from_dict(document())
        app.extensions["studyapp.engine"].dispose()
    return _openapi


class _SentRequest(WerkzeugOpenAPIRequest):
    """The request as sent; its body was read by the app (not needed here)."""

    @property
    def body(self) -> bytes | None:
        return None


def check(response: Any) -> None:
    """Validate one test-client response of the API against the document."""
    request = response.request
    if not request.path.startswith("/api/v1/") or request.path.endswith("openapi.json"):
        return
    openapi = _document()
    result = openapi.unmarshal_response(
        _SentRequest(request), WerkzeugOpenAPIResponse(response)
    )
    errors = [e for e in result.errors if not isinstance(e, _NO_ROUTE)]
    if len(errors) < len(result.errors):
        return  # a path or method the API does not have: nothing to match
    if errors:
        detail = "; ".join(f"{e}: {getattr(e, '__cause__', '')}" for e in errors)
        raise AssertionError(
            f"{request.method} {request.path} → {response.status_code} does not match "
            f"the OpenAPI document: {detail}\n{response.get_data(as_text=True)[:500]}"
        )


@pytest.fixture(autouse=True)
def _validate_api_responses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = FlaskClient.open

    def open_and_check(self: FlaskClient, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        if not kwargs.get("buffered") and response.is_streamed:
            response.make_sequence()
        check(response)
        return response

    monkeypatch.setattr(FlaskClient, "open", open_and_check)
    yield
