"""Excused days and 补学 keep a streak; neither can be abused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.errors import Conflict, ValidationFailed
from studyapp.progress.days import excuse_day, start_makeup
from studyapp.progress.queries import today_summary
from studyapp.timeutil import study_day
from tests.factories import make_user
from tests.progress.conftest import T0
from tests.progress.test_heartbeat import read

DAY = timedelta(days=1)


def streak(session, member, at):  # type: ignore[no-untyped-def]
    return today_summary(session, member.id, study_day(at), 30).streak


def test_excused_day_keeps_the_streak(session, member, settings):
    read(session, member, settings, T0, 1800)
    read(session, member, settings, T0 + 2 * DAY, 1800)
    assert streak(session, member, T0 + 2 * DAY) == 1
    secretary = make_user(session, member.branch, "sec")
    excuse_day(
        session,
        member,
        study_day(T0 + DAY),
        reason="病假",
        by=secretary,
        now=T0 + 2 * DAY,
        settings=settings,
    )
    assert streak(session, member, T0 + 2 * DAY) == 2


def test_excuse_needs_a_reason_and_a_past_day(session, member, settings):
    sec = make_user(session, member.branch, "sec")
    with pytest.raises(ValidationFailed):
        excuse_day(
            session,
            member,
            study_day(T0),
            reason=" ",
            by=sec,
            now=T0,
            settings=settings,
        )
    with pytest.raises(ValidationFailed):
        excuse_day(
            session,
            member,
            study_day(T0 + DAY),
            reason="出差",
            by=sec,
            now=T0,
            settings=settings,
        )


def test_makeup_fills_the_missed_day_then_today(session, member, settings):
    read(session, member, settings, T0, 1800)  # day 0 met
    # day 1 missed; on day 2 the member makes it up, then studies for today too.
    now = T0 + 2 * DAY
    start_makeup(session, member, study_day(T0 + DAY), now=now)
    read(session, member, settings, now, 1800, lesson="a")
    read(session, member, settings, now + timedelta(hours=1), 1800, lesson="b")
    assert streak(session, member, now) == 3


def test_makeup_only_for_the_last_two_days_and_once(session, member, settings):
    now = T0 + 5 * DAY
    with pytest.raises(Conflict):
        start_makeup(session, member, study_day(T0), now=now)  # five days ago
    start_makeup(session, member, study_day(now - DAY), now=now)
    with pytest.raises(Conflict):
        start_makeup(
            session, member, study_day(now - 2 * DAY), now=now
        )  # one at a time


def test_makeup_for_a_day_before_a_move_counts_for_the_old_branch(
    session, member, settings
):
    """Moved to another branch today, the member makes up yesterday: yesterday
    was the old branch's day, so its participation gains it, not the new one."""
    from studyapp.auth import membership
    from studyapp.progress.models import DailyActivity
    from tests.factories import make_unit

    old = member.branch_id
    now = T0 + 2 * DAY
    membership.move(session, member, make_unit(session, "NEW"), study_day(now), now)
    start_makeup(session, member, study_day(now - DAY), now=now)
    read(session, member, settings, now, 1800, lesson="a")
    rows = dict(
        session.execute(
            select(DailyActivity.study_day, DailyActivity.branch_id).where(
                DailyActivity.user_id == member.id
            )
        ).all()
    )
    assert rows[study_day(now - DAY)] == old
