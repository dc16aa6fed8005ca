"""OpenAPI paths for quizzes, attempts and the 错题本 (merged into the document)."""

from __future__ import annotations

from typing import Any

from studyapp.api.openapi import errors, json_response

RESPONSE = {
    "description": "single: an option key; multiple: a list of keys; truefalse: "
    "true/false; fill: a list of strings, one per blank",
}
QUESTION = {
    "type": "object",
    "description": "A question as asked: never carries the answer.",
    "properties": {
        "id": {"type": "string"},
        "position": {"type": "integer"},
        "type": {"type": "string", "enum": ["single", "multiple", "truefalse", "fill"]},
        "stem_html": {"type": "string"},
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"key": {"type": "string"}, "html": {"type": "string"}},
            },
        },
        "blanks": {"type": "integer"},
        "response": RESPONSE,
    },
}
ATTEMPT = json_response(
    {
        "type": "object",
        "properties": {
            "attempt_id": {"type": "integer"},
            "state": {"type": "string"},
            "deadline": {"type": "string", "format": "date-time"},
            "questions": {"type": "array", "items": QUESTION},
        },
    }
)
RESULT = json_response(
    {
        "type": "object",
        "properties": {
            "attempt_id": {"type": "integer"},
            "score": {"type": "number"},
            "max_score": {"type": "number"},
            "correct": {"type": "integer"},
            "total": {"type": "integer"},
            "passed": {"type": "boolean"},
            "points": {"type": "integer"},
            "review_available": {"type": "boolean"},
            "review_at": {"type": ["string", "null"]},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "question_id": {"type": "string"},
                        "correct": {"type": "boolean"},
                        "answer": RESPONSE,
                        "explanation": {"type": "string"},
                    },
                },
            },
        },
    }
)
ANSWERS = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "answers": {"type": "object", "additionalProperties": RESPONSE}
                },
            }
        }
    },
}


def _id(name: str, kind: str = "string") -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": kind}}]


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/quizzes": {
        "get": {
            "summary": "Quizzes open to me now (the daily quiz has id daily)",
            "responses": {
                "200": json_response(
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "kind": {"type": "string"},
                                "title": {"type": "string"},
                                "closes_at": {"type": "string", "format": "date-time"},
                                "attempts_left": {"type": ["integer", "null"]},
                                "open_attempt_id": {"type": ["integer", "null"]},
                            },
                        },
                    }
                ),
                **errors(401),
            },
        }
    },
    "/api/v1/quizzes/{slug}/attempts": {
        "post": {
            "summary": "Start (or resume) an attempt",
            "parameters": _id("slug"),
            "responses": {"200": ATTEMPT, **errors(401, 404, 409)},
        }
    },
    "/api/v1/attempts/{attempt_id}": {
        "get": {
            "summary": "An attempt with its questions and saved responses",
            "parameters": _id("attempt_id", "integer"),
            "responses": {"200": ATTEMPT, **errors(401, 404)},
        }
    },
    "/api/v1/attempts/{attempt_id}/answers": {
        "put": {
            "summary": "Save responses as they are given",
            "parameters": _id("attempt_id", "integer"),
            "requestBody": ANSWERS,
            "responses": {
                "200": json_response(
                    {"type": "object", "properties": {"saved": {"type": "integer"}}}
                ),
                **errors(400, 401, 404, 409),
            },
        }
    },
    "/api/v1/attempts/{attempt_id}/submit": {
        "post": {
            "summary": "Grade once; a repeat returns the same result",
            "parameters": _id("attempt_id", "integer"),
            "requestBody": ANSWERS,
            "responses": {"200": RESULT, **errors(400, 401, 404)},
        }
    },
    "/api/v1/attempts/{attempt_id}/result": {
        "get": {
            "summary": "The result of a graded attempt, as the review policy allows",
            "parameters": _id("attempt_id", "integer"),
            "responses": {"200": RESULT, **errors(401, 404, 409)},
        }
    },
    "/api/v1/review": {
        "get": {
            "summary": "Due 错题本 cards",
            "responses": {
                "200": json_response({"type": "array", "items": QUESTION}),
                **errors(401),
            },
        }
    },
    "/api/v1/review/{slug}": {
        "post": {
            "summary": "Answer one 错题本 card",
            "parameters": _id("slug"),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["response"],
                            "properties": {"response": RESPONSE},
                        }
                    }
                },
            },
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "correct": {"type": "boolean"},
                            "answer": RESPONSE,
                            "explanation": {"type": "string"},
                            "lesson": {"type": ["string", "null"]},
                            "leech": {"type": "boolean"},
                            "points": {"type": "integer"},
                        },
                    }
                ),
                **errors(400, 401, 404),
            },
        }
    },
}
