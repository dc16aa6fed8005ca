"""Branch leaderboard and member ranking on hand-computed examples.

Today is Friday 2026-11-20 (Asia/Shanghai). "This week so far" is its complete
days, Monday 16 to Thursday 19; last week is 9–15.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from studyapp.org.models import UnitKind
from studyapp.progress.leaderboard import branch_standings, member_ranking, ranking
from studyapp.progress.models import DailyActivity
from studyapp.progress.periods import period_bounds, previous_bounds
from studyapp.progress.settlement import reopen, settle
from tests.factories import make_unit, make_user

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
MON, TUE, WED, THU = (date(2026, 11, 16) + timedelta(days=n) for n in range(4))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def org(session):  # type: ignore[no-untyped-def]
    root = make_unit(session, "ROOT", kind=UnitKind.COMMITTEE)
    return {
        code: make_unit(session, code, parent=root, name=f"{code}支部")
        for code in ("A", "B", "C", "D")
    } | {"root": root}


def member(session, branch, *, joined=LONG_AGO, exempt=None):  # type: ignore[no-untyped-def]
    user = make_user(session, branch, exempt_reason=exempt)
    user.created_at = joined
    session.flush()
    return user


def day(session, user, d, *, met=False, points=0, excused=False, score=None):  # type: ignore[no-untyped-def]
    session.add(
        DailyActivity(
            user_id=user.id, study_day=d, branch_id=user.branch_id,
            study_seconds=1800 if met else 300, goal_met=met, points=points,
            excused=excused, quizzes_done=1 if score is not None else 0,
            quiz_score=score,
        )
    )  # fmt: skip
    session.flush()


def board(session, org, kind="week"):  # type: ignore[no-untyped-def]
    return {s.code: s for s in branch_standings(session, org["root"], kind, TODAY)}


def test_periods_count_complete_days_and_compare_with_the_whole_last_period():
    assert period_bounds("week", TODAY) == (MON, THU)
    assert previous_bounds("week", TODAY) == (date(2026, 11, 9), date(2026, 11, 15))
    assert period_bounds("month", TODAY) == (date(2026, 11, 1), date(2026, 11, 19))
    assert period_bounds("year", TODAY) == (date(2026, 1, 1), date(2026, 11, 19))
    assert previous_bounds("year", TODAY) == (date(2025, 1, 1), date(2025, 12, 31))


def test_on_the_first_day_of_a_period_today_so_far_counts():
    monday = date(2026, 11, 23)
    assert period_bounds("week", monday) == (monday, monday)


def test_rate_is_the_average_of_the_daily_shares(session, org):
    a1, a2 = member(session, org["A"]), member(session, org["A"])
    for d in (MON, TUE, THU):
        day(session, a1, d, met=True)
    for d in (MON, THU):
        day(session, a2, d, met=True)
    day(session, a2, TUE, met=False)  # studied a little, not enough
    # Mon 2/2, Tue 1/2, Wed 0/2, Thu 2/2 → (1 + .5 + 0 + 1) / 4
    assert board(session, org)["A"].rate == pytest.approx(0.625)


def test_average_points_are_per_eligible_member(session, org):
    a1, a2 = member(session, org["A"]), member(session, org["A"])
    day(session, a1, MON, met=True, points=10, score=80.0)
    day(session, a2, TUE, points=4, score=60.0)
    row = board(session, org)["A"]
    assert row.avg_points == pytest.approx(7.0)  # 14 points, 2 members
    assert row.avg_quiz_score == pytest.approx(70.0)


def test_ties_on_rate_are_broken_by_points_then_share_a_rank(session, org):
    # A and B: 1 of 2 met every day (rate .5); A has more points. C equals B.
    for code, points in (("A", 9), ("B", 3), ("C", 3)):
        m1, _m2 = member(session, org[code]), member(session, org[code])
        for d in (MON, TUE, WED, THU):
            day(session, m1, d, met=True, points=points if d == MON else 0)
    d1 = member(session, org["D"])
    for d in (MON, TUE, WED, THU):
        day(session, d1, d, met=True)
    rows = branch_standings(session, org["root"], "week", TODAY)
    assert [(r.code, r.rank) for r in rows] == [("D", 1), ("A", 2), ("B", 3), ("C", 3)]


def test_exempt_members_are_left_out_of_everything(session, org):
    a1 = member(session, org["A"])
    exempt = member(session, org["A"], exempt="年老体弱")
    for d in (MON, TUE, WED, THU):
        day(session, a1, d, met=True, points=2)
    day(session, exempt, MON, points=50)
    row = board(session, org)["A"]
    assert (row.rate, row.avg_points, row.eligible_members) == (1.0, 8.0, 1)


def test_a_branch_with_no_eligible_members_is_last_without_a_rate(session, org):
    member(session, org["B"], exempt="流动党员")
    a1 = member(session, org["A"])
    day(session, a1, MON, met=True)
    rows = branch_standings(session, org["root"], "week", TODAY)
    assert rows[0].code == "A" and rows[0].rank == 1
    empty = [r for r in rows if r.code in ("B", "C", "D")]
    assert rows[-3:] == empty  # listed last, by code
    assert all(r.rate is None and r.rank is None for r in empty)


def test_days_before_a_member_joined_do_not_count(session, org):
    old = member(session, org["A"])
    new = member(session, org["A"], joined=datetime(2026, 11, 17, 18, 0, tzinfo=UTC))
    # joined Wednesday 02:00 Shanghai time (Tuesday 18:00 UTC)
    for d in (MON, TUE, WED, THU):
        day(session, old, d, met=True)
    for d in (WED, THU):
        day(session, new, d, met=True)
    assert board(session, org)["A"].rate == 1.0  # 1/1, 1/1, 2/2, 2/2


def test_an_excused_day_leaves_the_denominator_unless_the_goal_was_met(session, org):
    a1, a2 = member(session, org["A"]), member(session, org["A"])
    for d in (MON, TUE, WED, THU):
        day(session, a1, d, met=True)
    day(session, a2, MON, excused=True)  # sick, did not study: out that day
    day(session, a2, TUE, excused=True, met=True)  # excused but studied: met
    # Mon 1/1, Tue 2/2, Wed 1/2, Thu 1/2 → (1 + 1 + .5 + .5) / 4
    assert board(session, org)["A"].rate == pytest.approx(0.75)


def test_small_branches_are_marked(session, org):
    for _ in range(5):
        member(session, org["A"])
    member(session, org["B"])
    rows = board(session, org)
    assert not rows["A"].small and rows["B"].small


def test_change_since_last_week(session, org):
    a1, b1 = member(session, org["A"]), member(session, org["B"])
    for d in (date(2026, 11, 10), date(2026, 11, 11)):
        day(session, b1, d, met=True)  # B led last week
    for d in (MON, TUE):
        day(session, a1, d, met=True)  # A leads this week
    rows = board(session, org)
    assert (rows["A"].rank, rows["A"].prev_rank, rows["A"].rank_change) == (1, 2, 1)
    assert rows["B"].rank_change == -1
    assert rows["A"].rate_change == pytest.approx(0.5 - 0.0)


def test_settled_rows_give_the_same_board_as_live_reading(session, org):
    people = [member(session, org[c]) for c in "AABBBCD" for _ in range(2)]
    late = member(session, org["C"], joined=datetime(2026, 11, 10, tzinfo=UTC))
    for n, user in enumerate([*people, late]):
        for k in range(30):
            d = TODAY - timedelta(days=k + 1)
            if (n + k) % 3:
                score = float(50 + n) if k % 5 else None
                met, excused = (n * k) % 4 != 0, (n + k) % 11 == 0
                day(session, user, d, met=met, points=(n + k) % 7, excused=excused,
                    score=score)  # fmt: skip
    live = {
        k: branch_standings(session, org["root"], k, TODAY) for k in ("week", "month")
    }
    settle(session, NOW, TODAY)
    for kind, rows in live.items():
        settled = branch_standings(session, org["root"], kind, TODAY)
        assert [r.code for r in settled] == [r.code for r in rows]
        for a, b in zip(settled, rows, strict=True):
            assert a.rank == b.rank and a.prev_rank == b.prev_rank
            assert a.rate == pytest.approx(b.rate) and a.avg_points == pytest.approx(
                b.avg_points
            )


def test_a_changed_roster_is_read_live_until_the_next_settle(session, org):
    a1, a2 = member(session, org["A"]), member(session, org["A"])
    for d in (MON, TUE, WED, THU):
        day(session, a1, d, met=True)
    settle(session, NOW, TODAY)
    assert board(session, org)["A"].rate == 0.5
    a2.exempt_reason = "长期病假"
    session.flush()
    assert board(session, org)["A"].rate == 1.0
    assert settle(session, NOW, TODAY).rebuilt == 1
    assert board(session, org)["A"].rate == 1.0


def test_reopened_days_are_read_live(session, org):
    a1, a2 = member(session, org["A"]), member(session, org["A"])
    for d in (MON, TUE, WED, THU):
        day(session, a1, d, met=True)
    settle(session, NOW, TODAY)
    day(session, a2, MON, excused=True)  # an excuse given after settling
    reopen(session, org["A"].id, MON)
    assert board(session, org)["A"].rate == pytest.approx((1 + 0.5 * 3) / 4)


def test_settle_twice_writes_the_same_rows(session, org):
    a1 = member(session, org["A"])
    day(session, a1, MON, met=True)
    first = settle(session, NOW, TODAY)
    again = settle(session, NOW, TODAY)
    assert first.rebuilt == 4 and again.rebuilt == 0
    assert board(session, org)["A"].rate == 0.25


def test_ranking_shares_ranks_and_puts_missing_rates_last():
    order, ranks = ranking(
        [(0.5, 3.0, "B"), (None, None, "A"), (0.5, 3.0, "C"), (0.9, 0.0, "D")]
    )
    assert order == [3, 0, 2, 1]
    assert ranks == [2, None, 2, 1]


def test_member_ranking_orders_by_goal_days_then_points(session, org):
    a1 = member(session, org["A"])
    a2 = member(session, org["A"])
    a3 = member(session, org["A"])
    member(session, org["A"], exempt="流动党员")
    for d in (MON, TUE):
        day(session, a1, d, met=True, points=1)
        day(session, a2, d, met=True, points=5)
    day(session, a3, MON, points=9)
    rows = member_ranking(session, org["A"].id, "week", TODAY)
    assert [(r.user_id, r.rank, r.goal_days) for r in rows] == [
        (a2.id, 1, 2),
        (a1.id, 2, 2),
        (a3.id, 3, 0),
    ]


def test_one_day_is_counted_as_in_a_longer_span(session, org):
    """live_counts reads a single day another way (from an index, without
    joining members): it must count exactly what a two-day read counts."""
    from studyapp.progress.participation import live_counts

    a1, a2, a3 = (member(session, org["A"]) for _ in range(3))
    gone = member(session, org["B"])
    exempt = member(session, org["B"], exempt="长期病假")
    later = member(session, org["B"], joined=datetime(2026, 11, 21, tzinfo=UTC))
    for user, met, excused, score in (
        (a1, True, False, 80.0), (a2, False, True, None), (a3, False, False, 60.0),
        (gone, True, False, 100.0), (exempt, True, False, 90.0),
        (later, True, False, 70.0),
    ):  # fmt: skip
        day(session, user, THU, met=met, points=3, excused=excused, score=score)
    gone.is_active = False
    session.flush()
    ids = [org[c].id for c in "ABCD"]
    one = live_counts(session, ids, THU, THU)
    two = {k: v for k, v in live_counts(session, ids, WED, THU).items() if k[1] == THU}
    assert one == two
    a, b = one[(org["A"].id, THU)], one[(org["B"].id, THU)]
    assert (a.met, a.excused, a.points, a.quizzes) == (1, 1, 6, 2)
    assert (b.met, b.points, b.quiz_sum) == (1, 3, 100.0)
