"""Study-time credit: real time only, one page at a time, capped per lesson."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from studyapp.progress.clock import Activity, credit_beat
from studyapp.progress.models import DailyActivity
from studyapp.progress.queries import today_summary
from studyapp.timeutil import study_day
from tests.progress.conftest import T0


def beat(session, member, settings, at, *, page="p1", lesson="sanhui", minutes=20):  # type: ignore[no-untyped-def]
    return credit_beat(
        session,
        member,
        Activity.lesson(lesson, minutes),
        page_id=page,
        now=at,
        settings=settings,
    )


def read(session, member, settings, start, seconds, step=30, **kw):  # type: ignore[no-untyped-def]
    total = 0
    for n in range(0, seconds + 1, step):
        total += beat(
            session, member, settings, start + timedelta(seconds=n), **kw
        ).credited_seconds
    return total


def test_first_beat_earns_nothing_then_real_time(session, member, settings):
    assert beat(session, member, settings, T0).credited_seconds == 0
    assert (
        beat(session, member, settings, T0 + timedelta(seconds=30)).credited_seconds
        == 30
    )


def test_thirty_real_minutes_meet_the_goal_and_start_a_streak(
    session, member, settings
):
    credited = read(session, member, settings, T0, 30 * 60)
    assert credited == 30 * 60
    today = today_summary(session, member.id, study_day(T0), 30)
    assert today.goal_met and today.minutes == 30 and today.streak == 1


def test_beating_faster_earns_no_more_than_real_time(session, member, settings):
    credited = read(session, member, settings, T0, 600, step=1)
    assert credited == 600


def test_a_script_claiming_long_gaps_earns_only_the_cap(session, member, settings):
    # One beat a minute: each beat earns at most beat_cap_seconds (45 s), not 60.
    credited = read(session, member, settings, T0, 600, step=60)
    assert credited == 10 * settings.beat_cap_seconds


def test_a_pause_longer_than_the_gap_earns_nothing(session, member, settings):
    beat(session, member, settings, T0)
    assert (
        beat(session, member, settings, T0 + timedelta(minutes=10)).credited_seconds
        == 0
    )


def test_two_tabs_do_not_double_count(session, member, settings):
    total = 0
    for n in range(0, 601, 30):
        at = T0 + timedelta(seconds=n)
        total += beat(session, member, settings, at, page="tab-a").credited_seconds
        total += beat(
            session,
            member,
            settings,
            at + timedelta(seconds=1),
            page="tab-b",
            lesson="other",
        ).credited_seconds
    assert total == 600


def test_second_tab_takes_over_when_the_first_stops(session, member, settings):
    read(session, member, settings, T0, 60, page="tab-a")
    later = T0 + timedelta(seconds=60 + settings.beat_gap_seconds)
    assert read(session, member, settings, later, 60, page="tab-b") == 60


def test_hours_on_one_lesson_earn_at_most_twice_its_minutes(session, member, settings):
    credited = read(session, member, settings, T0, 3 * 3600, minutes=10)
    assert credited == 2 * 10 * 60


def test_reading_across_midnight_goes_to_each_shanghai_day(session, member, settings):
    # 23:58 to 00:02 Shanghai (15:58 to 16:02 UTC).
    start = T0.replace(hour=15, minute=58)
    read(session, member, settings, start, 240)
    days = dict(
        session.execute(
            select(DailyActivity.study_day, DailyActivity.study_seconds)
        ).all()
    )
    first, second = sorted(days)
    assert days[first] == 120 and days[second] == 120
    assert second - first == timedelta(days=1)


def test_no_credit_when_time_tracking_is_off(session, member):
    from studyapp.progress.settings import ProgressSettings

    off = ProgressSettings(tracking=False)
    assert read(session, member, off, T0, 600) == 0
