"""The sections of the 支部 dashboard: each builds its table (for the page, the
print view and the exports) from one report query. Edge code: it reads query
arguments, builds links and uses gettext; the unit comes already checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from studyapp.errors import NotFound, ValidationFailed
from studyapp.notify.service import nudged_today
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress import charts
from studyapp.progress.leaderboard import branch_standings, member_ranking
from studyapp.progress.periods import PERIODS, period_bounds, period_start
from studyapp.reports import items, queries, quizzes, tables
from studyapp.reports.export import Table
from studyapp.timeutil import day_bounds, study_day

#: Sections of a branch, and of a unit above branches, in tab order.
BRANCH_SECTIONS = ("today", "members", "quizzes", "items", "trends", "ranking")
UNIT_SECTIONS = ("branches", "ranking", "trends")
ITEM_DAYS = (30, 90, 365)


@dataclass(frozen=True)
class Section:
    """A built dashboard section: its table, template and template context."""

    name: str
    title: str
    table: Table
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    #: Query arguments that reproduce this view (for export links).
    args: dict[str, Any] = field(default_factory=dict)


def section_titles() -> dict[str, str]:
    """Tab labels of the sections."""
    return {
        "today": _("今日"),
        "members": _("党员"),
        "quizzes": _("答题"),
        "items": _("题目分析"),
        "trends": _("趋势"),
        "ranking": _("排行"),
        "branches": _("各支部"),
        "quiz": _("答题结果"),
    }


def sections_for(unit: OrgUnit) -> tuple[str, ...]:
    """The sections a unit has: a branch's, or a higher unit's."""
    return BRANCH_SECTIONS if unit.kind == UnitKind.BRANCH.value else UNIT_SECTIONS


def period_arg(args: Mapping[str, str], allowed: tuple[str, ...] = PERIODS) -> str:
    """The ``period`` argument (default week); ValidationFailed when unknown."""
    period = args.get("period") or "week"
    if period not in allowed:
        raise ValidationFailed(
            _("统计周期应为 %(p)s", p=" / ".join(allowed)), field="period"
        )
    return period


def period_labels() -> dict[str, str]:
    """Labels of the ranking periods."""
    return {"week": _("本周"), "month": _("本月"), "year": _("今年")}


def build(
    name: str, session: Session, unit: OrgUnit, args: Mapping[str, str], now: datetime
) -> Section:
    """The named section of ``unit`` (NotFound when it does not apply)."""
    allowed = sections_for(unit)
    if unit.kind == UnitKind.BRANCH.value:
        allowed += ("quiz",)
    if name not in allowed:
        raise NotFound(_("这个统计不适用于%(unit)s", unit=unit.name))
    return _BUILDERS[name](session, unit, args, now)


def _stem(kind: str, unit: OrgUnit, now: datetime) -> str:
    return tables.file_stem(kind, unit.code, study_day(now))


def _today(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    rows = queries.day_status(session, unit, study_day(now))
    nudged = nudged_today(session, [r.user_id for r in rows], now)
    title = _("%(unit)s 今日学习（%(day)s）", unit=unit.name, day=study_day(now))
    table = tables.today_table(_stem("today", unit, now), title, rows)
    groups = {s: [r for r in rows if r.state == s] for s in queries._ORDER}
    return Section(
        "today",
        title,
        table,
        "reports/_today.html",
        {"groups": groups, "nudged": nudged, "rows": rows},
    )


def _members(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    period = period_arg(args, ("week", "month"))
    end = study_day(now)  # a secretary's own table includes today so far
    start = period_start(period, end)
    rows = queries.member_periods(session, unit, start, end, study_day(now))
    title = _(
        "%(unit)s %(period)s学习情况", unit=unit.name, period=period_labels()[period]
    )
    table = tables.members_table(_stem(f"members-{period}", unit, now), title, rows)
    links = [url_for("org.member", username=r.username) for r in rows]
    return Section(
        "members",
        title,
        replace(table, links=links),
        "reports/_members.html",
        {"period": period, "start": start, "end": end},
        {"period": period},
    )


def _ranking(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    period = period_arg(args)
    label = period_labels()[period]
    if unit.kind == UnitKind.BRANCH.value:
        rows = member_ranking(session, unit.id, period, study_day(now))
        title = _("%(unit)s 党员%(period)s排行", unit=unit.name, period=label)
        table = tables.member_ranking_table(
            _stem(f"members-rank-{period}", unit, now), title, rows
        )
    else:
        standings = branch_standings(session, unit, period, study_day(now))
        title = _("%(unit)s 各支部%(period)s排行", unit=unit.name, period=label)
        table = tables.ranking_table(
            _stem(f"ranking-{period}", unit, now), title, standings
        )
        links = [url_for("org.unit_members", code=s.code) for s in standings]
        table = replace(table, links=links, link_column=1)
    bounds = period_bounds(period, study_day(now))
    return Section(
        "ranking",
        title,
        table,
        "reports/_ranking.html",
        {"period": period, "bounds": bounds},
        {"period": period},
    )


def _quizzes(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    rows = quizzes.occurrences(session, unit, now)
    title = _("%(unit)s 近 90 天答题", unit=unit.name)
    table = tables.quizzes_table(_stem("quizzes", unit, now), title, rows)
    links = [
        url_for("reports.quiz_results", code=unit.code, occurrence_id=r.occurrence_id)
        for r in rows
    ]
    return Section(
        "quizzes", title, replace(table, links=links), "reports/_table_section.html"
    )


def _quiz(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    try:
        occurrence_id = int(args.get("occurrence", ""))
    except ValueError:
        raise NotFound(_("没有这次答题")) from None
    summary, rows = quizzes.occurrence_results(session, unit, occurrence_id)
    title = _(
        "%(quiz)s（%(key)s）%(unit)s 成绩",
        quiz=summary.title,
        key=summary.key,
        unit=unit.name,
    )
    table = tables.results_table(_stem(f"quiz-{occurrence_id}", unit, now), title, rows)
    return Section(
        "quiz",
        title,
        table,
        "reports/_quiz.html",
        {"summary": summary},
        {"occurrence": occurrence_id},
    )


def _items(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    raw = args.get("days") or "30"
    days = int(raw) if raw.isdigit() else 0
    if days not in ITEM_DAYS:
        raise ValidationFailed(_("天数应为 30、90 或 365"), field="days")
    start = day_bounds(study_day(now) - timedelta(days=days - 1))[0]
    rows = items.item_analysis(session, unit, start, now)
    title = _("%(unit)s 近 %(n)d 天题目分析", unit=unit.name, n=days)
    table = tables.items_table(_stem(f"items-{days}", unit, now), title, rows)
    links = [
        url_for("content.lesson", slug=r.lesson) if r.lesson else None for r in rows
    ]
    return Section(
        "items",
        title,
        replace(table, links=links),
        "reports/_items.html",
        {"days": days, "choices": ITEM_DAYS, "rows": rows},
        {"days": days},
    )


def _trends(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    rows = queries.trends(session, unit, study_day(now))
    title = _("%(unit)s 近 30 天趋势", unit=unit.name)
    table = tables.trends_table(_stem("trends", unit, now), title, rows)
    labels = [r.day.strftime("%m-%d") for r in rows]
    rate = charts.line_chart([tables.percent(r.rate) for r in rows], labels, top=100)
    score = charts.line_chart([r.score for r in rows], labels, top=100)
    return Section(
        "trends",
        title,
        table,
        "reports/_trends.html",
        {"rate_chart": rate, "score_chart": score},
    )


def _branches(session: Session, unit: OrgUnit, args: Any, now: datetime) -> Section:
    rows = queries.branches_today(session, unit, study_day(now))
    title = _("%(unit)s 各支部今日学习", unit=unit.name)
    table = tables.branches_table(_stem("branches", unit, now), title, rows)
    links = [url_for("org.unit_members", code=r.code) for r in rows]
    return Section(
        "branches", title, replace(table, links=links), "reports/_table_section.html"
    )


_BUILDERS: dict[str, Callable[[Session, OrgUnit, Any, datetime], Section]] = {
    "today": _today,
    "members": _members,
    "ranking": _ranking,
    "quizzes": _quizzes,
    "quiz": _quiz,
    "items": _items,
    "trends": _trends,
    "branches": _branches,
}
