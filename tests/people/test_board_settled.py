"""The leaderboard read from settled figures equals the one computed live.

Settled figures trust the roster stored with them; these tests change the
roster the ways StudyApp does (a dated move, a deactivation, an exemption, a
new member) and compare every column of the board with a board computed with
no settled rows at all, before and after the next settle. Today is Friday
2026-11-20 (Asia/Shanghai), and Monday 2026-11-23 for a period's first day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete

from studyapp.auth.roles import Role
from studyapp.org.models import UnitKind
from studyapp.people import actions
from studyapp.people.payloads import ActiveIn, MoveIn, PersonExemptIn
from studyapp.progress.branch_days import BranchDay, BranchSettlement
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.models import DailyActivity
from studyapp.progress.settlement import settle
from tests.factories import make_unit, make_user
from tests.people.conftest import actor

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)
MONDAY_NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ("week", "month", "year")


@pytest.fixture
def org(session):  # type: ignore[no-untyped-def]
    """Branches A–D, three to five members each, 40 days of varied activity."""
    root = make_unit(session, "ROOT", kind=UnitKind.COMMITTEE)
    make_user(session, root, "admin", role=Role.ADMIN)
    out = {"root": root}
    n = 0
    for code, size in (("A", 3), ("B", 4), ("C", 5), ("D", 3)):
        branch = make_unit(session, code, parent=root, name=f"{code}支部")
        out[code] = branch
        for i in range(size):
            n += 1
            user = make_user(session, branch, f"mem{code.lower()}{i}")
            user.created_at = LONG_AGO
            out[f"{code.lower()}{i}"] = user
            for k in range(40):
                if (n + k) % 3:
                    d = MONDAY - timedelta(days=k)
                    session.add(_day(user.id, branch.id, d, n, k))
    session.flush()
    return out


def _day(user_id: int, branch_id: int, d: date, n: int, k: int) -> DailyActivity:
    met = (n * (k + 1)) % 4 != 0
    return DailyActivity(
        user_id=user_id, study_day=d, branch_id=branch_id,
        study_seconds=1800 if met else 300, goal_met=met, points=(n + k) % 7,
        excused=(n + k) % 11 == 0, quizzes_done=1 if k % 5 else 0,
        quiz_score=float(50 + n) if k % 5 else None,
    )  # fmt: skip


def boards(session, org, today):  # type: ignore[no-untyped-def]
    return {k: branch_standings(session, org["root"], k, today) for k in KINDS}


def live_boards(session, org, today):  # type: ignore[no-untyped-def]
    """The boards with every settled row out of the way (then put back)."""
    nested = session.begin_nested()
    session.execute(delete(BranchDay))
    session.execute(delete(BranchSettlement))
    live = boards(session, org, today)
    nested.rollback()
    return live


def assert_same(got, want):  # type: ignore[no-untyped-def]
    for kind in KINDS:
        assert [s.code for s in got[kind]] == [s.code for s in want[kind]], kind
        for a, b in zip(got[kind], want[kind], strict=True):
            assert (a.eligible_members, a.rank, a.prev_rank) == (
                b.eligible_members, b.rank, b.prev_rank,
            ), (kind, a.code)  # fmt: skip
            for field in ("rate", "avg_points", "avg_quiz_score", "prev_rate"):
                assert getattr(a, field) == pytest.approx(getattr(b, field)), (
                    kind, a.code, field,
                )  # fmt: skip


def check(session, org, today=TODAY, now=NOW):  # type: ignore[no-untyped-def]
    """Settled-or-live board equals the live one now and after the next settle."""
    assert_same(boards(session, org, today), live_boards(session, org, today))
    settle(session, now, today)
    assert_same(boards(session, org, today), live_boards(session, org, today))


def test_after_a_settle(session, org):
    settle(session, NOW, TODAY)
    check(session, org)


def test_after_a_member_moves_branch(session, org):
    settle(session, NOW, TODAY)
    body = MoveIn(branch="C", day=TODAY - timedelta(days=3))
    actions.move_person(session, actor(session, "admin"), "mema1", body, NOW)
    check(session, org)


def test_after_a_member_is_deactivated(session, org):
    settle(session, NOW, TODAY)
    admin = actor(session, "admin")
    actions.set_active(session, admin, "memb2", ActiveIn(active=False), NOW)
    check(session, org)


def test_after_a_member_is_exempted_and_the_exemption_cleared(session, org):
    settle(session, NOW, TODAY)
    admin = actor(session, "admin")
    actions.set_exempt(session, admin, "memc0", PersonExemptIn(reason="长期病假"), NOW)
    check(session, org)
    actions.set_exempt(session, admin, "memc0", PersonExemptIn(reason=""), NOW)
    check(session, org)


def test_after_a_member_joins(session, org):
    settle(session, NOW, TODAY)
    make_user(session, org["D"], "memd9").created_at = NOW - timedelta(days=2)
    session.flush()
    check(session, org)


def test_a_change_made_after_a_commit_is_seen(session, org):
    settle(session, NOW, TODAY)
    session.commit()  # every attribute expires
    org["a0"].exempt_reason = "流动党员"
    session.flush()
    check(session, org)


def test_on_a_periods_first_day_today_so_far_counts(session, org):
    settle(session, MONDAY_NOW, MONDAY)
    check(session, org, MONDAY, MONDAY_NOW)
    week = {s.code: s for s in branch_standings(session, org["root"], "week", MONDAY)}
    # A on Monday: mema0 and mema1 met the goal (1 and 2 points), mema2 has no row.
    assert week["A"].rate == pytest.approx(2 / 3)
    assert week["A"].avg_points == pytest.approx(1.0)
    assert week["A"].eligible_members == 3
