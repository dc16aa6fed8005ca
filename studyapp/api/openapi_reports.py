"""OpenAPI paths for leaderboards and branch reports (merged into the document)."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, dict[str, Any]] = {}
