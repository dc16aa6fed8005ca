"""The progress settings an edge builds from app config and hands to the domain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from studyapp.progress.rules import DEFAULT_RULES, Rule, rules_from_config


@dataclass(frozen=True)
class ProgressSettings:
    #: Daily goal in credited minutes (日学半小时).
    goal_minutes: int = 30
    #: False: study time is not tracked; the goal is a lesson plus the daily quiz.
    tracking: bool = True
    rules: dict[str, Rule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    #: A heartbeat credits at most this many seconds (the page beats every 30 s).
    beat_cap_seconds: int = 45
    #: After this long without a beat, a page's reading has stopped.
    beat_gap_seconds: int = 120
    #: An untimed quiz attempt earns at most this much study time.
    untimed_quiz_cap_seconds: int = 30 * 60
    #: Working through the 错题本 earns at most this much study time a day.
    review_cap_seconds: int = 15 * 60


def settings_from(config: Mapping[str, Any]) -> ProgressSettings:
    """ProgressSettings from a Flask config mapping."""
    return ProgressSettings(
        goal_minutes=int(config.get("DAILY_GOAL_MINUTES", 30)),
        tracking=bool(config.get("STUDY_TIME_TRACKING", True)),
        rules=rules_from_config(config.get("POINT_RULES")),
    )


#: Where the app factory (``studyapp.settings``) puts them on ``Session.info``.
INFO_KEY = "studyapp.progress_settings"


def for_actor(session: Session, actor: Any) -> ProgressSettings:
    """The progress settings that apply to ``actor`` (the deployment's, for now;
    per-organisation settings overlay them here)."""
    return defaults(session)


def defaults(session: Session) -> ProgressSettings:
    """The deployment's progress settings (from its config), via the Session.

    A Session made outside an app (a bare sessionmaker) gets the built-in defaults.
    """
    found = session.info.get(INFO_KEY)
    return found if found is not None else ProgressSettings()
