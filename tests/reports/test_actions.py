"""The 支部 actions called directly, as the pages, exports and API call them:
each resolves the unit or member from the actor's scope, whatever it is given."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.errors import Forbidden, NotFound
from studyapp.notify import actions as notify
from studyapp.notify.payloads import RobotIn
from studyapp.org import actions as org
from studyapp.org.payloads import ExcuseIn, ExemptIn, MemberRankingIn
from studyapp.reports import actions
from studyapp.reports.payloads import (
    LeaderboardQuery,
    MemberRankingQuery,
    ParticipationQuery,
    SectionQuery,
)
from tests.reports.conftest import NOW

Q = SectionQuery()

#: Every secretary action on a unit ({u}) or a member ({m}) of a branch.
CALLS = {
    "dashboard": lambda s, a, u, m, o: actions.dashboard(s, a, u, NOW),
    "today": lambda s, a, u, m, o: actions.today(s, a, u, NOW),
    "members": lambda s, a, u, m, o: actions.members(s, a, u, Q, NOW),
    "quizzes": lambda s, a, u, m, o: actions.quizzes_report(s, a, u, NOW),
    "quiz": lambda s, a, u, m, o: actions.quiz_results(s, a, u, o, NOW),
    "items": lambda s, a, u, m, o: actions.items_report(s, a, u, Q, NOW),
    "trends": lambda s, a, u, m, o: actions.trends(s, a, u, NOW),
    "ranking": lambda s, a, u, m, o: actions.ranking(s, a, u, Q, NOW),
    "print": lambda s, a, u, m, o: actions.print_report(s, a, u, Q, NOW),
    "member": lambda s, a, u, m, o: actions.member(s, a, m, NOW),
    "participation": lambda s, a, u, m, o: actions.participation(
        s, a, u, ParticipationQuery(), NOW
    ),
    "nudge": lambda s, a, u, m, o: notify.nudge(s, a, m, NOW),
    "robot": lambda s, a, u, m, o: notify.robot(s, a, u, NOW),
    "save_robot": lambda s, a, u, m, o: notify.save_robot(s, a, u, RobotIn(), NOW),
    "excuse": lambda s, a, u, m, o: org.excuse(
        s, a, m, ExcuseIn(day=date(2026, 11, 19), reason="病假"), NOW
    ),
    "withdraw": lambda s, a, u, m, o: org.withdraw_excuse(
        s, a, m, date(2026, 11, 19), NOW
    ),
    "exempt": lambda s, a, u, m, o: org.set_exempt(s, a, m, ExemptIn(reason="x"), NOW),
    "ranking_switch": lambda s, a, u, m, o: org.set_member_ranking(
        s, a, u, MemberRankingIn(on=True), NOW
    ),
}
MEMBER_OF = {"A": "am2", "B": "bm1"}


def actor(session, username):  # type: ignore[no-untyped-def]
    return Actor.of(session.scalar(select(User).where(User.username == username)))


def outcomes(session, username, unit, occurrence):  # type: ignore[no-untyped-def]
    """name → "ok" or the error class, for every call on ``unit``."""
    me, out = actor(session, username), {}
    for name, call in CALLS.items():
        try:
            with session.begin_nested():
                call(session, me, unit, MEMBER_OF[unit], occurrence)
            out[name] = "ok"
        except (Forbidden, NotFound) as exc:
            out[name] = type(exc).__name__
    return out


def test_a_secretary_of_a_is_forbidden_everything_of_branch_b(world, session):
    got = outcomes(session, "sec_a", "B", world.occurrence_id)
    # Calls on a member of B find nobody (as for an unknown username).
    on_member = {"member", "nudge", "excuse", "withdraw", "exempt"}
    assert got == {n: "NotFound" if n in on_member else "Forbidden" for n in CALLS}


def test_a_secretary_of_a_may_do_everything_in_branch_a(world, session):
    got = outcomes(session, "sec_a", "A", world.occurrence_id)
    assert got == dict.fromkeys(CALLS, "ok")


def test_a_member_is_forbidden_every_secretary_action(world, session):
    got = outcomes(session, "am1", "A", world.occurrence_id)
    assert got == dict.fromkeys(CALLS, "Forbidden")


def test_an_admin_above_both_branches_reaches_b(world, session):
    got = outcomes(session, "admin_gen", "B", world.occurrence_id)
    assert got == dict.fromkeys(CALLS, "ok")


def test_a_section_a_unit_does_not_have_is_not_found(world, session):
    admin = actor(session, "admin_gen")
    with pytest.raises(NotFound):
        actions.section(session, admin, "GEN", "items", Q, NOW)
    with pytest.raises(NotFound):
        actions.section(session, admin, "A", "branches", Q, NOW)
    with pytest.raises(NotFound):
        actions.section(session, admin, "A", "nothing", Q, NOW)


def test_the_parent_is_offered_only_inside_my_scope(world, session):
    up = actions.today(session, actor(session, "admin_gen"), "A", NOW).unit.parent
    assert (up.code, up.name) == ("GEN", "总支")
    assert actions.today(session, actor(session, "sec_a"), "A", NOW).unit.parent is None


def test_the_member_leaderboard_needs_the_branch_to_allow_it(world, session):
    member, query = actor(session, "am1"), MemberRankingQuery()
    with pytest.raises(Forbidden):
        actions.member_leaderboard(session, member, query, NOW)
    board = actions.leaderboard(session, member, LeaderboardQuery(), NOW)
    assert board.members is None
    org.set_member_ranking(
        session, actor(session, "sec_a"), "A", MemberRankingIn(on=True), NOW
    )
    lines = actions.member_leaderboard(session, member, query, NOW)
    assert [x.name for x in lines if x.is_me] == ["张三"]
    board = actions.leaderboard(session, member, LeaderboardQuery(), NOW)
    assert board.members == lines
