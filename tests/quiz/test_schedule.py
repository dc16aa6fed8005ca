"""Quiz windows: when daily, weekly and one-off quizzes are open (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.quiz.schedule import (
    Window,
    cron_windows,
    current_windows,
    daily_window,
    fixed_window,
    is_open,
    latest_window,
    next_opening,
    next_window,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKLY = "0 8 * * mon"
WEEK = timedelta(days=7)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


MONDAY_0800 = utc(2026, 11, 23, 0, 0)  # = Monday 2026-11-23 08:00 Shanghai


def test_weekly_quiz_opens_monday_0800_shanghai():
    [window] = cron_windows(
        WEEKLY, WEEK, start=utc(2026, 11, 20), end=utc(2026, 11, 27)
    )
    assert window == Window("2026-11-23T08:00", MONDAY_0800, MONDAY_0800 + WEEK)
    assert window.opens_at.weekday() == 0
    assert window.opens_at.tzinfo is UTC


def test_weekly_quiz_open_for_a_week_hands_over_at_monday_0800():
    [before] = current_windows(WEEKLY, WEEK, MONDAY_0800 - timedelta(seconds=1))
    assert before.key == "2026-11-16T08:00"
    [at] = current_windows(WEEKLY, WEEK, MONDAY_0800)
    assert at.key == "2026-11-23T08:00"
    [midweek] = current_windows(WEEKLY, WEEK, MONDAY_0800 + timedelta(days=3))
    assert midweek == at


def test_a_utc_sunday_evening_is_already_monday_in_shanghai():
    sunday_utc = utc(2026, 11, 22, 16, 30)
    assert sunday_utc.weekday() == 6
    assert daily_window(sunday_utc).key == "2026-11-23"
    [window] = current_windows("0 0 * * mon", timedelta(hours=12), sunday_utc)
    assert window.key == "2026-11-23T00:00"
    assert window.opens_at == utc(2026, 11, 22, 16, 0)


def test_daily_quiz_window_is_the_shanghai_day():
    window = daily_window(utc(2026, 11, 22, 3, 0))
    assert window == Window("2026-11-22", utc(2026, 11, 21, 16), utc(2026, 11, 22, 16))


def test_daily_quiz_changes_day_at_shanghai_midnight():
    assert daily_window(utc(2026, 11, 22, 15, 59, 59)).key == "2026-11-22"
    assert daily_window(utc(2026, 11, 22, 16, 0)).key == "2026-11-23"


def test_daily_window_accepts_any_aware_time_zone():
    assert daily_window(sh(2026, 11, 23, 0, 30)).key == "2026-11-23"


def test_window_opens_inclusive_and_closes_exclusive():
    window = fixed_window(utc(2026, 12, 1), utc(2026, 12, 2))
    assert is_open(window, utc(2026, 12, 1))
    assert is_open(window, utc(2026, 12, 1, 23, 59, 59))
    assert not is_open(window, utc(2026, 12, 2))
    assert not is_open(window, utc(2026, 11, 30, 23, 59, 59))


def test_special_quiz_has_one_window_keyed_once():
    window = fixed_window(sh(2026, 12, 1, 9, 0), sh(2026, 12, 1, 11, 0))
    assert window == Window("once", utc(2026, 12, 1, 1, 0), utc(2026, 12, 1, 3, 0))


def test_a_window_that_closes_before_it_opens_is_refused():
    with pytest.raises(ValueError):
        fixed_window(utc(2026, 12, 2), utc(2026, 12, 1))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        daily_window(datetime(2026, 11, 22, 8))
    with pytest.raises(ValueError):
        current_windows(WEEKLY, WEEK, datetime(2026, 11, 22, 8))


def test_a_bad_cron_expression_is_refused():
    with pytest.raises(ValueError):
        current_windows("0 25 * * mon", WEEK, MONDAY_0800)


def test_open_for_must_be_positive():
    with pytest.raises(ValueError):
        current_windows(WEEKLY, timedelta(0), MONDAY_0800)


def test_without_open_for_a_quiz_stays_open_until_the_next_firing():
    windows = cron_windows(WEEKLY, None, start=utc(2026, 11, 20), end=utc(2026, 12, 1))
    assert [(w.opens_at, w.closes_at) for w in windows] == [
        (MONDAY_0800, MONDAY_0800 + WEEK),
        (MONDAY_0800 + WEEK, MONDAY_0800 + 2 * WEEK),
    ]
    [now_open] = current_windows(
        WEEKLY, None, MONDAY_0800 + WEEK - timedelta(seconds=1)
    )
    assert now_open.key == "2026-11-23T08:00"


def test_firings_at_the_range_ends_are_included():
    windows = cron_windows(WEEKLY, WEEK, start=MONDAY_0800, end=MONDAY_0800 + WEEK)
    assert [w.key for w in windows] == ["2026-11-23T08:00", "2026-11-30T08:00"]


def test_open_for_longer_than_the_interval_gives_several_windows_newest_first():
    windows = current_windows("0 8 * * *", timedelta(days=3), utc(2026, 11, 23, 1))
    assert [w.key for w in windows] == [
        "2026-11-23T08:00",
        "2026-11-22T08:00",
        "2026-11-21T08:00",
    ]


def test_a_quiz_open_for_two_hours_is_closed_at_eleven():
    assert current_windows(WEEKLY, timedelta(hours=2), sh(2026, 11, 23, 11, 0)) == []
    assert current_windows(WEEKLY, timedelta(hours=2), sh(2026, 11, 23, 9, 59)) != []


def test_next_opening_for_the_home_page():
    assert next_opening(WEEKLY, sh(2026, 11, 22, 20, 0)) == MONDAY_0800
    assert next_opening(WEEKLY, MONDAY_0800) == MONDAY_0800 + WEEK


def test_next_opening_is_none_for_a_schedule_that_never_fires():
    assert next_opening("0 0 30 feb *", MONDAY_0800) is None


def test_next_window_is_the_coming_occurrence():
    window = next_window(WEEKLY, None, MONDAY_0800 + timedelta(hours=1))
    assert window == Window(
        "2026-11-30T08:00", MONDAY_0800 + WEEK, MONDAY_0800 + 2 * WEEK
    )


def test_latest_window_includes_a_closed_one():
    window = latest_window(WEEKLY, timedelta(hours=2), MONDAY_0800 + timedelta(days=2))
    assert window is not None
    assert window.key == "2026-11-23T08:00"
    assert not is_open(window, MONDAY_0800 + timedelta(days=2))


def test_a_rare_schedule_outside_the_lookback_finds_nothing():
    now = utc(2026, 11, 23)
    assert latest_window("0 8 1 1 *", None, now) is None
    found = latest_window("0 8 1 1 *", None, now, lookback=timedelta(days=400))
    assert found is not None and found.key == "2026-01-01T08:00"
    assert current_windows("0 8 1 1 *", None, now, lookback=timedelta(days=400)) == [
        found
    ]


def test_long_lookback_on_a_frequent_schedule_finds_only_the_current_window():
    now = utc(2026, 11, 23, 12, 34, 56)
    ten_years = timedelta(days=3650)
    [window] = current_windows("* * * * *", None, now, lookback=ten_years)
    assert window.key == "2026-11-23T20:34"
    assert window.closes_at == utc(2026, 11, 23, 12, 35)


def test_a_leap_day_quiz_stays_open_until_the_next_leap_day():
    window = latest_window("0 0 29 feb *", None, utc(2028, 3, 1), lookback=WEEK * 5)
    assert window == Window(
        "2028-02-29T00:00", utc(2028, 2, 28, 16), utc(2032, 2, 28, 16)
    )


instants = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.just(UTC),
)


@given(instants)
def test_daily_window_holds_now_and_lasts_one_shanghai_day(now):
    window = daily_window(now)
    assert is_open(window, now)
    assert window.closes_at - window.opens_at == timedelta(days=1)
    assert window.key == now.astimezone(SHANGHAI).date().isoformat()
    assert window.opens_at.astimezone(SHANGHAI).hour == 0


@given(
    instants,
    st.sampled_from([WEEKLY, "0 8 * * *", "30 */6 * * *", "0 9 1 * *"]),
    st.sampled_from([None, timedelta(hours=1), timedelta(days=3), WEEK]),
)
def test_current_windows_are_open_newest_first_and_keyed_in_shanghai_time(
    now, schedule, open_for
):
    windows = current_windows(schedule, open_for, now)
    assert all(is_open(w, now) for w in windows)
    assert [w.opens_at for w in windows] == sorted(
        (w.opens_at for w in windows), reverse=True
    )
    for w in windows:
        assert w.key == w.opens_at.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    if open_for is None:
        assert len(windows) == 1  # every schedule here fires within 60 days
