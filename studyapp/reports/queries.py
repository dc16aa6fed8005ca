"""Study reports of a branch or a unit: today, members' periods, trends, overview.

Every function takes the unit (or branch) it reports on; callers resolve it
from the current user's scope. Exempt members appear only where they are
listed (marked as exempt); they never count in a rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, lazyload

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit
from studyapp.progress.branch_days import BranchDay, day_figures
from studyapp.progress.leaderboard import branches_stmt
from studyapp.progress.models import BookLog, DailyActivity, UserStats
from studyapp.progress.participation import (
    WIDE_UNIT,
    Roster,
    add_recent,
    live_counts,
    rosters,
    trusted_branches,
)
from studyapp.progress.queries import current_streak
from studyapp.timeutil import month_key

#: Today's states, in the order the dashboard lists them.
NOT_STARTED, STARTED, MET, EXCUSED, EXEMPT = (
    "not_started",
    "started",
    "met",
    "excused",
    "exempt",
)
#: A member's figures of one day, in the order ``_member_day`` takes them.
DAY_FIGURES = (
    DailyActivity.study_seconds,
    DailyActivity.goal_met,
    DailyActivity.points,
    DailyActivity.excused,
    DailyActivity.lessons_opened,
    DailyActivity.quizzes_done,
)
_ORDER = {NOT_STARTED: 0, STARTED: 1, MET: 2, EXCUSED: 3, EXEMPT: 4}


def members_stmt(unit: OrgUnit):  # type: ignore[no-untyped-def]
    """SQL: active users in ``unit``'s subtree (join OrgUnit for the path)."""
    return (
        select(User)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .where(OrgUnit.path.startswith(unit.path, autoescape=True), User.is_active)
    )


@dataclass(frozen=True)
class MemberDay:
    """One member's day as the secretary sees it."""

    user_id: int
    username: str
    name: str
    minutes: int
    goal_met: bool
    points: int
    exempt: bool
    state: str


def day_status(session: Session, unit: OrgUnit, day: date) -> list[MemberDay]:
    """Every active member under ``unit`` on ``day``: minutes, goal, points and a
    state (not started / started / met / excused / exempt), not started first."""
    da = DailyActivity
    stmt = (
        members_stmt(unit)
        .options(lazyload(User.branch), lazyload(User.grants))  # not shown here
        .outerjoin(da, (da.user_id == User.id) & (da.study_day == day))
        .add_columns(*DAY_FIGURES)
    )
    out = [
        _member_day(u.id, u.username, u.name, u.is_exempt, *figures)
        for u, *figures in session.execute(stmt)
    ]
    return sorted(out, key=lambda m: (_ORDER[m.state], m.name))


def _member_day(
    user_id: int, username: str, name: str, exempt: bool, secs: int | None,
    met: bool | None, points: int | None, excused: bool | None,
    opened: int | None, quizzes: int | None,
) -> MemberDay:  # fmt: skip
    studied = bool(secs or opened or quizzes)
    state = (
        EXEMPT if exempt else MET if met else EXCUSED if excused
        else STARTED if studied else NOT_STARTED
    )  # fmt: skip
    return MemberDay(user_id, username, name, (secs or 0) // 60, bool(met),
                     points or 0, exempt, state)  # fmt: skip


def day_status_page(
    session: Session, unit: OrgUnit, day: date, offset: int, limit: int
) -> list[MemberDay]:
    """``limit`` members of :func:`day_status` from ``offset`` on, in its order
    (state, then name by code point, then id), sorted and cut in SQL: a page of
    a whole county reads plain rows, never 20,000 members."""
    da = DailyActivity
    studied = (
        (func.coalesce(da.study_seconds, 0) != 0)
        | (func.coalesce(da.lessons_opened, 0) != 0)
        | (func.coalesce(da.quizzes_done, 0) != 0)
    )
    state = case(
        (User.exempt_reason.is_not(None), _ORDER[EXEMPT]),
        (da.goal_met.is_(True), _ORDER[MET]),
        (da.excused.is_(True), _ORDER[EXCUSED]),
        (studied, _ORDER[STARTED]),
        else_=_ORDER[NOT_STARTED],
    )
    name = User.name
    if session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")  # code point order, as Python sorts
    stmt = (
        select(
            User.id,
            User.username,
            User.name,
            User.exempt_reason.is_not(None),
            *DAY_FIGURES,
        )
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .outerjoin(da, (da.user_id == User.id) & (da.study_day == day))
        .where(OrgUnit.path.startswith(unit.path, autoescape=True), User.is_active)
        .order_by(state, name, User.id)
        .offset(offset)
        .limit(limit)
    )
    return [_member_day(*row) for row in session.connection().execute(stmt)]


@dataclass(frozen=True)
class MemberPeriod:
    """One member's week or month."""

    user_id: int
    username: str
    name: str
    exempt: bool
    minutes: int
    goal_days: int
    points: int
    quizzes: int
    streak: int
    book: str | None
    book_percent: int | None


