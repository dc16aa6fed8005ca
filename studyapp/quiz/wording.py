"""PURE: quiz occurrences and schedules in words people read (never raw keys).

An occurrence is named by its Asia/Shanghai days: 「11月30日–12月6日」, 「12月1日」,
「11月30日起」 for one that stays open until the next; the year is added when it is
not the current one. The last day is the one holding the last open instant, so a
window closing at midnight ends the day before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from studyapp.quiz.schedule import FOREVER
from studyapp.timeutil import study_day

_TICK = timedelta(microseconds=1)
KIND_NAMES = {"daily": "每日一练", "weekly": "每周一测", "special": "专题测验",
              "exam": "考试"}  # fmt: skip
_WEEKDAYS = {"mon": "一", "tue": "二", "wed": "三", "thu": "四", "fri": "五",
             "sat": "六", "sun": "日"}  # fmt: skip


def day_words(day: date, this_year: int) -> str:
    """``11月30日``, or ``2025年11月30日`` outside the current year."""
    text = f"{day.month}月{day.day}日"
    return text if day.year == this_year else f"{day.year}年{text}"


def occurrence_title(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """The days an occurrence is open, in words (Asia/Shanghai)."""
    year = study_day(now).year
    first = study_day(opens_at)
    if closes_at >= FOREVER - timedelta(days=1):
        return f"{day_words(first, year)}起"
    last = study_day(closes_at - _TICK)
    if last <= first:
        return day_words(first, year)
    # The year once, at the start, unless the window crosses into another.
    end = day_words(last, first.year)
    return f"{day_words(first, year)}–{end}"


def schedule_words(kind: str, schedule: str | None, open_for_seconds: int | None,
                   opens_at: datetime | None, closes_at: datetime | None,
                   now: datetime) -> str:  # fmt: skip
    """When a quiz is open, in words: 每天, 每周一 08:00 开放 7 天, or its window."""
    if kind == "daily":
        return "每天开放，当天有效"
    if schedule:
        return _cron_words(schedule, open_for_seconds)
    if opens_at and closes_at:
        return occurrence_title(opens_at, closes_at, now)
    return ""


def _cron_words(schedule: str, open_for_seconds: int | None) -> str:
    parts = schedule.split()
    if len(parts) != 5:
        return schedule
    minute, hour, _dom, _month, dow = parts
    at = ""
    if hour.isdigit() and minute.isdigit():
        at = f" {hour.zfill(2)}:{minute.zfill(2)}"
    days = (
        "天"
        if dow == "*"
        else "、".join("周" + _WEEKDAYS.get(d, d) for d in dow.split(","))
    )
    if not open_for_seconds:
        return f"每{days}{at} 开放，到下次开放为止"
    span = timedelta(seconds=open_for_seconds)
    if span.days and not span.seconds:
        return f"每{days}{at} 开放，{span.days} 天内可答"
    return f"每{days}{at} 开放，{open_for_seconds // 3600} 小时内可答"
