"""Streaks on Asia/Shanghai days, at the midnight edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from studyapp.progress.streaks import best_streak, current_streak
from studyapp.timeutil import study_day

D = date(2026, 11, 20)


def days(*offsets: int) -> set[date]:
    return {D + timedelta(days=o) for o in offsets}


def test_today_not_yet_met_does_not_break_the_streak():
    assert current_streak(days(-2, -1), set(), D) == 2


def test_today_met_counts():
    assert current_streak(days(-2, -1, 0), set(), D) == 3


def test_a_missed_day_breaks_it():
    assert current_streak(days(-3, -1, 0), set(), D) == 2
    assert current_streak(days(-3, -2), set(), D) == 0


def test_an_excused_day_bridges_without_counting():
    assert current_streak(days(-3, -1, 0), days(-2), D) == 3


def test_best_streak_is_the_longest_run():
    assert best_streak(days(-10, -9, -8, -5, -4), set()) == 3
    assert best_streak(days(-10, -8), days(-9)) == 2
    assert best_streak(set(), set()) == 0


def test_study_day_is_shanghai_day_at_the_edges():
    # 23:59:59 Shanghai is 15:59:59 UTC the same date; 00:00:00 is the next day.
    assert study_day(datetime(2026, 11, 20, 15, 59, 59, tzinfo=UTC)) == date(
        2026, 11, 20
    )
    assert study_day(datetime(2026, 11, 20, 16, 0, 0, tzinfo=UTC)) == date(2026, 11, 21)


def test_a_utc_date_that_differs_from_the_shanghai_date():
    # 2026-11-20 20:00 UTC is already 2026-11-21 04:00 in Shanghai.
    at = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    assert at.date() == date(2026, 11, 20) and study_day(at) == date(2026, 11, 21)
