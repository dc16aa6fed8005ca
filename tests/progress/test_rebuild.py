"""Points and streaks rebuilt from the ledgers equal the live ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from studyapp.progress import books
from studyapp.progress.days import excuse_day
from studyapp.progress.models import DailyActivity, UserStats
from studyapp.progress.rebuild import rebuild_user, snapshot
from studyapp.progress.service import record_quiz
from studyapp.timeutil import study_day
from tests.factories import make_user
from tests.progress.conftest import T0
from tests.progress.test_heartbeat import read


def history(session, member, settings):  # type: ignore[no-untyped-def]
    sec = make_user(session, member.branch, "sec")
    for d in (0, 1, 3, 4, 5):
        at = T0 + timedelta(days=d)
        read(session, member, settings, at, 1800 if d != 4 else 600)
        record_quiz(
            session,
            member,
            daily=True,
            source=f"daily:{d}",
            correct=3,
            score=60,
            points=0,
            now=at,
            settings=settings,
        )
    excuse_day(
        session,
        member,
        study_day(T0 + timedelta(days=2)),
        reason="出差",
        by=sec,
        now=T0 + timedelta(days=3),
        settings=settings,
    )
    book = books.add_book(session, member, title="书", author="", now=T0)
    books.update_book(
        session, member, book, progress_percent=100, note="", now=T0, settings=settings
    )


def test_rebuild_reproduces_the_live_numbers(session, member, settings):
    history(session, member, settings)
    live = snapshot(session, member.id)
    assert rebuild_user(session, member, settings) is False
    assert snapshot(session, member.id) == live
    stats = session.get(UserStats, member.id)
    assert stats.best_streak == 3 and stats.total_points > 0


def test_rebuild_repairs_a_drifted_cache(session, member, settings):
    history(session, member, settings)
    live = snapshot(session, member.id)
    row = session.scalar(select(DailyActivity).limit(1))
    row.points, row.goal_met = 999, not row.goal_met
    session.get(UserStats, member.id).total_points = 1
    session.flush()
    assert rebuild_user(session, member, settings) is True
    assert snapshot(session, member.id) == live


def test_rebuild_cli(runner, db):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["progress", "rebuild"])
    assert result.exit_code == 0 and "已重算" in result.output
    assert (
        runner.invoke(args=["progress", "rebuild", "--user", "nobody"]).exit_code == 1
    )