def member_periods(
    session: Session, branch: OrgUnit, start: date, end: date, today: date
) -> list[MemberPeriod]:
    """Each active member of the branch for ``start``–``end``: minutes, goal days,
    points, quizzes taken, current streak and this month's book. Four queries."""
    da = DailyActivity
    sums = {
        uid: row
        for uid, *row in session.execute(
            select(
                da.user_id,
                func.sum(da.study_seconds),
                func.sum(case((da.goal_met, 1), else_=0)),
                func.sum(da.points),
                func.sum(da.quizzes_done),
            )
            .join(User, User.id == da.user_id)
            .where(User.branch_id == branch.id, da.study_day.between(start, end))
            .group_by(da.user_id)
        )
    }
    members = list(session.scalars(members_stmt(branch).order_by(User.name)))
    ids = [m.id for m in members]
    stats = {
        s.user_id: s
        for s in session.scalars(select(UserStats).where(UserStats.user_id.in_(ids)))
    }
    books = _books(session, ids, month_key(today))
    out = []
    for m in members:
        secs, met, points, quizzes = sums.get(m.id, (0, 0, 0, 0))
        book = books.get(m.id)
        out.append(
            MemberPeriod(
                m.id, m.username, m.name, m.is_exempt, (secs or 0) // 60, met or 0,
                points or 0, quizzes or 0,
                current_streak(session, stats.get(m.id), today),
                book.title if book else None, book.progress_percent if book else None,
            )
        )  # fmt: skip
    return out


def _books(session: Session, user_ids: list[int], month: str) -> dict[int, BookLog]:
    """The latest book each member logged for ``month``."""
    stmt = (
        select(BookLog)
        .where(BookLog.user_id.in_(user_ids), BookLog.month == month)
        .order_by(BookLog.created_at)
    )
    return {b.user_id: b for b in session.scalars(stmt)}


@dataclass(frozen=True)
class TrendDay:
    """One day of a unit's 30-day trend."""

    day: date
    #: Share of eligible members who met the goal; None without any.
    rate: float | None
    #: Average quiz score that day (percent); None without quizzes.
    score: float | None


def trends(
    session: Session, unit: OrgUnit, today: date, days: int = 30
) -> list[TrendDay]:
    """Daily participation and average score of the branches under ``unit`` for
    the ``days`` days ending yesterday (eligible members as in the leaderboard).

    Settled branch-days are read from the rollup, the rest live, so a whole
    county costs its branches × days, not its members.
    """
    start, end = today - timedelta(days=days), today - timedelta(days=1)
    ids = branches_stmt(unit)
    trusted = trusted_branches(session, ids, end)
    sums = {start + timedelta(days=n): [0, 0, 0.0, 0] for n in range(days)}
    for d, eligible, met, quiz_sum, quizzes in session.execute(
        select(
            BranchDay.study_day, func.sum(BranchDay.eligible), func.sum(BranchDay.met),
            func.sum(BranchDay.quiz_sum), func.sum(BranchDay.quizzes),
        )
        .where(
            BranchDay.branch_id.in_(trusted),
            BranchDay.study_day.between(start, end),
        )
        .group_by(BranchDay.study_day)
    ):  # fmt: skip
        sums[d] = [eligible or 0, met or 0, float(quiz_sum or 0), quizzes or 0]
    _add_live(session, [b for b in session.scalars(ids) if b not in trusted], sums)
    return [
        TrendDay(d, met / eligible if eligible else None, qs / qn if qn else None)
        for d, (eligible, met, qs, qn) in sums.items()
    ]


def _add_live(session: Session, branch_ids: list[int], sums: dict[date, list]) -> None:
    """Add the live figures of unsettled branches to the per-day sums."""
    if not branch_ids:
        return
    start, end = min(sums), max(sums)
    roster_of = rosters(session, branch_ids)
    add_recent(session, roster_of, branch_ids, start)
    wide = len(branch_ids) >= WIDE_UNIT
    counts = live_counts(session, branch_ids, start, end, wide=wide)
    for d, row in sums.items():
        for b, roster in roster_of.items():
            e, m, fig = day_figures(roster.size_on(d), counts.get((b, d)))
            row[0], row[1] = row[0] + e, row[1] + m
            row[2], row[3] = row[2] + fig.quiz_sum, row[3] + fig.quizzes


@dataclass(frozen=True)
class BranchToday:
    """One branch's day so far, for the organisation-wide view."""

    branch_id: int
    code: str
    name: str
    eligible: int
    met: int

    @property
    def rate(self) -> float | None:
        return self.met / self.eligible if self.eligible else None


def branches_today(session: Session, unit: OrgUnit, today: date) -> list[BranchToday]:
    """For each branch under ``unit``: eligible members today and how many met
    the goal so far (the organisation-wide view), by code."""
    ids = branches_stmt(unit)
    branches = session.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name)
        .where(OrgUnit.id.in_(ids))
        .order_by(OrgUnit.code)
    ).all()
    roster_of = rosters(session, ids)
    wide = len(branches) >= WIDE_UNIT
    counts = live_counts(session, ids, today, today, wide=wide)
    out = []
    for b, code, name in branches:
        roster = roster_of.get(b) or Roster()
        eligible, met, _ = day_figures(roster.size_on(today), counts.get((b, today)))
        out.append(BranchToday(b, code, name, eligible, met))
    return out
