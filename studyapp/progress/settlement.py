"""Settle ``branch_day``: the rollup that makes branch rankings cost two rows per
branch whatever the period. It is a cache of DailyActivity, rebuilt here only;
so is ``branch_period``, each branch's board figures for the day after, written
from it at the end of every settle (one row per branch on the board).

Freshness rules (the reads stay right regardless; see leaderboard.branch_standings):
- each settle recomputes the last ``REOPEN_DAYS`` settled days, so a 补学 made up
  on yesterday or the day before is picked up by the next settle;
- a branch whose eligible roster changed (exempt, moved, deactivated, joined)
  is marked so at once (``roster_watch``), read live until the next settle,
  and rebuilt from scratch then;
- an excuse given for an older day calls :func:`reopen` for that branch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress.branch_days import (
    CUMULATIVE,
    BranchDay,
    BranchSettlement,
    Figures,
    cumulative,
    day_figures,
)
from studyapp.progress.branch_periods import write_periods
from studyapp.progress.participation import Roster, add_recent, live_counts, rosters

#: Settled days that may still change through 补学 (yesterday, the day before).
REOPEN_DAYS = 2


@dataclass(frozen=True)
class SettleSummary:
    """What a settle did (the job runner logs it)."""

    branches: int
    rebuilt: int
    rows: int

    def __str__(self) -> str:
        return (
            f"settled {self.branches} branches ({self.rebuilt} rebuilt), "
            f"{self.rows} branch-days written"
        )


def horizon(today: date) -> date:
    """The first day kept: 1 January of last year (for last year's comparison)."""
    return date(today.year - 1, 1, 1)


def settle(
    session: Session,
    now: datetime,
    today: date,
    *,
    branch_ids: list[int] | None = None,
    rebuild: bool = False,
) -> SettleSummary:
    """Bring every branch's ``branch_day`` rows up to yesterday (flush, no commit).

    Idempotent: running it twice writes the same rows. ``rebuild`` recomputes
    everything from the horizon (after ``progress rebuild`` or an import).
    """
    through = today - timedelta(days=1)
    ids_stmt = select(OrgUnit.id).where(OrgUnit.kind == UnitKind.BRANCH.value)
    if branch_ids is not None:
        ids_stmt = ids_stmt.where(OrgUnit.id.in_(branch_ids))
    ids = list(session.scalars(ids_stmt))
    # Locked before the rosters are read (PostgreSQL; SQLite has one writer):
    # a member change committed meanwhile waits, then marks its branch changed.
    states = {
        s.branch_id: s
        for s in session.scalars(
            select(BranchSettlement)
            .where(BranchSettlement.branch_id.in_(ids_stmt))
            .with_for_update()
        )
    }
    roster_of = rosters(session, ids_stmt)
    add_recent(session, roster_of, ids_stmt, horizon(today))
    starts: dict[date, list[int]] = defaultdict(list)
    rebuilt = 0
    for b in ids:
        roster = roster_of.get(b) or Roster()
        first = max(roster.first_day or today, horizon(today))
        start, fresh = _plan(states.get(b), roster.key, first, rebuild)
        rebuilt += fresh
        _save_state(session, states.get(b), b, roster.key, first, through, now)
        if start <= through:
            starts[start].append(b)
    rows = 0
    for start, group in starts.items():
        rows += _settle_group(session, group, roster_of, start, through)
    session.flush()
    write_periods(session, ids_stmt, today)
    return SettleSummary(len(ids), rebuilt, rows)


def _plan(
    state: BranchSettlement | None,
    key: tuple[int, int, int],
    first: date,
    rebuild: bool,
) -> tuple[date, bool]:
    """(first day to recompute, whether the branch is rebuilt from scratch)."""
    if (
        rebuild
        or state is None
        or (settled_key(state), state.first_day) != (key, first)
    ):
        return first, True
    reopen = state.settled_through - timedelta(days=REOPEN_DAYS - 1)
    return max(first, reopen), False


def _save_state(
    session: Session,
    state: BranchSettlement | None,
    branch_id: int,
    key: tuple[int, int, int],
    first: date,
    through: date,
    now: datetime,
) -> None:
    if state is None:
        state = BranchSettlement(branch_id=branch_id)
        session.add(state)
    state.roster_count, state.roster_id_sum, state.roster_id_square_sum = key
    state.first_day = first
    state.settled_through, state.settled_at = through, now


def _settle_group(
    session: Session,
    branch_ids: list[int],
    roster_of: dict[int, Roster],
    start: date,
    through: date,
) -> int:
    """Recompute ``start``–``through`` for branches that share that start day."""
    session.execute(
        delete(BranchDay).where(
            BranchDay.branch_id.in_(branch_ids), BranchDay.study_day >= start
        )
    )
    before = {
        b: values
        for b, *values in session.execute(
            select(BranchDay.branch_id, *CUMULATIVE).where(
                BranchDay.branch_id.in_(branch_ids),
                BranchDay.study_day == start - timedelta(days=1),
            )
        )
    }
    counts = live_counts(session, branch_ids, start, through)
    values: list[dict[str, Any]] = []
    for b in branch_ids:
        running = cumulative(before.get(b))
        roster = roster_of.get(b) or Roster()
        day = start
        while day <= through:
            eligible, met, fig = day_figures(roster.size_on(day), counts.get((b, day)))
            running = running.plus(fig)
            values.append(_row(b, day, eligible, met, fig, running))
            day += timedelta(days=1)
    for i in range(0, len(values), 5000):
        session.execute(insert(BranchDay), values[i : i + 5000])
    return len(values)


def _row(
    branch_id: int, day: date, eligible: int, met: int, fig: Figures, running: Figures
) -> dict[str, Any]:
    return {
        "branch_id": branch_id,
        "study_day": day,
        "eligible": eligible,
        "met": met,
        "quiz_sum": fig.quiz_sum,
        "quizzes": fig.quizzes,
        "cum_rate": running.rate_sum,
        "cum_days": running.days,
        "cum_member_days": running.member_days,
        "cum_points": running.points,
        "cum_quiz_sum": running.quiz_sum,
        "cum_quizzes": running.quizzes,
    }


def settled_key(state: BranchSettlement) -> tuple[int, int, int]:
    """The roster key the branch's rows were built on."""
    return (state.roster_count, state.roster_id_sum, state.roster_id_square_sum)


def reopen(session: Session, branch_id: int, day: date) -> None:
    """Mark ``day`` and later unsettled for a branch (e.g. after an excuse).

    Reads compute those days live until the next :func:`settle`.
    """
    state = session.get(BranchSettlement, branch_id)
    if state is None or state.settled_through < day:
        return
    session.execute(
        delete(BranchDay).where(
            BranchDay.branch_id == branch_id, BranchDay.study_day >= day
        )
    )
    state.settled_through = day - timedelta(days=1)
    session.flush()


def settle_due(session: Session, now: datetime) -> str:
    """Scheduler entry point (after midnight, Asia/Shanghai): settle to yesterday."""
    from studyapp.timeutil import study_day

    return str(settle(session, now, study_day(now)))
