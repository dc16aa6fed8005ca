"""OpenAPI paths for quizzes, attempts and the 错题本 (merged into the document)."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, dict[str, Any]] = {}
