"""Typed inputs and results of the reports actions (secretaries, leaderboards).

Each dashboard section is one report type with a ``section`` tag; the HTML
views render it, the exports turn it into a table (``reports.tables``) and the
API sends it as it is. Rates are shares (0–1), scores percent (0–100).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from studyapp.org.payloads import UnitBrief
from studyapp.progress.payloads import Book, DayFigures, Today

Period = Literal["week", "month", "year"]
#: Today's state of a member, in the order the dashboard lists them.
State = Literal["not_started", "started", "met", "excused", "exempt"]
STATES: tuple[State, ...] = ("not_started", "started", "met", "excused", "exempt")
#: Sections of a branch, and of a unit above branches, in tab order.
BRANCH_SECTIONS = ("today", "members", "quizzes", "items", "trends", "ranking")
UNIT_SECTIONS = ("branches", "ranking", "trends")
#: The periods of the item analysis, in days.
ITEM_DAYS = (30, 90, 365)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class LeaderboardQuery(Model):
    #: The unit whose branches are compared (default: my branch's parent).
    unit: str | None = None
    period: Period = "week"


class BranchRef(Model):
    code: str
    name: str


class BranchStanding(Model):
    """One branch on the leaderboard: encouragement, never evaluation."""

    rank: int | None
    branch: BranchRef
    #: Share of eligible members who met the goal, averaged over the days.
    participation_rate: float | None
    avg_points: float | None
    eligible_members: int
    #: Fewer than 5 eligible members: the rate moves a lot.
    small: bool
    avg_quiz_score: float | None
    #: Places gained since the previous period (negative: lost).
    rank_change: int | None
    #: The participation rate of the whole previous period.
    previous_rate: float | None = None


class MemberRankLine(Model):
    """A member's line of the ranking inside their branch, as members see it."""

    rank: int
    name: str
    goal_days: int
    points: int
    #: This line is mine.
    is_me: bool


class MemberRankingQuery(Model):
    period: Period = "week"


class Leaderboard(Model):
    """支部排行: the branches under a unit I may compare in, and my branch's
    member ranking where the branch shows it (else ``members`` is None)."""

    unit: UnitBrief
    period: Period
    #: My branch's code (its line is highlighted).
    my_branch: str
    branches: list[BranchStanding]
    members: list[MemberRankLine] | None


class ParticipationQuery(Model):
    #: A past or today's date (Asia/Shanghai); default today.
    day: date | None = None
    #: The page (from 1) of ``per_page`` members, in the dashboard's order (not
    #: started first, then by name); a page shorter than ``per_page`` is the last.
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(200, ge=1, le=500)


class ParticipationRow(Model):
    username: str
    name: str
    minutes: int
    goal_met: bool
    points: int
    exempt: bool


class ReportUnit(Model):
    """The unit a report is about."""

    code: str
    name: str
    kind: str
    #: The unit above, when my scope covers it (a way back up); else None.
    parent: UnitBrief | None
    #: The dashboard sections of this unit, in tab order.
    sections: list[str]
    #: A branch lets its members see its member ranking.
    member_ranking_visible: bool


class SectionQuery(Model):
    """Arguments of a dashboard section (each section reads the ones it has)."""

    #: members: week | month; ranking: week | month | year.
    period: Period = "week"
    #: items: 30, 90 or 365 days.
    days: int = Field(30, ge=1, le=366)
    #: quiz: the occurrence whose results to show.
    occurrence: int | None = Field(None, ge=1, le=2**31 - 1)


class TodayRow(Model):
    username: str
    name: str
    minutes: int
    goal_met: bool
    points: int
    exempt: bool
    state: State
    #: Already nudged (提醒一下) today.
    nudged: bool


class TodayReport(Model):
    """今日: who has, and who has not yet, met today's goal (not started first)."""

    section: Literal["today"] = "today"
    unit: ReportUnit
    day: date
    rows: list[TodayRow]

    def of_state(self, state: str) -> list[TodayRow]:
        return [r for r in self.rows if r.state == state]


class MemberPeriodRow(Model):
    username: str
    name: str
    exempt: bool
    minutes: int
    goal_days: int
    points: int
    quizzes: int
    #: Consecutive days as of today.
    streak: int
    #: This month's book and how far (percent).
    book: str | None
    book_percent: int | None


class MembersReport(Model):
    """党员: each member's week or month so far (today included)."""

    section: Literal["members"] = "members"
    unit: ReportUnit
    day: date
    period: Literal["week", "month"]
    start: date
    end: date
    rows: list[MemberPeriodRow]


