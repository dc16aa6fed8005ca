"""Who counts in a branch's participation, and its figures read live.

Who counts (the *eligible* members of a branch on a day): members who were in
the branch that day and are not exempt. Today's members are the active ones
whose ``branch_id`` is the branch, counted from the day they joined it
(``branch_since``, else the Asia/Shanghai date of ``created_at``); earlier
stretches are ``MembershipPeriod`` rows, written when a member moves to another
branch or is deactivated. So a move is dated: past days stay with the old
branch, later ones go to the new one; a deactivated member leaves every rate
from that day on and their past days still count. A day's activity counts for
the branch it was recorded under (``DailyActivity.branch_id``).
A day the secretary excused and on which the goal was **not** met takes the
member out of that day's denominator; an excused day on which the goal was met
still counts as met. Exempt members are left out of everything.

Everything here is grouped in SQL (per branch and day); nothing loops over a
member's history in Python.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import BigInteger, Select, case, cast, func, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from studyapp.auth.models import MembershipPeriod, User
from studyapp.progress.branch_days import (
    ROSTER_CHANGED,
    BranchSettlement,
    DayCounts,
    Figures,
    day_figures,
    shanghai_date,
)
from studyapp.progress.models import DailyActivity
from studyapp.timeutil import day_bounds


@dataclass
class Roster:
    """A branch's eligible members: how many, and the join days of recent ones.

    ``size_on(day)`` is exact for days on or after ``since`` (see
    :func:`add_recent`) and for today; ``key`` changes whenever the eligible set
    changes (exempt, moved, deactivated, joined).
    """

    count: int = 0
    id_sum: int = 0
    id_square_sum: int = 0
    #: Join days (sorted) of the members who joined on or after ``since``.
    recent: list[date] = field(default_factory=list)
    since: date | None = None
    #: Past stretches (start, end exclusive) of former members reaching ``since``.
    former: list[tuple[date, date]] = field(default_factory=list)

    def size_on(self, day: date) -> int:
        """Members in the branch on ``day``: today's who had joined by then,
        and former ones whose stretch covers it."""
        now = self.count - (len(self.recent) - bisect_right(self.recent, day))
        return now + sum(1 for start, end in self.former if start <= day < end)

    @property
    def key(self) -> tuple[int, int, int]:
        """Changes whenever the eligible set changes (see BranchSettlement)."""
        return (self.count, int(self.id_sum), int(self.id_square_sum))

    @property
    def first_day(self) -> date | None:
        """``since`` when someone joined before it, else the first join day."""
        starts = [max(start, self.since or start) for start, _ in self.former]
        if self.count > len(self.recent):
            starts.append(self.since)  # type: ignore[arg-type]
        elif self.recent:
            starts.append(self.recent[0])
        return min(starts) if starts else None


def joined_branch_on() -> ColumnElement[date]:
    """SQL: the day a member joined their current branch."""
    return func.coalesce(User.branch_since, shanghai_date(User.created_at))


def eligible_user() -> ColumnElement[bool]:
    """SQL condition: the user counts in rates and rankings (active, not exempt)."""
    return User.is_active.is_(True) & User.exempt_reason.is_(None)


def roster_stmt(branch_ids: Any) -> Select[Any]:
    """SQL: branch_id, count, Σ id, Σ id² of eligible members, per branch."""
    big = cast(User.id, BigInteger)
    return (
        select(
            User.branch_id.label("branch_id"),
            func.count().label("n"),
            func.sum(big).label("id_sum"),
            func.sum(big * big).label("id_square_sum"),
        )
        .where(eligible_user(), User.branch_id.in_(branch_ids))
        .group_by(User.branch_id)
    )


def rosters(session: Session, branch_ids: Any) -> dict[int, Roster]:
    """Eligible roster sizes and keys of the branches (ids or a subquery), in one
    grouped query; branches without eligible members are absent."""
    summary = roster_stmt(branch_ids)
    # Core execution: these rows are plain numbers, no ORM work needed.
    return {
        branch_id: Roster(n, id_sum, square_sum)
        for branch_id, n, id_sum, square_sum in session.connection().execute(summary)
    }


def add_recent(
    session: Session, roster_of: dict[int, Roster], branch_ids: Any, since: date
) -> None:
    """Load the join days of members who joined on or after ``since``, and the
    former members' stretches that reach it, so that ``size_on`` is exact from
    that day on (only those members are read). A branch with former members
    only gets a Roster too."""
    joined = joined_branch_on()
    stmt = (
        select(User.branch_id, joined)
        .where(
            eligible_user(),
            User.branch_id.in_(branch_ids),
            joined >= since,
        )
        .order_by(joined)
    )
    for roster in roster_of.values():
        roster.recent, roster.since, roster.former = [], since, []
    for branch_id, day in session.execute(stmt):
        if branch_id in roster_of:
            roster_of[branch_id].recent.append(day)
    mp = MembershipPeriod
    former = (
        select(mp.branch_id, mp.start_day, mp.end_day)
        .join(User, User.id == mp.user_id)
        .where(
            mp.branch_id.in_(branch_ids),
            mp.end_day > since,
            User.exempt_reason.is_(None),
        )
    )
    for branch_id, start, end in session.execute(former):
        roster = roster_of.setdefault(branch_id, Roster(since=since))
        roster.former.append((start, end))


#: From this many branches on, live reads take the days' rows first and join
#: members to them; below it, members first (SQLite's planner needs the hint).
WIDE_UNIT = 300


def live_counts(
    session: Session, branch_ids: Any, start: date, end: date, *, wide: bool = False
) -> dict[tuple[int, date], DayCounts]:
    """DayCounts per (branch, day) for ``start``–``end`` with one grouped query.

    ``wide``: the branches hold a large share of all members (see WIDE_UNIT).
    One day (today on a period's first day, the organisation's today) is read
    from the covering index alone: the members it leaves out (exempt, or
    created after that day) are the few found by their own indexes.
    """
    if start == end:
        stmt = _one_day_counts(branch_ids, start)
    else:
        stmt = _span_counts(branch_ids, start, end, wide)
    return {
        (b, d): DayCounts(met or 0, exc or 0, pts or 0, float(qs or 0), qn or 0)
        for b, d, met, exc, pts, qs, qn in session.execute(stmt)
    }


def _count_columns(da: Any) -> list[Any]:
    """SQL: branch, day, met, excused not met, and the counted points and quizzes."""
    counted = da.goal_met | ~da.excused
    return [
        da.branch_id,
        da.study_day,
        func.sum(case((da.goal_met, 1), else_=0)),
        func.sum(case((counted, 0), else_=1)),
        func.sum(case((counted, da.points), else_=0)),
        func.sum(case((counted, da.quiz_score * da.quizzes_done), else_=0)),
        func.sum(
            case((counted & da.quiz_score.is_not(None), da.quizzes_done), else_=0)
        ),
    ]


def _span_counts(branch_ids: Any, start: date, end: date, wide: bool) -> Select[Any]:
    rows = select(
        DailyActivity.user_id, DailyActivity.branch_id, DailyActivity.study_day,
        DailyActivity.goal_met,
        DailyActivity.excused, DailyActivity.points, DailyActivity.quiz_score,
        DailyActivity.quizzes_done,
    ).where(DailyActivity.study_day.between(start, end))  # fmt: skip
    da = rows.cte("da").prefix_with("MATERIALIZED") if wide else rows.subquery("da")
    return (
        select(*_count_columns(da.c))
        .select_from(da)
        .join(User, User.id == da.c.user_id)
        .where(
            da.c.study_day >= shanghai_date(User.created_at),
            # Not is_active: a deactivated member's past days still count.
            User.exempt_reason.is_(None),
            da.c.branch_id.in_(branch_ids),
        )
        .group_by(da.c.branch_id, da.c.study_day)
    )


def _one_day_counts(branch_ids: Any, day: date) -> Select[Any]:
    """The same figures for one day, without joining every row to its member."""
    next_day = day_bounds(day)[1]
    left_out = union_all(
        select(User.id).where(User.exempt_reason.is_not(None)),
        select(User.id).where(User.created_at >= next_day),
    )
    da = DailyActivity
    return (
        select(*_count_columns(da))
        .where(
            da.study_day == day,
            da.branch_id.in_(branch_ids),
            da.user_id.not_in(left_out),
        )
        .group_by(da.branch_id, da.study_day)
    )


def trusted_branches(session: Session, branch_ids: Any, end: date) -> set[int]:
    """Branches whose settled rows reach ``end`` and whose roster has not changed
    since (the key stored with them is today's; see ``roster_watch``)."""
    st = BranchSettlement
    stmt = select(st.branch_id).where(
        st.branch_id.in_(branch_ids),
        st.settled_through >= end,
        st.roster_count != ROSTER_CHANGED,
    )
    return set(session.scalars(stmt))


def live_figures(
    session: Session,
    branch_ids: list[int],
    rosters_: dict[int, Roster],
    start: date,
    end: date,
) -> dict[int, Figures]:
    """Figures of each branch over ``start``–``end``, straight from DailyActivity."""
    out = {b: Figures() for b in branch_ids}
    if start > end or not branch_ids:
        return out
    wide = len(branch_ids) >= WIDE_UNIT
    counts = live_counts(session, branch_ids, start, end, wide=wide)
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    for b in branch_ids:
        roster = rosters_.get(b) or Roster()
        if roster.first_day is None:
            continue
        total = Figures()
        for day in days:
            if day >= roster.first_day:
                fig = day_figures(roster.size_on(day), counts.get((b, day)))[2]
                total = total.plus(fig)
        out[b] = total
    return out
