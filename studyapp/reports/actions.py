"""What a secretary reads in the 支部 tab, and what anyone reads on 支部排行.

Each action is ``(session, actor, [input,] now) -> payload``. The unit or member
comes from the actor's scope (``reports.access``), never from the URL alone;
an HTML page, its htmx fragment, its XLSX/CSV export and its API route all
call the same action. Read-only: the writes of the 支部 tab (excuses,
exemptions, the ranking switch) are in ``org.actions``, nudges in
``notify.actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.errors import Forbidden, NotFound, ValidationFailed
from studyapp.notify.service import nudged_today
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.payloads import UnitBrief
from studyapp.progress.actions import recent_days
from studyapp.progress.leaderboard import branch_standings, member_ranking
from studyapp.progress.periods import period_bounds, period_start
from studyapp.progress.queries import excused_days, month_book, today_summary
from studyapp.progress.settings import for_actor
from studyapp.reports import access, items, queries, quizzes, rows
from studyapp.reports.payloads import (
    BRANCH_SECTIONS,
    ITEM_DAYS,
    UNIT_SECTIONS,
    BranchesReport,
    BranchStanding,
    ItemsReport,
    Leaderboard,
    LeaderboardQuery,
    MemberRankingQuery,
    MemberRankLine,
    MemberReport,
    MembersReport,
    ParticipationQuery,
    ParticipationRow,
    PrintReport,
    QuizReport,
    QuizzesReport,
    RankingReport,
    Report,
    ReportUnit,
    SectionQuery,
    TodayReport,
    TrendsReport,
)
from studyapp.timeutil import day_bounds, month_key, study_day


def branch_leaderboard(
    session: Session, actor: Actor, query: LeaderboardQuery, now: datetime
) -> list[BranchStanding]:
    """Branches under a unit I may compare in, ranked (see progress.leaderboard)."""
    unit = access.leaderboard_unit(session, actor, query.unit)
    return _standings(session, unit, query.period, now)


def _standings(
    session: Session, unit: OrgUnit, period: str, now: datetime
) -> list[BranchStanding]:
    standings = branch_standings(session, unit, period, study_day(now))
    return [rows.standing(r) for r in standings]


def member_leaderboard(
    session: Session, actor: Actor, query: MemberRankingQuery, now: datetime
) -> list[MemberRankLine]:
    """My branch's member ranking; Forbidden unless the branch shows it to me."""
    branch = session.get(OrgUnit, actor.branch.id)
    if not access.can_see_member_ranking(session, actor, branch):
        raise Forbidden("本支部没有开放党员排行")
    ranked = member_ranking(session, branch.id, query.period, study_day(now))
    return [rows.rank_line(r, actor.id) for r in ranked]


def leaderboard(
    session: Session, actor: Actor, query: LeaderboardQuery, now: datetime
) -> Leaderboard:
    """支部排行: the branches of a unit I may compare in (my branch highlighted),
    and my branch's member ranking where it is on (else None)."""
    unit = access.leaderboard_unit(session, actor, query.unit)
    branch = session.get(OrgUnit, actor.branch.id)
    members = None
    if access.can_see_member_ranking(session, actor, branch):
        ranked = member_ranking(session, branch.id, query.period, study_day(now))
        members = [rows.rank_line(r, actor.id) for r in ranked]
    return Leaderboard(
        unit=UnitBrief(code=unit.code, name=unit.name),
        period=query.period,
        my_branch=actor.branch.code,
        branches=_standings(session, unit, query.period, now),
        members=members,
    )


def participation(
    session: Session, actor: Actor, code: str, query: ParticipationQuery, now: datetime
) -> list[ParticipationRow]:
    """Every active member under the unit ``code`` on one day (my scope only),
    one page at a time."""
    unit = access.report_unit(session, actor, code)
    today = study_day(now)
    day = query.day or today
    if day > today:
        raise ValidationFailed("day 不能是将来的日子", field="day")
    offset = (query.page - 1) * query.per_page
    rows = queries.day_status_page(session, unit, day, offset, query.per_page)
    return [ParticipationRow.model_validate(r) for r in rows]


