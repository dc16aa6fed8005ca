"""The settled ``branch_day`` rollup and the arithmetic of a branch's day.

A BranchDay row holds one branch's figures for one Asia/Shanghai day plus
running totals (prefix sums), so any period costs two rows per branch. It is a
cache of DailyActivity rebuilt by ``progress.settlement``; who counts and how
is defined in ``progress.participation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Date, ForeignKey, Index
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import FunctionElement

from studyapp.db import Base


class shanghai_date(FunctionElement[date]):  # noqa: N801 (SQL function style)
    """SQL: the Asia/Shanghai calendar date of a UTC timestamp column."""

    type = Date()
    inherit_cache = True
    name = "shanghai_date"


@compiles(shanghai_date, "sqlite")
def _shanghai_date_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # SQLite keeps naive UTC text; Shanghai has had no DST since 1991.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(shanghai_date)
def _shanghai_date_default(element: Any, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(({arg} AT TIME ZONE 'Asia/Shanghai') AS DATE)"


class BranchDay(Base):
    """Settled figures of one branch on one day, with running totals (a cache).

    Rebuilt by :func:`settle` from DailyActivity; never edited by hand.
    """

    __tablename__ = "branch_day"
    __table_args__ = (
        Index("ix_branch_day_branch_day", "branch_id", "study_day"),
        # Rows are read by primary key only: on SQLite the key holds the data.
        {"sqlite_with_rowid": False},
    )

    study_day: Mapped[date] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True
    )
    #: Eligible members that day (excused days not met already taken out).
    eligible: Mapped[int]
    met: Mapped[int]
    #: That day's quiz figures (Σ score × quizzes, quizzes), for daily trends.
    quiz_sum: Mapped[float]
    quizzes: Mapped[int]
    #: Running totals from the branch's first settled day through this day.
    cum_rate: Mapped[float]
    cum_days: Mapped[int]
    cum_member_days: Mapped[int]
    cum_points: Mapped[int]
    cum_quiz_sum: Mapped[float]
    cum_quizzes: Mapped[int]


#: A roster count no branch has: the branch's roster changed since its rows
#: were settled (set by :mod:`studyapp.progress.roster_watch`).
ROSTER_CHANGED = -1


class BranchSettlement(Base):
    """How far a branch's ``branch_day`` rows go, and the roster they were built on."""

    __tablename__ = "branch_settlement"

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True
    )
    #: The eligible roster the rows were built on: count, Σ id and Σ id² (with
    #: the count, the sums change whenever the set of members changes). Reads
    #: trust it as today's roster unless ``roster_count`` is ROSTER_CHANGED
    #: (then: read live, rebuild at the next settle).
    roster_count: Mapped[int]
    roster_id_sum: Mapped[int] = mapped_column(BigInteger)
    roster_id_square_sum: Mapped[int] = mapped_column(BigInteger)
    first_day: Mapped[date]
    settled_through: Mapped[date]
    settled_at: Mapped[datetime]


class Figures(NamedTuple):
    """Sums over some days of one branch (a plain tuple: thousands per request)."""

    rate_sum: float = 0.0  #: Σ of daily participation rates
    days: int = 0  #: days with at least one eligible member
    member_days: int = 0  #: Σ of daily eligible members
    points: int = 0
    quiz_sum: float = 0.0  #: Σ score × quizzes
    quizzes: int = 0

    def plus(self, o: Figures) -> Figures:
        return Figures(
            self.rate_sum + o.rate_sum, self.days + o.days,
            self.member_days + o.member_days, self.points + o.points,
            self.quiz_sum + o.quiz_sum, self.quizzes + o.quizzes,
        )  # fmt: skip

    def minus(self, o: Figures) -> Figures:
        return Figures(
            self.rate_sum - o.rate_sum, self.days - o.days,
            self.member_days - o.member_days, self.points - o.points,
            self.quiz_sum - o.quiz_sum, self.quizzes - o.quizzes,
        )  # fmt: skip


@dataclass
class DayCounts:
    """Raw counts of one branch-day from DailyActivity (eligible members only)."""

    met: int = 0
    excused: int = 0  #: excused and not met: out of the denominator
    points: int = 0
    quiz_sum: float = 0.0
    quizzes: int = 0


def day_figures(roster_size: int, counts: DayCounts | None) -> tuple[int, int, Figures]:
    """(eligible, met, Figures) of one day from the roster size and its counts."""
    c = counts or DayCounts()
    eligible = max(roster_size - c.excused, 0)
    met = min(c.met, eligible)
    if eligible == 0:
        return 0, 0, Figures()
    fig = Figures(met / eligible, 1, eligible, c.points, c.quiz_sum, c.quizzes)
    return eligible, met, fig


#: The running-total columns of BranchDay, in Figures field order.
CUMULATIVE = (
    BranchDay.cum_rate,
    BranchDay.cum_days,
    BranchDay.cum_member_days,
    BranchDay.cum_points,
    BranchDay.cum_quiz_sum,
    BranchDay.cum_quizzes,
)


def cumulative(values: Any) -> Figures:
    """Figures from a row of the CUMULATIVE columns (zeros for None)."""
    return Figures(*values) if values is not None else Figures()