class OccurrenceRow(Model):
    """One quiz occurrence for a branch: who could take it, took it, passed."""

    occurrence_id: int
    title: str
    kind: str
    key: str
    opens_at: datetime
    closes_at: datetime
    pass_score: float
    eligible: int
    taken: int
    passed: int
    avg_score: float | None
    take_rate: float | None
    #: Share of those who took it that passed.
    pass_rate: float | None


class QuizzesReport(Model):
    """答题: the non-daily quizzes of the last 90 days, newest first."""

    section: Literal["quizzes"] = "quizzes"
    unit: ReportUnit
    day: date
    rows: list[OccurrenceRow]


class QuizResultRow(Model):
    username: str
    name: str
    #: Best graded score; None: not taken.
    score: float | None
    passed: bool
    submitted_at: datetime | None


class QuizReport(Model):
    """One occurrence's results: every eligible member's best (not taken first)."""

    section: Literal["quiz"] = "quiz"
    unit: ReportUnit
    day: date
    summary: OccurrenceRow
    rows: list[QuizResultRow]


class ItemRow(Model):
    """One question's statistics (see ``reports.items``)."""

    question_id: str
    type: str
    #: Plain text, shortened.
    stem: str
    answered: int
    correct: int
    #: Share of answers that were right.
    facility: float
    wrong_key: str | None
    wrong_text: str | None
    wrong_count: int
    discrimination: float | None
    #: The lesson that explains the question (its id, and its title to show).
    lesson: str | None
    lesson_title: str | None = None


class ItemsReport(Model):
    """题目分析: the weakest questions of the last ``days`` days first."""

    section: Literal["items"] = "items"
    unit: ReportUnit
    day: date
    days: int
    rows: list[ItemRow]


class TrendRow(Model):
    day: date
    #: Share of eligible members who met the goal; None without any.
    rate: float | None
    #: Average quiz score that day; None without quizzes.
    score: float | None


class TrendsReport(Model):
    """趋势: the 30 days ending yesterday."""

    section: Literal["trends"] = "trends"
    unit: ReportUnit
    day: date
    rows: list[TrendRow]


class MemberRankRow(Model):
    """A member's line of the branch ranking, as the secretary sees it."""

    rank: int
    username: str
    name: str
    goal_days: int
    points: int
    minutes: int


class RankingReport(Model):
    """排行: a branch's members, or the branches under a higher unit, for the
    period's complete days ``start``–``end``."""

    section: Literal["ranking"] = "ranking"
    unit: ReportUnit
    day: date
    period: Period
    start: date
    end: date
    #: A branch: its members; else None.
    members: list[MemberRankRow] | None
    #: A unit above branches: its branches; else None.
    branches: list[BranchStanding] | None


class BranchTodayRow(Model):
    code: str
    name: str
    eligible: int
    met: int
    rate: float | None


class BranchesReport(Model):
    """各支部: each branch's day so far (units above branches)."""

    section: Literal["branches"] = "branches"
    unit: ReportUnit
    day: date
    rows: list[BranchTodayRow]


#: Any dashboard section, told apart by ``section``.
Report = Annotated[
    TodayReport
    | MembersReport
    | QuizzesReport
    | QuizReport
    | ItemsReport
    | TrendsReport
    | RankingReport
    | BranchesReport,
    Field(discriminator="section"),
]


class PrintReport(Model):
    """Every section of a unit on one page (打印)."""

    unit: ReportUnit
    generated_at: datetime
    sections: list[Report]


class ReportTable(Model):
    """One report as a table: exactly the rows of its XLSX/CSV export."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str | float | int | None]]


class ExcusedDayRow(Model):
    day: date
    reason: str


class MemberReport(Model):
    """A member's page: today, 30 days, streak, this month's book, excuses."""

    username: str
    name: str
    branch: UnitBrief
    exempt_reason: str | None
    today: Today
    #: The last 30 days, oldest first.
    days: list[DayFigures]
    goal_days: int
    book: Book | None
    nudged_today: bool
    #: Latest first.
    excused: list[ExcusedDayRow]

    @property
    def is_exempt(self) -> bool:
        return self.exempt_reason is not None


class Nudged(Model):
    """After 提醒一下: whether it was sent now (False: already nudged today) and
    the member's line of today's list."""

    sent: bool
    #: The member's branch (its dashboard lists them).
    branch: str
    row: TodayRow