def _unit(session: Session, actor: Actor, code: str) -> tuple[OrgUnit, ReportUnit]:
    unit = access.report_unit(session, actor, code)
    parent = access.visible_parent(actor, unit)
    return unit, ReportUnit(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent=UnitBrief(code=parent.code, name=parent.name) if parent else None,
        sections=list(sections_of(unit)),
        member_ranking_visible=access.member_ranking_on(session, unit),
    )


def sections_of(unit: OrgUnit) -> tuple[str, ...]:
    """The dashboard sections of a unit: a branch's, or a higher unit's."""
    return BRANCH_SECTIONS if unit.kind == UnitKind.BRANCH.value else UNIT_SECTIONS


def _branch(session: Session, actor: Actor, code: str) -> tuple[OrgUnit, ReportUnit]:
    unit, info = _unit(session, actor, code)
    if unit.kind != UnitKind.BRANCH.value:
        raise NotFound(f"这个统计不适用于{unit.name}")
    return unit, info


def today(session: Session, actor: Actor, code: str, now: datetime) -> TodayReport:
    """今日 of a branch: each member's state, not started first."""
    unit, info = _branch(session, actor, code)
    found = queries.day_status(session, unit, study_day(now))
    nudged = nudged_today(session, [r.user_id for r in found], now)
    return TodayReport(
        unit=info,
        day=study_day(now),
        rows=[rows.today_row(r, r.user_id in nudged) for r in found],
    )


def members(
    session: Session, actor: Actor, code: str, query: SectionQuery, now: datetime
) -> MembersReport:
    """党员 of a branch: each member's week or month so far, today included."""
    if query.period not in ("week", "month"):
        raise ValidationFailed("统计周期应为 week / month", field="period")
    unit, info = _branch(session, actor, code)
    end = study_day(now)  # a secretary's own table includes today so far
    start = period_start(query.period, end)
    found = queries.member_periods(session, unit, start, end, end)
    return MembersReport(
        unit=info, day=end, period=query.period, start=start, end=end,
        rows=[rows.member_period(r) for r in found],
    )  # fmt: skip


def quizzes_report(
    session: Session, actor: Actor, code: str, now: datetime
) -> QuizzesReport:
    """答题 of a branch: its non-daily quizzes of the last 90 days."""
    unit, info = _branch(session, actor, code)
    found = quizzes.occurrences(session, unit, now)
    return QuizzesReport(
        unit=info, day=study_day(now), rows=[rows.occurrence(r) for r in found]
    )


def quiz_results(
    session: Session, actor: Actor, code: str, occurrence_id: int, now: datetime
) -> QuizReport:
    """Who took one quiz occurrence, their best scores and the pass rate."""
    unit, info = _branch(session, actor, code)
    summary, found = quizzes.occurrence_results(session, unit, occurrence_id)
    return QuizReport(
        unit=info,
        day=study_day(now),
        summary=rows.occurrence(summary),
        rows=[rows.quiz_result(r) for r in found],
    )


def items_report(
    session: Session, actor: Actor, code: str, query: SectionQuery, now: datetime
) -> ItemsReport:
    """题目分析 of a branch over 30, 90 or 365 days, weakest question first."""
    if query.days not in ITEM_DAYS:
        raise ValidationFailed("天数应为 30、90 或 365", field="days")
    unit, info = _branch(session, actor, code)
    start = day_bounds(study_day(now) - timedelta(days=query.days - 1))[0]
    found = items.item_analysis(session, unit, start, now)
    return ItemsReport(
        unit=info, day=study_day(now), days=query.days,
        rows=[rows.item(r) for r in found],
    )  # fmt: skip


def trends(session: Session, actor: Actor, code: str, now: datetime) -> TrendsReport:
    """趋势: daily participation and average score, 30 days to yesterday."""
    unit, info = _unit(session, actor, code)
    found = queries.trends(session, unit, study_day(now))
    return TrendsReport(
        unit=info, day=study_day(now), rows=[rows.trend(r) for r in found]
    )


