"""The OpenAPI document for ``/api/v1``; a test keeps it in step with the routes."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
        }
    },
}
LESSON = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "series": {"type": ["string", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "minutes": {"type": "integer"},
        "revision": {"type": "integer"},
        "published_at": {"type": "string", "format": "date-time"},
    },
}
UNIT_REF = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}


def errors(*statuses: int) -> dict[str, Any]:
    names = {
        400: "Bad input",
        401: "Not logged in",
        403: "Outside your scope",
        404: "Unknown",
        409: "Conflict",
        429: "Rate-limited",
    }
    return {
        str(s): {
            "description": names[s],
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            },
        }
        for s in statuses
    }


def json_response(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


#: Paths as Flask rules would write them in OpenAPI form; one entry per route.
PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/auth/token": {
        "post": {
            "summary": "Exchange username and password for a bearer token",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["username", "password"],
                            "properties": {
                                "username": {"type": "string"},
                                "password": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "token": {"type": "string"},
                            "expires_at": {"type": "string", "format": "date-time"},
                        },
                    }
                ),
                **errors(400, 401, 429),
            },
        },
        "delete": {
            "summary": "Revoke the token this request was made with",
            "responses": {"204": {"description": "Revoked"}, **errors(401)},
        },
    },
    "/api/v1/me": {
        "get": {
            "summary": "The member's own account",
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "username": {"type": "string"},
                            "name": {"type": "string"},
                            "branch": UNIT_REF,
                            "exempt": {"type": "boolean"},
                            "roles": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "role": {
                                            "type": "string",
                                            "enum": ["member", "secretary", "admin"],
                                        },
                                        "unit": {"type": "string"},
                                    },
                                },
                            },
                        },
                    }
                ),
                **errors(401),
            },
        }
    },
    "/api/v1/lessons": {
        "get": {
            "summary": "Published lessons I may read, newest first",
            "parameters": [
                {
                    "name": n,
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer" if n == "page" else "string"},
                }
                for n in ("q", "series", "tag", "page")
            ],
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "lessons": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Lesson"},
                            },
                            "page": {"type": "integer"},
                            "has_more": {"type": "boolean"},
                        },
                    }
                ),
                **errors(401),
            },
        }
    },
    "/api/v1/lessons/{slug}": {
        "get": {
            "summary": "One lesson with its sanitised HTML",
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": json_response(
                    {
                        "allOf": [
                            {"$ref": "#/components/schemas/Lesson"},
                            {
                                "type": "object",
                                "properties": {"html": {"type": "string"}},
                            },
                        ]
                    }
                ),
                **errors(401, 404),
            },
        }
    },
    "/api/v1/study/heartbeat": {
        "post": {
            "summary": "Credit reading time while a lesson is visible",
            "description": "Send every ~30 s while the lesson is on screen. The first "
            "beat of a page and beats after a pause earn nothing; one page per member "
            "earns at a time; a lesson earns at most twice its minutes a day.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["lesson_id"],
                            "properties": {
                                "lesson_id": {"type": "string"},
                                "page_id": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "credited_seconds": {"type": "integer"},
                            "minutes_today": {"type": "integer"},
                            "goal_met": {"type": "boolean"},
                        },
                    }
                ),
                **errors(400, 401, 404),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": json_response({"type": "object"})},
        },
    },
}


def all_paths() -> dict[str, dict[str, Any]]:
    """PATHS plus the paths each API module adds (quiz, reports)."""
    from studyapp.api import openapi_quiz, openapi_reports

    return {**PATHS, **openapi_quiz.PATHS, **openapi_reports.PATHS}


def build_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StudyApp API",
            "version": "1",
            "description": "Member actions of the StudyApp web UI as JSON. "
            "Authenticate with the session cookie (plus X-CSRFToken on writes) "
            "or with `Authorization: Bearer TOKEN` from POST /api/v1/auth/token.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": all_paths(),
        "components": {
            "schemas": {"Error": ERROR, "Lesson": LESSON},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
