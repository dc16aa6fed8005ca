"""The account settings an edge builds from app config and hands to the domain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class AuthSettings:
    #: A login without “remember me” lasts this long.
    session_hours: int = 12
    #: A “remember me” login (and its cookie) lasts this many days.
    remember_days: int = 30
    #: Bearer tokens from ``POST /api/v1/auth/token`` last this many days.
    api_token_days: int = 30
    #: UI languages offered; the first is the default.
    languages: tuple[str, ...] = ("zh_Hans_CN", "en")

    def lifetime(self, kind: str, *, remember: bool = False) -> timedelta:
        """How long a new login (``web``) or API token (``api``) lasts."""
        if kind == "api":
            return timedelta(days=self.api_token_days)
        if remember:
            return timedelta(days=self.remember_days)
        return timedelta(hours=self.session_hours)


def settings_from(config: Mapping[str, Any]) -> AuthSettings:
    """AuthSettings from a Flask config mapping."""
    return AuthSettings(
        session_hours=int(config["SESSION_HOURS"]),
        remember_days=int(config["REMEMBER_DAYS"]),
        api_token_days=int(config["API_TOKEN_DAYS"]),
        languages=tuple(config["LANGUAGES"]),
    )


#: Where the app factory (``studyapp.settings``) puts them on ``Session.info``.
INFO_KEY = "studyapp.auth_settings"


def defaults(session: Session) -> AuthSettings:
    """The deployment's account settings, via the Session (built-in defaults for
    a Session made outside an app)."""
    found = session.info.get(INFO_KEY)
    return found if found is not None else AuthSettings()