def ranking(
    session: Session, actor: Actor, code: str, query: SectionQuery, now: datetime
) -> RankingReport:
    """排行: a branch's members, or the branches under a higher unit."""
    unit, info = _unit(session, actor, code)
    day = study_day(now)
    start, end = period_bounds(query.period, day)
    members_, branches_ = None, None
    if unit.kind == UnitKind.BRANCH.value:
        ranked = member_ranking(session, unit.id, query.period, day)
        members_ = [rows.rank_row(r) for r in ranked]
    else:
        branches_ = _standings(session, unit, query.period, now)
    return RankingReport(
        unit=info, day=day, period=query.period, start=start, end=end,
        members=members_, branches=branches_,
    )  # fmt: skip


def branches(
    session: Session, actor: Actor, code: str, now: datetime
) -> BranchesReport:
    """各支部 of a unit above branches: each branch's day so far."""
    unit, info = _unit(session, actor, code)
    if unit.kind == UnitKind.BRANCH.value:
        raise NotFound(f"这个统计不适用于{unit.name}")
    found = queries.branches_today(session, unit, study_day(now))
    return BranchesReport(
        unit=info, day=study_day(now), rows=[rows.branch_today(r) for r in found]
    )


_SECTIONS: dict[
    str, Callable[[Session, Actor, str, SectionQuery, datetime], Report]
] = {
    "today": lambda s, a, c, q, n: today(s, a, c, n),
    "members": members,
    "quizzes": lambda s, a, c, q, n: quizzes_report(s, a, c, n),
    "quiz": lambda s, a, c, q, n: quiz_results(s, a, c, _occurrence(q), n),
    "items": items_report,
    "trends": lambda s, a, c, q, n: trends(s, a, c, n),
    "ranking": ranking,
    "branches": lambda s, a, c, q, n: branches(s, a, c, n),
}


def _occurrence(query: SectionQuery) -> int:
    if query.occurrence is None:
        raise NotFound("没有这次答题")
    return query.occurrence


def section(
    session: Session,
    actor: Actor,
    code: str,
    name: str,
    query: SectionQuery,
    now: datetime,
) -> Report:
    """The dashboard section ``name`` of a unit in my scope (NotFound when the
    unit has no such section): what its page, fragment and export show."""
    if name not in _SECTIONS:
        raise NotFound("没有这个统计")
    return _SECTIONS[name](session, actor, code, query, now)


def dashboard(session: Session, actor: Actor, code: str, now: datetime) -> Report:
    """A unit's first section: today for a branch, all branches above that."""
    unit = access.report_unit(session, actor, code)
    return section(session, actor, code, sections_of(unit)[0], SectionQuery(), now)


def print_report(
    session: Session, actor: Actor, code: str, query: SectionQuery, now: datetime
) -> PrintReport:
    """Every section of a unit in my scope, for one printable page."""
    unit, info = _unit(session, actor, code)
    if query.period == "year" and unit.kind == UnitKind.BRANCH.value:
        query = query.model_copy(update={"period": "week"})
    built = [section(session, actor, code, n, query, now) for n in info.sections]
    return PrintReport(unit=info, generated_at=now, sections=built)


def member(
    session: Session, actor: Actor, username: str, now: datetime
) -> MemberReport:
    """A member in my scope: today, 30 days, streak, this month's book, excuses."""
    found = access.report_member(session, actor, username)
    day, settings = study_day(now), for_actor(session, found)
    days = recent_days(session, found.id, day)
    return MemberReport(
        username=found.username,
        name=found.name,
        branch=UnitBrief(code=found.branch.code, name=found.branch.name),
        exempt_reason=found.exempt_reason,
        today=today_summary(
            session, found.id, day, settings.goal_minutes, settings.tracking
        ),
        days=days,
        goal_days=sum(d.goal_met for d in days),
        book=rows.book(month_book(session, found.id, month_key(day))),
        nudged_today=bool(nudged_today(session, [found.id], now)),
        excused=[rows.excused(e) for e in excused_days(session, found.id)],
    )
