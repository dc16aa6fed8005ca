"""PURE: the ranking periods (this week / month / year so far), Asia/Shanghai days."""

from __future__ import annotations

from datetime import date, timedelta

PERIODS = ("week", "month", "year")

Span = tuple[date, date]


def period_start(kind: str, day: date) -> date:
    """First day of the week (Monday), month or year that ``day`` falls in."""
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    if kind == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown period {kind!r}")


def period_bounds(kind: str, today: date) -> Span:
    """The current period so far: its complete days, through yesterday.

    On a period's first day (Monday, the 1st, 1 January) there is no complete
    day yet, so it is today so far.
    """
    start = period_start(kind, today)
    return start, max(start, today - timedelta(days=1))


def previous_bounds(kind: str, today: date) -> Span:
    """The whole period before the current one."""
    end = period_start(kind, today) - timedelta(days=1)
    return period_start(kind, end), end
