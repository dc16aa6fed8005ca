"""PURE: the report queries' rows as payload rows (what pages, exports and the
API show). Rates are rounded for display here and nowhere else."""

from __future__ import annotations

from studyapp.progress.leaderboard import MemberRank, Standing
from studyapp.progress.models import BookLog, ExcusedDay
from studyapp.progress.payloads import Book
from studyapp.reports.items import ItemStat
from studyapp.reports.payloads import (
    BranchRef,
    BranchStanding,
    BranchTodayRow,
    ExcusedDayRow,
    ItemRow,
    MemberPeriodRow,
    MemberRankLine,
    MemberRankRow,
    OccurrenceRow,
    QuizResultRow,
    TodayRow,
    TrendRow,
)
from studyapp.reports.queries import BranchToday, MemberDay, MemberPeriod, TrendDay
from studyapp.reports.quizzes import MemberResult, OccurrenceSummary


def rounded(value: float | None, digits: int) -> float | None:
    """``value`` rounded (None stays None)."""
    return None if value is None else round(value, digits)


def standing(r: Standing) -> BranchStanding:
    return BranchStanding(
        rank=r.rank,
        branch=BranchRef(code=r.code, name=r.name),
        participation_rate=rounded(r.rate, 4),
        avg_points=rounded(r.avg_points, 2),
        eligible_members=r.eligible_members,
        small=r.small,
        avg_quiz_score=rounded(r.avg_quiz_score, 1),
        rank_change=r.rank_change,
        previous_rate=rounded(r.prev_rate, 4),
    )


def rank_line(r: MemberRank, my_id: int) -> MemberRankLine:
    return MemberRankLine(
        rank=r.rank,
        name=r.name,
        goal_days=r.goal_days,
        points=r.points,
        is_me=r.user_id == my_id,
    )


def rank_row(r: MemberRank) -> MemberRankRow:
    return MemberRankRow.model_validate(r)


def today_row(r: MemberDay, nudged: bool) -> TodayRow:
    return TodayRow(
        username=r.username,
        name=r.name,
        minutes=r.minutes,
        goal_met=r.goal_met,
        points=r.points,
        exempt=r.exempt,
        state=r.state,  # type: ignore[arg-type]
        nudged=nudged,
    )


def member_period(r: MemberPeriod) -> MemberPeriodRow:
    return MemberPeriodRow.model_validate(r)


def occurrence(r: OccurrenceSummary) -> OccurrenceRow:
    return OccurrenceRow.model_validate(r)


def quiz_result(r: MemberResult) -> QuizResultRow:
    return QuizResultRow.model_validate(r)


def item(r: ItemStat) -> ItemRow:
    return ItemRow(
        question_id=r.slug,
        type=r.type,
        stem=r.stem,
        answered=r.answered,
        correct=r.correct,
        facility=r.facility,
        wrong_key=r.wrong_key,
        wrong_text=r.wrong_text,
        wrong_count=r.wrong_count,
        discrimination=rounded(r.discrimination, 4),
        lesson=r.lesson,
        lesson_title=r.lesson_title,
    )


def trend(r: TrendDay) -> TrendRow:
    return TrendRow.model_validate(r)


def branch_today(r: BranchToday) -> BranchTodayRow:
    return BranchTodayRow.model_validate(r)


def book(row: BookLog | None) -> Book | None:
    return None if row is None else Book.model_validate(row)


def excused(row: ExcusedDay) -> ExcusedDayRow:
    return ExcusedDayRow(day=row.study_day, reason=row.reason)
