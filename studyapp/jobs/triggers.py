"""Schedules of the job table: cron rules in Asia/Shanghai, their firings and keys.

Only cron rules are used (no interval triggers): a cron firing is the same
instant in every scheduler process, so two processes, a retry and a catch-up
all agree on an occurrence's key. Asia/Shanghai has no DST since 1991, so no
firing is skipped or doubled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from studyapp.timeutil import APP_TZ

_TICK = timedelta(microseconds=1)
_WEEKDAYS = {
    "mon": "一",
    "tue": "二",
    "wed": "三",
    "thu": "四",
    "fri": "五",
    "sat": "六",
    "sun": "日",
}


@dataclass(frozen=True)
class Cron:
    """A cron rule read in Asia/Shanghai.

    ``at_setting`` names a config key holding ``"HH:MM"`` that replaces
    ``hour`` and ``minute`` (an empty value switches the job off). With
    ``hourly`` the job runs every hour at that minute (and on when the setting
    is empty): the job itself decides whom each hour concerns.
    """

    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    second: str = "0"
    at_setting: str | None = None
    hourly: bool = False

    def resolved(self, config: Mapping[str, Any]) -> Cron | None:
        """The rule with its setting applied; None when the setting is empty."""
        if self.at_setting is None:
            return self
        value = str(config.get(self.at_setting) or "").strip()
        if not value and self.hourly:
            return replace(self, hour="*", minute="0")
        if not value:
            return None
        hour, _, minute = value.partition(":")
        try:
            h, m = int(hour), int(minute or 0)
        except ValueError:
            h = m = -1
        if not (0 <= h < 24 and 0 <= m < 60):
            raise ValueError(f"{self.at_setting} must be HH:MM, not {value!r}")
        return replace(self, hour="*" if self.hourly else str(h), minute=str(m))

    def trigger(self, config: Mapping[str, Any]) -> CronTrigger | None:
        """The APScheduler trigger (Asia/Shanghai), or None when switched off."""
        rule = self.resolved(config)
        if rule is None:
            return None
        return CronTrigger(
            second=rule.second,
            minute=rule.minute,
            hour=rule.hour,
            day_of_week=rule.day_of_week,
            timezone=APP_TZ,
        )

    def words(self, config: Mapping[str, Any]) -> str:
        """The schedule in Chinese words, e.g. ``每天 20:00``."""
        rule = self.resolved(config)
        if rule is None:
            return "已关闭"
        if self.hourly and self.at_setting:
            value = str(config.get(self.at_setting) or "").strip()
            default = f"默认 {_clock(value)}" if value else "默认不提醒"
            return f"{rule.describe()}（{default}，各组织可在 管理 › 设置 中改）"
        return rule.describe()

    def describe(self) -> str:
        if self.second == "*":
            return "每秒"
        if self.second.startswith("*/"):
            return f"每 {self.second[2:]} 秒"
        if self.minute == "*" and self.hour == "*":
            return "每分钟"
        if self.minute.startswith("*/") and self.hour == "*":
            return f"每 {self.minute[2:]} 分钟"
        if not (self.hour.isdigit() and self.minute.isdigit()):
            if self.hour == "*" and self.minute.isdigit():
                return f"每小时第 {int(self.minute)} 分"
            return f"cron {self.second} {self.minute} {self.hour} {self.day_of_week}"
        clock = f"{int(self.hour):02d}:{int(self.minute):02d}"
        if self.day_of_week == "*":
            return f"每天 {clock}"
        days = "、".join(_WEEKDAYS.get(d, d) for d in self.day_of_week.split(","))
        return f"每周{days} {clock}"


def _clock(value: str) -> str:
    hour, _, minute = value.partition(":")
    return f"{int(hour):02d}:{int(minute or 0):02d}"


def latest_fire(
    trigger: CronTrigger, now: datetime, horizon: timedelta = timedelta(days=400)
) -> datetime | None:
    """The latest firing at or before ``now`` (aware), within ``horizon``.

    Probes backwards with growing spans, so a frequent rule is not walked over
    months of firings.
    """
    span = timedelta(minutes=2)
    while True:
        span = min(span, horizon)
        last = None
        fire = trigger.get_next_fire_time(None, now - span)
        while fire is not None and fire <= now:
            last = fire
            fire = trigger.get_next_fire_time(fire, fire + _TICK)
        if last is not None or span >= horizon:
            return last
        span *= 16


def next_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The first firing strictly after ``now``."""
    return trigger.get_next_fire_time(None, now + _TICK)


def occurrence_key(fire: datetime) -> str:
    """The key of a firing: Asia/Shanghai ISO minutes (seconds only if any)."""
    at = fire.astimezone(APP_TZ)
    return at.strftime("%Y-%m-%dT%H:%M:%S" if at.second else "%Y-%m-%dT%H:%M")
