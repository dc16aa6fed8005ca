"""Report queries on the small world of conftest, numbers worked out by hand.

Branch A's weekly quiz: 张三 (am1) 3/3 = 100, 李四 (am2) 1/3 = 33.3, 王五 (am3)
1/3 = 33.3; the secretary did not take it; branch B's member is not counted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.org.models import OrgUnit
from studyapp.progress.models import DailyActivity
from studyapp.progress.settlement import settle
from studyapp.reports import queries
from studyapp.reports.items import (
    discrimination,
    item_analysis,
    upper_lower,
    wrong_choices,
)
from studyapp.reports.quizzes import occurrence_results, occurrences
from tests.reports.conftest import NOW, TODAY


def unit(session, code):  # type: ignore[no-untyped-def]
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_today_lists_not_started_then_started_then_met(world, session):
    rows = queries.day_status(session, unit(session, "A"), TODAY)
    states = [(r.username, r.state) for r in rows]
    assert states == [
        ("am3", "not_started"),
        ("sec_a", "not_started"),
        ("am2", "started"),
        ("am1", "met"),
        ("a_exempt", "exempt"),
    ]
    assert [r.minutes for r in rows if r.username == "am2"] == [10]


def test_occurrence_summary_counts_best_attempts_of_eligible_members(world, session):
    (summary,) = occurrences(session, unit(session, "A"), NOW)
    assert (summary.eligible, summary.taken, summary.passed) == (4, 3, 1)
    assert summary.pass_rate == pytest.approx(1 / 3)
    assert summary.avg_score == pytest.approx((100 + 33.3 + 33.3) / 3)


def test_occurrence_results_list_who_did_not_take_it_first(world, session):
    summary, rows = occurrence_results(session, unit(session, "A"), world.occurrence_id)
    assert [(r.username, r.score, r.passed) for r in rows] == [
        ("sec_a", None, False),
        ("am1", 100.0, True),
        ("am2", 33.3, False),
        ("am3", 33.3, False),
    ]


def test_item_analysis_weakest_first_with_wrong_option_and_discrimination(
    world, session
):
    stats = item_analysis(session, unit(session, "A"), NOW - timedelta(days=30), NOW)
    q1, q2, q3 = world.question_ids
    assert [s.question_id for s in stats] == [q1, q2, q3]  # 1/3, 2/3, 2/3 (by id)
    first, second, third = stats
    assert (first.correct, first.answered) == (1, 3)
    assert (first.wrong_key, first.wrong_count, first.wrong_text) == ("C", 2, "选项C")
    # Upper group: 张三's attempt; lower group: 王五's (ties by attempt id).
    assert first.discrimination == 1.0
    assert (second.wrong_key, second.wrong_count) == ("C", 1)  # A+C: C is wrong
    assert second.discrimination == 0.0
    assert third.wrong_key is None and third.discrimination == 1.0
    assert first.lesson == "sanhui" and third.lesson is None


def test_item_analysis_of_an_empty_period_is_empty(world, session):
    assert item_analysis(session, unit(session, "A"), NOW, NOW) == []


def test_upper_and_lower_groups_are_27_percent_of_attempts():
    scores = {n: float(n) for n in range(1, 12)}  # 11 attempts → groups of 3
    assert upper_lower(scores) == ({11, 10, 9}, {1, 2, 3})
    assert upper_lower({1: 50.0}) == (set(), set())


def test_discrimination_needs_both_groups():
    results = [(1, True), (2, False), (3, True)]
    assert discrimination(results, {1, 3}, {2}) == 1.0
    assert discrimination(results, {1}, {9}) is None


@pytest.mark.parametrize(
    ("qtype", "response", "key", "wrong"),
    [
        ("single", "C", "A", ["C"]),
        ("single", ["C"], "A", ["C"]),
        ("multiple", ["A", "C", "D"], ["A", "B"], ["C", "D"]),
        ("multiple", ["A"], ["A", "B"], []),  # missed one: no wrong option chosen
        ("judge", False, True, []),
        ("fill", ["党"], [["党组织"]], []),
        ("single", None, "A", []),
    ],
)
def test_wrong_choices(qtype, response, key, wrong):
    assert wrong_choices(qtype, response, key) == wrong


def test_trends_are_daily_shares_of_eligible_members(world, session):
    a = unit(session, "A")
    ids = {r.username: r.user_id for r in queries.day_status(session, a, TODAY)}
    yesterday = TODAY - timedelta(days=1)
    for username in ("am1", "am2"):
        session.add(
            DailyActivity(user_id=ids[username], study_day=yesterday,
                          branch_id=a.id, goal_met=True)
        )  # fmt: skip
    session.flush()
    days = queries.trends(session, a, TODAY)
    assert len(days) == 30 and days[-1].day == yesterday
    assert days[-1].rate == pytest.approx(2 / 4)  # 4 eligible: not the exempt one
    assert days[-2].rate == 0.0
    settle(session, NOW, TODAY)
    assert queries.trends(session, a, TODAY) == days  # from the rollup: the same


def test_member_periods_include_today_book_and_exempt_flag(world, session):
    rows = queries.member_periods(
        session, unit(session, "A"), TODAY - timedelta(days=4), TODAY, TODAY
    )
    by_name = {r.username: r for r in rows}
    assert (by_name["am1"].minutes, by_name["am1"].goal_days) == (35, 1)
    assert by_name["am1"].book == "中国共产党简史"
    assert by_name["a_exempt"].exempt and not by_name["am1"].exempt


def test_branches_today_for_a_higher_unit(world, session):
    rows = queries.branches_today(session, unit(session, "GEN"), TODAY)
    assert [(r.code, r.eligible, r.met) for r in rows] == [("A", 4, 1), ("B", 2, 1)]
