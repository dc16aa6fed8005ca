"""Branch leaderboards and member rankings: encouragement, never evaluation.

**Branch ranking** (among the 党支部 under a unit, for this week / month / year
so far: its complete Asia/Shanghai days through yesterday, or today so far on
the period's first day; see :mod:`studyapp.progress.periods`):

- *participation rate*: for each day of the period so far, the share of the
  branch's eligible members who met the daily goal, averaged over the days that
  had at least one eligible member. Who is eligible, and how excused days count,
  is defined in :mod:`studyapp.progress.participation` (active, not exempt, joined
  by that day; an excused day not met leaves that day's denominator).
- Order: rate (highest first), then average points per eligible member (points
  of eligible member-days ÷ the average number of eligible members per day),
  then branch code. Branches equal on rate *and* points share a rank number
  (1, 2, 2, 4): the code only fixes the order on screen. Rates are compared to
  nine decimals so float noise never splits a tie.
- A branch with no eligible member in the period has rate ``None`` (shown as
  "—", not 0 %), no rank, and is listed last. Fewer than :data:`SMALL_BRANCH`
  eligible members marks a branch ``small``.
- The change column compares with the whole previous week / month / year.

**Member ranking** inside a branch: eligible members by goal-met days, then
points, then name; equal days and points share a rank.

Costs: a ranking is one indexed row per branch from ``branch_period`` (what
the last settle wrote for boards read today), trusted while the branch's roster
is unchanged (``roster_watch``) and its days not reopened. Branches it does not
cover are read from the ``branch_day`` running totals (two rows per branch and
period), and what is not settled from DailyActivity (normally nothing; today on
a period's first day, from one covering index), grouped in SQL. No member is
read to rank a settled branch, and nothing loops over members' history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress.branch_days import (
    ROSTER_CHANGED,
    BranchSettlement,
    Figures,
    day_figures,
)
from studyapp.progress.branch_periods import BranchPeriod, add_span_columns
from studyapp.progress.models import DailyActivity
from studyapp.progress.participation import (
    WIDE_UNIT,
    Roster,
    add_recent,
    eligible_user,
    live_counts,
    live_figures,
    rosters,
)
from studyapp.progress.periods import (
    Span,
    period_bounds,
    previous_bounds,
)

#: Branches with fewer eligible members than this are marked small.
SMALL_BRANCH = 5


class Standing(NamedTuple):
    """One branch's row of the leaderboard."""

    branch_id: int
    code: str
    name: str
    eligible_members: int
    rate: float | None
    avg_points: float | None
    avg_quiz_score: float | None
    rank: int | None
    prev_rank: int | None
    prev_rate: float | None

    @property
    def small(self) -> bool:
        return self.eligible_members < SMALL_BRANCH

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (negative: lost)."""
        if self.rank is None or self.prev_rank is None:
            return None
        return self.prev_rank - self.rank

    @property
    def rate_change(self) -> float | None:
        if self.rate is None or self.prev_rate is None:
            return None
        return self.rate - self.prev_rate


def metrics(f: Figures) -> tuple[float | None, float | None, float | None]:
    """(participation rate, average points per eligible member, average score)."""
    rate = f.rate_sum / f.days if f.days else None
    points = f.points * f.days / f.member_days if f.member_days else None
    score = f.quiz_sum / f.quizzes if f.quizzes else None
    return rate, points, score


def ranking(
    keys: Sequence[tuple[float | None, float | None, str]],
) -> tuple[list[int], list[int | None]]:
    """PURE: (display order, rank numbers) for (rate, avg points, code) keys.

    The order is best first; ``ranks[i]`` belongs to ``keys[i]``. See the
    module docstring: rate, then points, shared ranks on equal (rate, points),
    a ``None`` rate unranked and last.
    """
    sort_keys = [_sort_key(k) for k in keys]
    order = sorted(range(len(keys)), key=sort_keys.__getitem__)
    ranks: list[int | None] = [None] * len(keys)
    prev: tuple[Any, ...] | None = None
    for place, i in enumerate(order, start=1):
        if sort_keys[i][0]:
            break
        tie = sort_keys[i][1:3]
        ranks[i] = ranks[order[place - 2]] if tie == prev else place
        prev = tie
    return order, ranks


def _sort_key(key: tuple[float | None, float | None, str]) -> tuple[Any, ...]:
    rate, points, code = key
    if rate is None:
        return (1, 0.0, 0.0, code)
    return (0, -round(rate, 9), -round(points or 0.0, 9), code)


def branches_stmt(unit: OrgUnit) -> Select[tuple[int]]:
    """SQL: ids of the 党支部 in ``unit``'s subtree (itself included)."""
    return select(OrgUnit.id).where(
        OrgUnit.path.startswith(unit.path, autoescape=True),
        OrgUnit.kind == UnitKind.BRANCH.value,
    )


