"""``/api/v1`` routes for quizzes, attempts and the 错题本 (on the v1 blueprint)."""

from __future__ import annotations

from studyapp.api.v1 import bp  # noqa: F401
