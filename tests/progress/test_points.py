"""The points ledger: once per (member, rule, source), daily caps, one rule table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studyapp.progress import books
from studyapp.progress.queries import today_summary
from studyapp.progress.rules import Rule, capped, goal_met, rules_from_config
from studyapp.progress.service import award, lesson_opened, record_quiz
from studyapp.timeutil import study_day
from tests.progress.conftest import T0
from tests.progress.test_heartbeat import read


def points_today(session, member) -> int:  # type: ignore[no-untyped-def]
    return today_summary(session, member.id, study_day(T0), 30).points_today


def test_repeating_an_action_never_scores_twice(session, member, settings):
    day = study_day(T0)
    kw = dict(
        rule="quiz", source="attempt:1", points=5, day=day, now=T0, settings=settings
    )
    assert award(session, member, **kw) == 5
    assert award(session, member, **kw) == 0
    assert points_today(session, member) == 5


def test_daily_caps_hold(session, member, settings):
    day = study_day(T0)
    got = [
        award(
            session,
            member,
            rule="review_right",
            source=f"card:{n}",
            points=1,
            day=day,
            now=T0,
            settings=settings,
        )
        for n in range(5)
    ]
    assert got == [1, 1, 1, 0, 0]
    tomorrow = day + timedelta(days=1)
    assert (
        award(
            session,
            member,
            rule="review_right",
            source="card:9",
            points=1,
            day=tomorrow,
            now=T0 + timedelta(days=1),
            settings=settings,
        )
        == 1
    )


def test_each_five_minutes_scores_once_up_to_the_cap(session, member, settings):
    read(session, member, settings, T0, 60 * 60, minutes=30)  # an hour on one lesson
    # 12 blocks of 5 minutes, capped at 6; plus the finished lesson.
    assert points_today(session, member) == 6 + 1


def test_daily_quiz_scores_per_correct_answer_capped(session, member, settings):
    got = record_quiz(
        session,
        member,
        daily=True,
        source="attempt:1",
        correct=7,
        score=70.0,
        points=0,
        now=T0,
        settings=settings,
    )
    assert got == 5
    again = record_quiz(
        session,
        member,
        daily=True,
        source="attempt:1",
        correct=7,
        score=70.0,
        points=0,
        now=T0,
        settings=settings,
    )
    assert again == 0


def test_weekly_quiz_scores_points_times_score(session, member, settings):
    got = record_quiz(
        session,
        member,
        daily=False,
        source="attempt:2",
        correct=8,
        score=80.0,
        points=5,
        now=T0,
        settings=settings,
    )
    assert got == 4


def test_a_finished_book_scores_five_once(session, member, settings):
    book = books.add_book(session, member, title="中国共产党简史", author="", now=T0)
    assert (
        books.update_book(
            session,
            member,
            book,
            progress_percent=50,
            note="",
            now=T0,
            settings=settings,
        )
        == 0
    )
    assert (
        books.update_book(
            session,
            member,
            book,
            progress_percent=100,
            note="好书",
            now=T0,
            settings=settings,
        )
        == 5
    )
    assert (
        books.update_book(
            session,
            member,
            book,
            progress_percent=100,
            note="再读",
            now=T0,
            settings=settings,
        )
        == 0
    )


def test_book_progress_out_of_range_names_the_field(session, member, settings):
    from studyapp.errors import ValidationFailed

    book = books.add_book(session, member, title="书", author="", now=T0)
    with pytest.raises(ValidationFailed) as exc:
        books.update_book(
            session,
            member,
            book,
            progress_percent=120,
            note="",
            now=T0,
            settings=settings,
        )
    assert exc.value.field == "progress_percent"


def test_with_tracking_off_a_lesson_and_the_daily_quiz_meet_the_goal(session, member):
    from studyapp.progress.settings import ProgressSettings

    off = ProgressSettings(tracking=False)
    lesson_opened(session, member, "sanhui", now=T0, settings=off)
    assert not today_summary(session, member.id, study_day(T0), 30).goal_met
    record_quiz(
        session,
        member,
        daily=True,
        source="a:1",
        correct=1,
        score=20,
        points=0,
        now=T0,
        settings=off,
    )
    assert today_summary(session, member.id, study_day(T0), 30).goal_met


def test_rules_are_configurable():
    rules = rules_from_config({"lesson_finished": [2, 10]})
    assert rules["lesson_finished"] == Rule(2, 10)
    with pytest.raises(ValueError):
        rules_from_config({"nonsense": [1, 1]})


def test_pure_rules():
    assert capped(3, 4, Rule(1, 6)) == 2 and capped(3, 7, Rule(1, 6)) == 0
    assert capped(9, 100, Rule(1, None)) == 9
    assert goal_met(
        study_seconds=1800,
        goal_minutes=30,
        tracking=True,
        lessons_opened=0,
        daily_quiz_done=False,
    )
    assert not goal_met(
        study_seconds=1799,
        goal_minutes=30,
        tracking=True,
        lessons_opened=0,
        daily_quiz_done=False,
    )


def test_only_one_finished_book_a_month_scores(session, member, settings):
    earned = 0
    for n in range(4):  # four books "finished" within seconds
        book = books.add_book(session, member, title=f"书{n}", author="", now=T0)
        earned += books.update_book(
            session, member, book, progress_percent=100, note="",
            now=T0 + timedelta(seconds=n), settings=settings,
        )  # fmt: skip
    assert earned == 5
