"""PURE: scalar values of the content format: ids, dates, durations, cron.

Each ``parse_*`` returns the value, or raises ``ValueError`` with a Chinese message
an author can act on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

#: Naive times in content files are Asia/Shanghai wall-clock times.
CONTENT_TZ = ZoneInfo("Asia/Shanghai")

_ID = re.compile(r"[A-Za-z0-9_-]+")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_DOW_NUMERIC = re.compile(r"\d")


def is_valid_id(value: str) -> bool:
    """True for a non-empty id of ASCII letters, digits, ``-`` and ``_``."""
    return bool(_ID.fullmatch(value))


def parse_datetime(text: str) -> tuple[datetime, bool]:
    """Parse ``YYYY-MM-DD[ HH:MM[:SS]][Z|±HH:MM]`` to an aware UTC datetime.

    Without a zone the time is Asia/Shanghai. Returns ``(when, date_only)``;
    a date alone means 00:00 of that day.
    """
    match = _DATETIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"时间格式不对：{text}（应为 2026-12-01 08:00）")
    y, mo, d, h, mi, s, zone = match.groups()
    try:
        day = date(int(y), int(mo), int(d))
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None
    try:
        clock = time(int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        raise ValueError(f"时刻不存在：{text}") from None
    tz = _zone(zone) if zone else CONTENT_TZ
    when = datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)
    return when, h is None


def _zone(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if offset >= timedelta(hours=24):
        raise ValueError(f"时区偏移不对：{text}")
    return timezone(sign * offset)


def parse_duration(text: str) -> timedelta:
    """Parse ``7d``, ``15m``, ``1h30m``, ``90s`` (spaces allowed between parts)."""
    compact = re.sub(r"\s+", "", text).lower()
    match = _DURATION.fullmatch(compact)
    if not compact or not match:
        raise ValueError(f"时长格式不对：{text}（例如 7d、15m、1h30m）")
    d, h, m, s = (int(g or 0) for g in match.groups())
    value = timedelta(days=d, hours=h, minutes=m, seconds=s)
    if value <= timedelta(0):
        raise ValueError(f"时长必须大于 0：{text}")
    return value


def check_cron(expr: str) -> None:
    """Validate a 5-field cron expression as APScheduler reads it (Asia/Shanghai).

    Numeric day-of-week is refused: APScheduler counts 0 = Monday while classic cron
    counts 0 = Sunday, so ``* * * * 1`` would silently fire a day late.
    """
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron 表达式应有 5 段（分 时 日 月 星期），这里有 {len(fields)} 段：{expr}"
        )
    try:
        CronTrigger.from_crontab(expr, timezone=CONTENT_TZ)
    except ValueError as exc:
        raise ValueError(f"cron 表达式无效：{expr}（{exc}）") from None
    if _DOW_NUMERIC.search(fields[4]):
        raise ValueError(
            f"cron 的星期请写英文缩写 mon…sun：{expr}"
            "（数字在 APScheduler 中 0 = 周一，与常见 cron 的 0 = 周日不同）"
        )