Metrics = tuple[float | None, float | None, float | None]


def branch_standings(
    session: Session, unit: OrgUnit, kind: str, today: date
) -> list[Standing]:
    """The leaderboard of the branches under ``unit``, best first (see module doc)."""
    spans = [period_bounds(kind, today), previous_bounds(kind, today)]
    gathered = _precomputed(session, unit, kind, today)
    settled_spans = [i for i, span in enumerate(spans) if span != (today, today)]
    missing = [
        g.branch_id
        for g in gathered
        if any(g.metrics[i] is None for i in settled_spans)
    ]
    if missing:
        some = missing if len(missing) < len(gathered) else branches_stmt(unit)
        again = {g.branch_id: g for g in _gather(session, some, spans)}
        gathered = [again.get(g.branch_id, g) for g in gathered]
    for i, (start, end) in enumerate(spans):
        if (start, end) == (today, today):
            _add_today(session, unit, gathered, i, today)
            continue
        live = {
            g.branch_id: Roster(*g.roster) for g in gathered if g.metrics[i] is None
        }
        if live:
            add_recent(session, live, list(live), start)
            figs = live_figures(session, list(live), live, start, end)
            for g in gathered:
                if g.branch_id in figs:
                    g.metrics[i] = metrics(figs[g.branch_id])
    return _ranked(gathered)


def _precomputed(
    session: Session, unit: OrgUnit, kind: str, today: date
) -> list[_Gathered]:
    """One query, one indexed row per branch: the figures the last settle wrote
    for boards read today (BranchPeriod), where the branch's roster is
    unchanged and its settlement not reopened since; None where not."""
    st, bp = BranchSettlement.__table__, BranchPeriod.__table__
    fresh = _roster_trusted(st) & (st.c.settled_through >= today - timedelta(days=1))
    stmt = (
        select(
            *_branch_and_roster(st),
            fresh,
            bp.c.now_settled,
            bp.c.rate,
            bp.c.avg_points,
            bp.c.avg_score,
            bp.c.prev_settled,
            bp.c.prev_rate,
            bp.c.prev_avg_points,
            bp.c.prev_avg_score,
        )  # fmt: skip
        .outerjoin(st, st.c.branch_id == OrgUnit.id)
        .outerjoin(
            bp,
            (bp.c.as_of == today)
            & (bp.c.kind == kind)
            & (bp.c.branch_id == OrgUnit.id),
        )
        .where(OrgUnit.id.in_(branches_stmt(unit)))
    )
    out = []
    for row in session.connection().execute(stmt):
        key = (row[3] or 0, int(row[4] or 0), int(row[5] or 0))
        ok = bool(row[6])
        now = tuple(row[8:11]) if ok and row[7] else None
        prev = tuple(row[12:15]) if ok and row[11] else None
        out.append(_Gathered(row[0], row[1], row[2], key, [now, prev]))
    return out


def _branch_and_roster(st: Any) -> tuple[Any, ...]:
    """A branch's id, code and name with the roster key its settlement stored."""
    return (OrgUnit.id, OrgUnit.code, OrgUnit.name, st.c.roster_count,
            st.c.roster_id_sum, st.c.roster_id_square_sum)  # fmt: skip


def _roster_trusted(st: Any) -> Any:
    """SQL: the settlement's stored roster is today's (see roster_watch)."""
    return st.c.roster_count.is_not(None) & (st.c.roster_count != ROSTER_CHANGED)


def _add_today(
    session: Session, unit: OrgUnit, gathered: list[_Gathered], i: int, today: date
) -> None:
    """Span ``i`` is today so far (a period's first day): one grouped read of
    today's rows; every member on today's roster has joined by now, so the
    roster size is its count."""
    wide = len(gathered) >= WIDE_UNIT
    counts = live_counts(session, branches_stmt(unit), today, today, wide=wide)
    for g in gathered:
        day = day_figures(g.roster[0], counts.get((g.branch_id, today)))[2]
        g.metrics[i] = metrics(day)


