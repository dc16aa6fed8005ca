"""Occurrences and schedules in words: Asia/Shanghai days, never raw keys."""

from __future__ import annotations

from datetime import UTC, datetime

from studyapp.quiz.schedule import FOREVER
from studyapp.quiz.wording import occurrence_title, schedule_words
from studyapp.timeutil import APP_TZ

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=APP_TZ)


def test_a_week_ends_on_the_day_before_a_midnight_close():
    assert occurrence_title(at(2026, 11, 30, 8), at(2026, 12, 7), NOW) == (
        "11月30日–12月6日"
    )


def test_a_window_inside_one_day_is_that_day():
    assert occurrence_title(at(2026, 12, 1, 8), at(2026, 12, 1, 20), NOW) == "12月1日"


def test_another_year_is_named_once_or_on_both_ends_across_new_year():
    earlier = occurrence_title(at(2025, 3, 1), at(2025, 3, 8), NOW)
    assert earlier == "2025年3月1日–3月7日"
    assert occurrence_title(at(2026, 12, 28), at(2027, 1, 4, 12), NOW) == (
        "12月28日–2027年1月4日"
    )


def test_a_window_open_until_the_next_firing_that_never_comes():
    assert occurrence_title(at(2026, 11, 30, 8), FOREVER, NOW) == "11月30日起"


def test_schedules_in_words():
    assert schedule_words("weekly", "0 8 * * mon", 7 * 86400, None, None, NOW) == (
        "每周一 08:00 开放，7 天内可答"
    )
    assert schedule_words("weekly", "30 19 * * tue,fri", None, None, None, NOW) == (
        "每周二、周五 19:30 开放，到下次开放为止"
    )
    assert schedule_words("daily", None, None, None, None, NOW) == "每天开放，当天有效"
    assert schedule_words("exam", None, None, at(2026, 12, 20, 9), at(2026, 12, 31),
                          NOW) == "12月20日–12月30日"  # fmt: skip
