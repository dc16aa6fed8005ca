"""Scalar values of the content format: ids, datetimes, durations, cron."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.content.format import values


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("sj-001", True),
        ("A_b9", True),
        ("a b", False),
        ("题", False),
        ("", False),
        ("a.b", False),
    ],
)
def test_is_valid_id(value: str, ok: bool) -> None:
    assert values.is_valid_id(value) is ok


def test_parse_datetime_returns_utc_and_whether_only_a_date() -> None:
    assert values.parse_datetime("2026-12-01") == (
        datetime(2026, 11, 30, 16, tzinfo=UTC),
        True,
    )
    assert values.parse_datetime("2026-12-01 08:00") == (
        datetime(2026, 12, 1, 0, tzinfo=UTC),
        False,
    )
    assert values.parse_datetime("2026-12-01T08:00-0130")[0] == datetime(
        2026, 12, 1, 9, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "text",
    ["2026-02-29", "2026-13-01", "2026-12-01 24:00", "2026-12-01 08:00+25:00", "x"],
)
def test_parse_datetime_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        values.parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7d", timedelta(days=7)), ("15m", timedelta(minutes=15)), ("1h30m", timedelta(minutes=90)),
     ("1D", timedelta(days=1)), ("2d 3h", timedelta(days=2, hours=3))],
)  # fmt: skip
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert values.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "7", "30m1h", "0s", "1w", "-5m"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        values.parse_duration(text)


def test_check_cron_accepts_named_days_and_refuses_numeric_ones() -> None:
    values.check_cron("0 8 * * mon")
    values.check_cron("0 0 1 * *")
    with pytest.raises(ValueError, match="英文缩写"):
        values.check_cron("0 8 * * 1-5")
