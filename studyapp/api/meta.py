"""``/api/v1``: the OpenAPI document and bearer tokens."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from studyapp import ratelimit
from studyapp.api.kit import ErrorBody, Router, spec
from studyapp.auth import actions
from studyapp.auth.payloads import TokenIn, TokenOut
from studyapp.db import get_session
from studyapp.extensions import limiter
from studyapp.timeutil import utcnow

router = Router("meta", "auth", "Bearer tokens for programs and apps.")


@router.post(
    "/auth/token",
    json=TokenIn,
    ok=TokenOut,
    status=201,
    public=True,
    errors=(400, 401, 429),
    decorators=ratelimit.login_limits(limiter),
)
def token(json: TokenIn) -> Any:
    """Exchange username and password for a bearer token."""
    session = get_session()
    result = actions.create_token(session, json, utcnow())
    session.commit()
    return result, 201


@router.delete("/auth/token", status=204, errors=(401,))
def revoke_token() -> Any:
    """Revoke the token (or cookie login) this request was made with: log out."""
    session = get_session()
    actions.log_out(session, current_user, utcnow())
    session.commit()
    return "", 204


@router.bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 description of this API, generated from its types."""
    return jsonify(document())


def document() -> dict[str, Any]:
    """spectree's document, with the error body every route may also answer."""
    doc = spec.spec
    if "default" not in doc.setdefault("x-studyapp", {}):
        error = {"$ref": f"#/components/schemas/{_error_schema(doc)}"}
        for path in doc["paths"].values():
            for op in path.values():
                op["responses"].setdefault(
                    "default",
                    {
                        "description": "Any other error, in the same shape",
                        "content": {"application/json": {"schema": error}},
                    },
                )
        doc["x-studyapp"]["default"] = True
    return doc


def _error_schema(doc: dict[str, Any]) -> str:
    names = [n for n in doc["components"]["schemas"] if n.startswith("ErrorBody")]
    return names[0] if names else ErrorBody.__name__
