"""The progress settings an edge builds from app config and hands to the domain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from studyapp.org.unit_settings import effective
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
    #: Members see the ranking inside their branch.
    member_ranking: bool = False
    #: Asia/Shanghai hour of the evening reminder; None: no reminder.
    reminder_hour: int | None = 20


def settings_from(config: Mapping[str, Any]) -> ProgressSettings:
    """ProgressSettings from a Flask config mapping."""
    return ProgressSettings(
        goal_minutes=int(config.get("DAILY_GOAL_MINUTES", 30)),
        tracking=bool(config.get("STUDY_TIME_TRACKING", True)),
        rules=rules_from_config(config.get("POINT_RULES")),
        member_ranking=bool(config.get("MEMBER_RANKING", False)),
        reminder_hour=_hour(config.get("REMINDER_AT", "20:00")),
    )


def _hour(text: Any) -> int | None:
    """The hour of an ``HH:MM`` setting (the job table checks its form)."""
    value = str(text or "").strip()
    hour = value.partition(":")[0]
    return int(hour) if hour.isdigit() and int(hour) < 24 else None


#: Where the app factory (``studyapp.settings``) puts them on ``Session.info``.
INFO_KEY = "studyapp.progress_settings"


def for_actor(session: Session, actor: Any) -> ProgressSettings:
    """The progress settings that apply to ``actor`` (an Actor or a User): the
    deployment's, overlaid by what the units above the actor's branch set
    (the nearest unit that sets a value wins, see ``org.unit_settings``)."""
    return for_path(session, actor.branch.path)


def for_path(session: Session, path: str) -> ProgressSettings:
    """The settings of members of the unit with this tree path."""
    base = defaults(session)
    found = effective(session, path)
    if not found:
        return base
    return overlay(base, found)


def overlay(base: ProgressSettings, found: dict[str, Any]) -> ProgressSettings:
    """``base`` with a unit's (typed) settings applied."""
    rules = dict(base.rules)
    for key, value in found.items():
        if key.startswith("cap.") and key[4:] in rules:
            rules[key[4:]] = replace(rules[key[4:]], daily_cap=value)
    plain = {k: v for k, v in found.items() if k in _PLAIN}
    return replace(base, rules=rules, **plain)


_PLAIN = ("goal_minutes", "tracking", "member_ranking", "reminder_hour")


def defaults(session: Session) -> ProgressSettings:
    """The deployment's progress settings (from its config), via the Session.

    A Session made outside an app (a bare sessionmaker) gets the built-in defaults.
    """
    found = session.info.get(INFO_KEY)
    return found if found is not None else ProgressSettings()
