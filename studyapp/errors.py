"""Domain exceptions: structured, translated at the edge (view, API, CLI)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of errors a user can cause; ``code`` is stable for API clients."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Bad input; ``field`` names the offending form or JSON field."""

    code = "invalid"
    status = 400


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class Forbidden(DomainError):
    """The user's roles and units do not cover this."""

    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The action clashes with the current state (e.g. a duplicate or a closed item)."""

    code = "conflict"
    status = 409


class ImportFailed(Exception):
    """An import found bad rows; nothing was applied. ``problems``: file:row: msg."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
