"""The settled leaderboard figures of each branch per period (a cache).

A BranchPeriod row holds one branch's rate, average points and average score
for this week / month / year so far and for the whole previous one, as the
leaderboard read on ``as_of`` shows them. The nightly settle writes them from
the ``branch_day`` running totals (:func:`write_periods`), so a county board is
one indexed row per branch; the same SQL (:func:`add_span_columns`) reads any
other span from ``branch_day`` directly. Rows are trusted only while the
branch's settlement still reaches ``as_of - 1`` (a reopen takes it back) and
its roster is unchanged (``roster_watch``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Select,
    String,
    case,
    cast,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from studyapp.db import Base
from studyapp.org.models import OrgUnit
from studyapp.progress.branch_days import BranchDay, BranchSettlement
from studyapp.progress.periods import PERIODS, Span, period_bounds, previous_bounds


class BranchPeriod(Base):
    """One branch's settled figures for a period kind, as read on ``as_of``."""

    __tablename__ = "branch_period"
    __table_args__ = ({"sqlite_with_rowid": False},)

    as_of: Mapped[date] = mapped_column(primary_key=True)
    #: ``week`` | ``month`` | ``year``.
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True
    )
    #: The current period so far was settled (False on its first day: today).
    now_settled: Mapped[bool]
    rate: Mapped[float | None]
    avg_points: Mapped[float | None]
    avg_score: Mapped[float | None]
    prev_settled: Mapped[bool]
    prev_rate: Mapped[float | None]
    prev_avg_points: Mapped[float | None]
    prev_avg_score: Mapped[float | None]


def add_span_columns(stmt: Select[Any], spans: list[Span]) -> Select[Any]:
    """Add, per span, (settled rows cover it, rate, average points, average
    score) to a select over OrgUnit, from the ``branch_day`` running totals
    (two rows per branch and span). The select must join BranchSettlement."""
    st = BranchSettlement.__table__
    tables: dict[date, Any] = {}

    def edge(day: date) -> Any:
        if day not in tables:
            tables[day] = BranchDay.__table__.alias(f"t{len(tables)}")
        return tables[day]

    for start, end in spans:
        lo, hi = edge(start - timedelta(days=1)), edge(end)
        stmt = stmt.add_columns(*_span_columns(st, lo, hi, start, end))
    for day, t in tables.items():
        stmt = stmt.outerjoin(t, (t.c.branch_id == OrgUnit.id) & (t.c.study_day == day))
    return stmt


def _span_columns(st: Any, lo: Any, hi: Any, start: date, end: date) -> list[Any]:
    def delta(name: str) -> Any:
        return func.coalesce(hi.c[name], 0) - func.coalesce(lo.c[name], 0)

    days = delta("cum_days")
    covered = (
        (st.c.settled_through >= end)
        & (hi.c.branch_id.is_not(None) | (st.c.first_day > end))
        & (lo.c.branch_id.is_not(None) | (st.c.first_day >= start))
    )
    return [
        case((covered, 1), else_=0),
        delta("cum_rate") / func.nullif(days, 0),
        cast(delta("cum_points"), Float)
        * days
        / func.nullif(delta("cum_member_days"), 0),
        delta("cum_quiz_sum") / func.nullif(delta("cum_quizzes"), 0),
    ]


def write_periods(session: Session, branch_ids: Any, today: date) -> int:
    """Replace the branches' BranchPeriod rows with those read on ``today``
    (call after their ``branch_day`` rows and settlement are written)."""
    bp = BranchPeriod
    session.execute(delete(bp).where(bp.branch_id.in_(branch_ids)))
    st = BranchSettlement.__table__
    values = []
    for kind in PERIODS:
        spans = [period_bounds(kind, today), previous_bounds(kind, today)]
        stmt = add_span_columns(
            select(OrgUnit.id)
            .join(st, st.c.branch_id == OrgUnit.id)
            .where(OrgUnit.id.in_(branch_ids)),
            spans,
        )
        for row in session.connection().execute(stmt):
            b, now_ok, rate, pts, score, prev_ok, p_rate, p_pts, p_score = row
            values.append({
                "as_of": today, "kind": kind, "branch_id": b,
                "now_settled": bool(now_ok), "rate": rate, "avg_points": pts,
                "avg_score": score, "prev_settled": bool(prev_ok),
                "prev_rate": p_rate, "prev_avg_points": p_pts,
                "prev_avg_score": p_score,
            })  # fmt: skip
    for i in range(0, len(values), 5000):
        session.execute(insert(bp), values[i : i + 5000])
    return len(values)
