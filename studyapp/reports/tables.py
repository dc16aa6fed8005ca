"""Report results → titled Tables: one shape for the page, the print view and the
exports (so the spreadsheet is exactly what the secretary saw). Edge code: it
uses gettext and takes already-built links.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from studyapp.progress.leaderboard import MemberRank, Standing
from studyapp.reports import queries
from studyapp.reports.export import Table
from studyapp.reports.items import ItemStat
from studyapp.reports.queries import BranchToday, MemberDay, MemberPeriod, TrendDay
from studyapp.reports.quizzes import MemberResult, OccurrenceSummary
from studyapp.timeutil import local

Link = Callable[[Any], str | None]


def percent(value: float | None) -> float | None:
    """A share as a percentage with one decimal (None stays None)."""
    return None if value is None else round(value * 100, 1)


def one(value: float | None) -> float | None:
    """A number with one decimal (None stays None)."""
    return None if value is None else round(value, 1)


def when(at: datetime | None) -> datetime | None:
    """An aware instant as Asia/Shanghai wall time (spreadsheets have no zones)."""
    return local(at).replace(tzinfo=None) if at else None


def state_label(state: str) -> str:
    """Today's state of a member, in words."""
    return {
        queries.MET: _("已达标"),
        queries.STARTED: _("学习中"),
        queries.NOT_STARTED: _("未开始"),
        queries.EXCUSED: _("请假"),
        queries.EXEMPT: _("免于统计"),
    }[state]


def today_table(name: str, title: str, rows: list[MemberDay]) -> Table:
    """Today's members, not started first."""
    return Table(
        name, title,
        [_("姓名"), _("账号"), _("状态"), _("分钟"), _("积分")],
        [[r.name, r.username, state_label(r.state), r.minutes, r.points] for r in rows],
    )  # fmt: skip


def members_table(name: str, title: str, rows: list[MemberPeriod]) -> Table:
    """Members' week or month."""
    headers = [
        _("姓名"), _("账号"), _("分钟"), _("达标天数"), _("积分"), _("答题次数"),
        _("连续天数"), _("本月读书"), _("读书进度 (%)"), _("统计"),
    ]  # fmt: skip
    body = [
        [r.name, r.username, r.minutes, r.goal_days, r.points, r.quizzes, r.streak,
         r.book, r.book_percent, _("免于统计") if r.exempt else _("参与统计")]
        for r in rows
    ]  # fmt: skip
    return Table(name, title, headers, body)


def ranking_table(name: str, title: str, rows: list[Standing]) -> Table:
    """The branch leaderboard."""
    headers = [
        _("排名"), _("支部"), _("编码"), _("参与统计人数"), _("参与率 (%)"),
        _("人均积分"), _("平均得分"), _("名次变化"), _("上期参与率 (%)"), _("备注"),
    ]  # fmt: skip
    body = [
        [r.rank, r.name, r.code, r.eligible_members, percent(r.rate),
         one(r.avg_points), one(r.avg_quiz_score), r.rank_change,
         percent(r.prev_rate), _("人数较少") if r.small else None]
        for r in rows
    ]  # fmt: skip
    return Table(name, title, headers, body)


def member_ranking_table(name: str, title: str, rows: list[MemberRank]) -> Table:
    """The member ranking inside a branch."""
    return Table(
        name, title,
        [_("排名"), _("姓名"), _("达标天数"), _("积分"), _("分钟")],
        [[r.rank, r.name, r.goal_days, r.points, r.minutes] for r in rows],
    )  # fmt: skip


def quizzes_table(name: str, title: str, rows: list[OccurrenceSummary]) -> Table:
    """Quiz occurrences of the last 90 days."""
    headers = [
        _("答题"), _("期次"), _("开始"), _("截止"), _("应参加"), _("已参加"),
        _("参与率 (%)"), _("及格"), _("及格率 (%)"), _("平均分"),
    ]  # fmt: skip
    body = [
        [r.title, r.key, when(r.opens_at), when(r.closes_at), r.eligible, r.taken,
         percent(r.take_rate), r.passed, percent(r.pass_rate), one(r.avg_score)]
        for r in rows
    ]  # fmt: skip
    return Table(name, title, headers, body)


def results_table(name: str, title: str, rows: list[MemberResult]) -> Table:
    """Members' results in one occurrence."""
    return Table(
        name, title,
        [_("姓名"), _("账号"), _("得分"), _("结果"), _("提交时间")],
        [[r.name, r.username, one(r.score), _result(r), when(r.submitted_at)]
         for r in rows],
    )  # fmt: skip


def _result(r: MemberResult) -> str:
    if r.score is None:
        return _("未参加")
    return _("及格") if r.passed else _("未及格")


def items_table(name: str, title: str, rows: list[ItemStat]) -> Table:
    """Item analysis, weakest question first."""
    headers = [
        _("题目"), _("题号"), _("作答"), _("答对"), _("正确率 (%)"),
        _("最常见错选"), _("错选次数"), _("区分度"), _("相关课文"),
    ]  # fmt: skip
    body = [
        [r.stem, r.slug, r.answered, r.correct, percent(r.facility),
         f"{r.wrong_key}. {r.wrong_text or ''}".strip() if r.wrong_key else None,
         r.wrong_count or None,
         None if r.discrimination is None else round(r.discrimination, 2), r.lesson]
        for r in rows
    ]  # fmt: skip
    return Table(name, title, headers, body)


def trends_table(name: str, title: str, rows: list[TrendDay]) -> Table:
    """30 days of participation and average score."""
    return Table(
        name, title,
        [_("日期"), _("参与率 (%)"), _("平均得分")],
        [[r.day, percent(r.rate), one(r.score)] for r in rows],
    )  # fmt: skip


def branches_table(name: str, title: str, rows: list[BranchToday]) -> Table:
    """Each branch's day so far."""
    return Table(
        name, title,
        [_("支部"), _("编码"), _("参与统计人数"), _("今日已达标"), _("达标率 (%)")],
        [[r.name, r.code, r.eligible, r.met, percent(r.rate)] for r in rows],
    )  # fmt: skip


def file_stem(kind: str, code: str, day: date) -> str:
    """An ASCII file name stem such as ``today-DY-03-2026-11-20``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in code)
    return f"{kind}-{safe}-{day.isoformat()}"
