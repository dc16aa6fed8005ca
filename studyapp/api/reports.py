"""``/api/v1`` routes for leaderboards and branch participation (v1 blueprint)."""

from __future__ import annotations

from studyapp.api.v1 import bp  # noqa: F401
