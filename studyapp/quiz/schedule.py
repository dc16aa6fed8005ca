"""PURE: when quizzes are open — daily days, cron firings and fixed windows.

Every datetime in and out is aware; results are in UTC. Cron expressions are read by
APScheduler 3.x in Asia/Shanghai (weekdays as ``mon``…``sun``; the content checker
rejects numeric ones). Asia/Shanghai has had no DST since 1991, so a firing at 08:00
Shanghai is always 00:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from apscheduler.triggers.cron import CronTrigger

from studyapp.timeutil import APP_TZ, day_bounds, study_day

#: closes_at of a window that never closes (a schedule with no later firing).
FOREVER = datetime.max.replace(tzinfo=UTC)
_TICK = timedelta(microseconds=1)
# Spans probed backwards from now for the latest firing: short first so that a
# frequent schedule is not walked over months of firings.
_FIRST_PROBE = timedelta(hours=1)
_PROBE_GROWTH = 8


@dataclass(frozen=True)
class Window:
    """One occurrence of a quiz: open from ``opens_at`` (inclusive) to ``closes_at``.

    ``key`` is stable and unique per definition: ``2026-11-22`` (a daily Shanghai
    day), ``2026-11-23T08:00`` (a cron firing, Shanghai local time), ``once``.
    """

    key: str
    opens_at: datetime
    closes_at: datetime


def is_open(window: Window, now: datetime) -> bool:
    """Whether *now* falls in the window: ``opens_at <= now < closes_at``."""
    return window.opens_at <= _utc(now, "now") < window.closes_at


def daily_window(now: datetime) -> Window:
    """The Asia/Shanghai day holding *now*: [00:00, next 00:00), key ``YYYY-MM-DD``."""
    day = study_day(_utc(now, "now"))
    opens_at, closes_at = day_bounds(day)
    return Window(day.isoformat(), opens_at, closes_at)


def fixed_window(opens_at: datetime, closes_at: datetime) -> Window:
    """The single window of a special quiz or exam, key ``once``.

    Raises ValueError for naive datetimes or when it does not close after it opens.
    """
    start, end = _utc(opens_at, "opens_at"), _utc(closes_at, "closes_at")
    if end <= start:
        raise ValueError("closes_at must be after opens_at")
    return Window("once", start, end)


def cron_windows(
    schedule: str,
    open_for: timedelta | None,
    *,
    start: datetime,
    end: datetime,
) -> list[Window]:
    """One window per firing of *schedule* in [start, end], oldest first.

    Each lasts *open_for*, or until the next firing when *open_for* is None (that
    firing may lie after *end*). Raises ValueError for a bad cron expression, a
    non-positive *open_for* or naive datetimes.
    """
    _check_open_for(open_for)
    trigger = _trigger(schedule)
    end = _utc(end, "end")
    windows = []
    fire = _next_firing(trigger, _utc(start, "start"))
    while fire is not None and fire <= end:
        following = _next_firing(trigger, fire + _TICK)
        windows.append(_window(fire, following, open_for))
        fire = following
    return windows


def current_windows(
    schedule: str,
    open_for: timedelta | None,
    now: datetime,
    *,
    lookback: timedelta = timedelta(days=60),
) -> list[Window]:
    """Windows of *schedule* open at *now*, newest first.

    Several are open at once when *open_for* exceeds the interval between firings.
    With *open_for* given the search is exact (a window opened more than *open_for*
    ago is closed); with *open_for* None only the latest firing can be open, and it
    is looked for at most *lookback* back (a rarer schedule finds nothing).
    """
    now = _utc(now, "now")
    if open_for is None:
        latest = latest_window(schedule, None, now, lookback=lookback)
        found = [latest] if latest is not None else []
    else:
        found = cron_windows(schedule, open_for, start=now - open_for, end=now)
    return sorted(
        (w for w in found if is_open(w, now)), key=lambda w: w.opens_at, reverse=True
    )


def latest_window(
    schedule: str,
    open_for: timedelta | None,
    now: datetime,
    *,
    lookback: timedelta = timedelta(days=60),
) -> Window | None:
    """The newest window that opened at or before *now*, open or already closed.

    None when *schedule* did not fire within *lookback* before *now*. Useful for
    "last week's results" and ``review: after_close``.
    """
    _check_open_for(open_for)
    trigger = _trigger(schedule)
    fire = _latest_firing(trigger, _utc(now, "now"), lookback)
    if fire is None:
        return None
    return _window(fire, _next_firing(trigger, fire + _TICK), open_for)


def next_window(
    schedule: str, open_for: timedelta | None, now: datetime
) -> Window | None:
    """The first window to open strictly after *now*, or None if it never fires."""
    _check_open_for(open_for)
    trigger = _trigger(schedule)
    fire = _next_firing(trigger, _utc(now, "now") + _TICK)
    if fire is None:
        return None
    return _window(fire, _next_firing(trigger, fire + _TICK), open_for)


def next_opening(schedule: str, now: datetime) -> datetime | None:
    """When *schedule* next opens an occurrence strictly after *now* (UTC), or None."""
    return _next_firing(_trigger(schedule), _utc(now, "now") + _TICK)


@lru_cache(maxsize=128)
def _trigger(schedule: str) -> CronTrigger:
    return CronTrigger.from_crontab(schedule, timezone=APP_TZ)


def _next_firing(trigger: CronTrigger, at: datetime) -> datetime | None:
    """The first firing at or after *at* (APScheduler rounds *at* up to a second)."""
    fire = trigger.get_next_fire_time(None, at)
    return None if fire is None else fire.astimezone(UTC)


def _latest_firing(
    trigger: CronTrigger, now: datetime, lookback: timedelta
) -> datetime | None:
    span = _FIRST_PROBE
    while True:
        span = min(span, lookback)
        fire = _next_firing(trigger, now - span)
        if fire is not None and fire <= now:
            while (later := _next_firing(trigger, fire + _TICK)) and later <= now:
                fire = later
            return fire
        if span >= lookback:
            return None
        span *= _PROBE_GROWTH


def _window(
    fire: datetime, following: datetime | None, open_for: timedelta | None
) -> Window:
    key = fire.astimezone(APP_TZ).strftime("%Y-%m-%dT%H:%M")
    if open_for is not None:
        return Window(key, fire, fire + open_for)
    return Window(key, fire, following or FOREVER)


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value.astimezone(UTC)


def _check_open_for(open_for: timedelta | None) -> None:
    if open_for is not None and open_for <= timedelta(0):
        raise ValueError("open_for must be positive")
