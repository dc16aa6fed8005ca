"""Clock and calendar: UTC storage, Asia/Shanghai study days and periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

APP_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current time as an aware UTC datetime; the only call to the clock."""
    return datetime.now(UTC)


def study_day(at: datetime) -> date:
    """The Asia/Shanghai calendar day an aware instant falls on."""
    if at.tzinfo is None:
        raise ValueError("study_day needs an aware datetime")
    return at.astimezone(APP_TZ).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of an Asia/Shanghai day."""
    start = datetime.combine(day, time.min, tzinfo=APP_TZ)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def local(at: datetime) -> datetime:
    """An aware instant shown in Asia/Shanghai time."""
    return at.astimezone(APP_TZ)


def parse_local(text: str) -> datetime:
    """Parse ``YYYY-MM-DD HH:MM`` (Asia/Shanghai unless a zone is given) to UTC."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=APP_TZ)
    return value.astimezone(UTC)


def week_key(day: date) -> str:
    """ISO week key such as ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    """Month key such as ``2026-11``."""
    return f"{day.year}-{day.month:02d}"