def _ranked(gathered: list[_Gathered]) -> list[Standing]:
    now = [g.metrics[0] or (None, None, None) for g in gathered]
    prev = [g.metrics[1] or (None, None, None) for g in gathered]
    codes = [g.code for g in gathered]
    order, ranks = ranking([(m[0], m[1], c) for m, c in zip(now, codes, strict=True)])
    _, prev_ranks = ranking([(m[0], m[1], c) for m, c in zip(prev, codes, strict=True)])
    return [
        Standing(
            gathered[i].branch_id,
            gathered[i].code,
            gathered[i].name,
            gathered[i].roster[0],
            *now[i],
            ranks[i],
            prev_ranks[i],
            prev[i][0],
        )  # fmt: skip
        for i in order
    ]


class _Gathered(NamedTuple):
    branch_id: int
    code: str
    name: str
    roster: tuple[int, int, int]
    #: Metrics per span from settled rows, or None where the span is read live.
    metrics: list[Metrics | None]


def _gather(session: Session, ids: Any, spans: list[Span]) -> list[_Gathered]:
    """One query for the branches ``ids`` (a list or a subquery): each one's
    settled roster key, whether its settled rows cover each span, and the
    span's metrics from them (differences of running totals, computed in SQL).
    Branches without a trusted key get their roster read (indexed by branch)
    and every span live."""
    st = BranchSettlement.__table__
    stmt = add_span_columns(
        select(
            *_branch_and_roster(st),
            _roster_trusted(st),
        )
        .outerjoin(st, st.c.branch_id == OrgUnit.id)
        .where(OrgUnit.id.in_(ids)),
        spans,
    )
    out, untrusted = [], set()
    for row in session.connection().execute(stmt):
        key = (row[3] or 0, int(row[4] or 0), int(row[5] or 0))
        ok = bool(row[6])
        spans_metrics: list[Metrics | None] = [
            tuple(row[8 + 4 * i : 11 + 4 * i]) if ok and row[7 + 4 * i] else None
            for i in range(len(spans))
        ]
        out.append(_Gathered(row[0], row[1], row[2], key, spans_metrics))
        if not ok:
            untrusted.add(row[0])
    if untrusted:
        live = rosters(session, sorted(untrusted))
        out = [
            g._replace(roster=(live.get(g.branch_id) or Roster()).key)
            if g.branch_id in untrusted
            else g
            for g in out
        ]
    return out


@dataclass(frozen=True)
class MemberRank:
    """One member's line of the ranking inside a branch."""

    user_id: int
    name: str
    goal_days: int
    points: int
    minutes: int
    rank: int
    username: str


def member_ranking(
    session: Session, branch_id: int, kind: str, today: date
) -> list[MemberRank]:
    """Eligible members of the branch for the period so far, best first.

    Order: goal-met days, then points (both highest first), then name; equal
    days and points share a rank.
    """
    start, end = period_bounds(kind, today)
    sums = {
        uid: (met or 0, pts or 0, secs or 0)
        for uid, met, pts, secs in session.execute(
            select(
                DailyActivity.user_id,
                func.sum(case((DailyActivity.goal_met, 1), else_=0)),
                func.sum(DailyActivity.points),
                func.sum(DailyActivity.study_seconds),
            )
            .join(User, User.id == DailyActivity.user_id)
            .where(
                User.branch_id == branch_id,
                eligible_user(),
                DailyActivity.study_day.between(start, end),
            )
            .group_by(DailyActivity.user_id)
        )
    }
    members = session.execute(
        select(User.id, User.name, User.username).where(
            User.branch_id == branch_id, eligible_user()
        )
    ).all()
    lines = sorted(
        ((uid, name, login, *sums.get(uid, (0, 0, 0))) for uid, name, login in members),
        key=lambda m: (-m[3], -m[4], m[1]),
    )
    out: list[MemberRank] = []
    for place, (uid, name, login, met, pts, secs) in enumerate(lines, start=1):
        same = out and (out[-1].goal_days, out[-1].points) == (met, pts)
        rank = out[-1].rank if same else place
        out.append(MemberRank(uid, name, met, pts, secs // 60, rank, login))
    return out
