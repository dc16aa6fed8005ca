"""OpenAPI paths for leaderboards and branch reports (merged into the document)."""

from __future__ import annotations

from typing import Any

from studyapp.api.openapi import UNIT_REF, errors, json_response

_NUMBER_OR_NULL = {"type": ["number", "null"]}

STANDING = {
    "type": "object",
    "properties": {
        "rank": {
            "type": ["integer", "null"],
            "description": "Shared by branches equal on rate and points; null "
            "for a branch without eligible members (listed last).",
        },
        "branch": UNIT_REF,
        "participation_rate": {
            **_NUMBER_OR_NULL,
            "description": "0–1: per day, the share of eligible members who met "
            "the goal, averaged over the period's complete days so far.",
        },
        "avg_points": {
            **_NUMBER_OR_NULL,
            "description": "Points per eligible member (the tie-break).",
        },
        "eligible_members": {"type": "integer"},
        "small": {"type": "boolean", "description": "Fewer than 5 eligible members"},
        "avg_quiz_score": {**_NUMBER_OR_NULL, "description": "Percent"},
        "rank_change": {
            "type": ["integer", "null"],
            "description": "Places gained since the whole previous period",
        },
    },
}

PARTICIPANT = {
    "type": "object",
    "properties": {
        "username": {"type": "string"},
        "name": {"type": "string"},
        "minutes": {"type": "integer"},
        "goal_met": {"type": "boolean"},
        "points": {"type": "integer"},
        "exempt": {"type": "boolean"},
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/leaderboard/branches": {
        "get": {
            "summary": "Branches under a unit, ranked by participation rate",
            "description": "For encouragement, not evaluation. Eligible members "
            "are active, not exempt and had joined by the day; an excused day "
            "without the goal met leaves that day's denominator. Periods count "
            "complete Asia/Shanghai days through yesterday (on a period's first "
            "day, today so far). Ties: average points, then code. Any user may "
            "ask for a unit at or above their own branch (default: their "
            "branch's parent) or in their secretary/admin scope.",
            "parameters": [
                {
                    "name": "unit",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Unit code; default: my branch's parent unit",
                },
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["week", "month", "year"]},
                },
            ],
            "responses": {
                "200": json_response({"type": "array", "items": STANDING}),
                **errors(400, 401, 403, 404),
            },
        }
    },
    "/api/v1/units/{code}/participation": {
        "get": {
            "summary": "Each member under a unit on one day (secretary/admin only)",
            "parameters": [
                {
                    "name": "code",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                {
                    "name": "day",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "YYYY-MM-DD (Asia/Shanghai); default today",
                },
            ],
            "responses": {
                "200": json_response({"type": "array", "items": PARTICIPANT}),
                **errors(400, 401, 403, 404),
            },
        }
    },
}
