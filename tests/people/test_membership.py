"""A dated move and a deactivation keep both branches' rates right.

Today is Friday 2026-11-20 (Asia/Shanghai); this week so far is Mon 16–Thu 19.
In branch A, 勤 meets the goal every day and 慢 never does; in B, 乙 never does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import MembershipPeriod, RoleGrant
from studyapp.auth.roles import Role
from studyapp.errors import ValidationFailed
from studyapp.org.models import UnitKind
from studyapp.people import actions
from studyapp.people.payloads import ActiveIn, MoveIn
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.models import DailyActivity
from studyapp.progress.settlement import settle
from studyapp.reports.queries import branches_today
from tests.factories import make_unit, make_user
from tests.people.conftest import actor

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
MON, TUE, WED, THU = (date(2026, 11, 16) + timedelta(days=n) for n in range(4))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def org(session):  # type: ignore[no-untyped-def]
    root = make_unit(session, "ROOT", kind=UnitKind.COMMITTEE)
    a = make_unit(session, "A", parent=root, name="甲支部")
    b = make_unit(session, "B", parent=root, name="乙支部")
    make_user(session, root, "admin", role=Role.ADMIN)
    people = {}
    for username, branch, met in (
        ("qin", a, True),
        ("man", a, False),
        ("yi1", b, False),
    ):
        user = make_user(session, branch, username)
        user.created_at = LONG_AGO
        for d in (MON, TUE, WED, THU):
            row = DailyActivity(user_id=user.id, study_day=d, branch_id=branch.id)
            row.goal_met, row.study_seconds = met, 1800 if met else 0
            session.add(row)
        people[username] = user
    session.flush()
    return {"root": root, "a": a, "b": b, **people}


def rates(session, org):  # type: ignore[no-untyped-def]
    board = branch_standings(session, org["root"], "week", TODAY)
    return {s.code: s.rate for s in board}


def move(session, username, code, day):  # type: ignore[no-untyped-def]
    body = MoveIn(branch=code, day=day)
    return actions.move_person(session, actor(session, "admin"), username, body, NOW)


def test_past_days_stay_with_the_old_branch_and_later_ones_go_to_the_new(session, org):
    assert rates(session, org) == {"A": pytest.approx(0.5), "B": pytest.approx(0.0)}
    move(session, "qin", "B", WED)
    # A: Mon 1/2, Tue 1/2, Wed 0/1, Thu 0/1; B: Mon 0/1, Tue 0/1, Wed 1/2, Thu 1/2.
    assert rates(session, org) == {"A": pytest.approx(0.25), "B": pytest.approx(0.25)}


def test_a_move_reopens_settled_figures_of_both_branches(session, org):
    settle(session, NOW, TODAY)
    move(session, "qin", "B", WED)
    settle(session, NOW, TODAY)
    assert rates(session, org) == {"A": pytest.approx(0.25), "B": pytest.approx(0.25)}


def test_the_move_is_recorded_as_a_past_stretch_and_an_audit_row(session, org):
    detail = move(session, "qin", "B", WED)
    assert (detail.person.branch.code, detail.branch_since) == ("B", WED)
    assert [(h.branch.code, h.end_day) for h in detail.history] == [("A", WED)]
    period = session.scalar(select(MembershipPeriod))
    assert (period.start_day, period.end_day) == (LONG_AGO.date(), WED)


def test_a_move_cannot_be_dated_in_the_future_or_to_the_same_branch(session, org):
    with pytest.raises(ValidationFailed) as future:
        move(session, "qin", "B", TODAY + timedelta(days=1))
    with pytest.raises(ValidationFailed) as same:
        move(session, "qin", "A", WED)
    assert (future.value.field, same.value.field) == ("day", "branch")


def test_a_deactivated_member_leaves_todays_rate_and_keeps_their_past(session, org):
    by = actor(session, "admin")
    actions.set_active(session, by, "qin", ActiveIn(active=False), NOW)
    assert rates(session, org)["A"] == pytest.approx(0.5)  # Mon–Thu unchanged
    today = {b.code: b.eligible for b in branches_today(session, org["root"], TODAY)}
    assert today["A"] == 1


def test_a_reactivated_member_counts_again_from_that_day(session, org):
    by = actor(session, "admin")
    actions.set_active(session, by, "man", ActiveIn(active=False), NOW)
    actions.set_active(session, by, "man", ActiveIn(active=True), NOW)
    today = {b.code: b.eligible for b in branches_today(session, org["root"], TODAY)}
    assert today["A"] == 2 and rates(session, org)["A"] == pytest.approx(0.5)


def test_excusing_a_day_before_a_move_counts_it_for_the_old_branch(session, org):
    from studyapp.org import actions as org_actions
    from studyapp.org.payloads import ExcuseIn

    session.execute(
        DailyActivity.__table__.delete().where(
            (DailyActivity.user_id == org["qin"].id) & (DailyActivity.study_day == TUE)
        )
    )
    move(session, "qin", "B", WED)
    body = ExcuseIn(day=TUE, reason="病假")
    org_actions.excuse(session, actor(session, "admin"), "qin", body, NOW)
    row = session.scalar(
        select(DailyActivity).where(
            DailyActivity.user_id == org["qin"].id, DailyActivity.study_day == TUE
        )
    )
    assert row.excused and row.branch_id == org["a"].id


def test_a_moved_secretary_no_longer_holds_the_old_branch(session, org):
    """Moved to 乙支部, 甲支部's secretary must stop seeing 甲支部's members; a
    role elsewhere (here on the committee) stays. Both are in the audit log."""
    sec = make_user(session, org["a"], "sec", role=Role.SECRETARY)
    sec.created_at = LONG_AGO
    sec.grants.append(RoleGrant(unit=org["root"], role=Role.ADMIN.value))
    session.flush()
    move(session, "sec", "B", TODAY)
    assert {(g.unit.code, g.role) for g in sec.grants} == {("ROOT", "admin")}
    revoked = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "user.revoke")
    ).all()
    assert revoked == [{"role": "secretary", "unit": "A", "because": "user.move"}]
