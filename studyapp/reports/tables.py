"""PURE: report payloads → titled Tables: one shape for the page, the print view,
the XLSX/CSV exports and the API's rows (so a spreadsheet is exactly what the
secretary saw).

Translation happens at the edge: every function takes the edge's gettext as
``_`` (Flask-Babel's in views and the API; the strings are extracted from
here). Links are the HTML edge's business too; tables carry none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from studyapp.reports.export import Cell, Table
from studyapp.reports.payloads import (
    BranchesReport,
    ItemsReport,
    MembersReport,
    QuizReport,
    QuizResultRow,
    QuizzesReport,
    RankingReport,
    Report,
    TodayReport,
    TrendsReport,
)
from studyapp.timeutil import local

#: The edge's gettext: ``_("%(n)d 名", n=3)``.
Gettext = Callable[..., str]


def percent(value: float | None) -> float | None:
    """A share as a percentage with one decimal (None stays None)."""
    return None if value is None else round(value * 100, 1)


def one(value: float | None) -> float | None:
    """A number with one decimal (None stays None)."""
    return None if value is None else round(value, 1)


def when(at: datetime | None) -> datetime | None:
    """An aware instant as Asia/Shanghai wall time (spreadsheets have no zones)."""
    return local(at).replace(tzinfo=None) if at else None


def occurrence_label(opens_at: datetime, closes_at: datetime, _: Gettext) -> str:
    """An occurrence in words, by its Asia/Shanghai days: 「11月30日–12月6日」.

    A window closing at or before the hour it opened (a weekly quiz open
    Monday 08:00 to the next Monday 08:00) ends on the day before.
    """
    start, end = local(opens_at), local(closes_at)
    last = end.date()
    if last > start.date() and end.time() <= start.time():
        last = date.fromordinal(last.toordinal() - 1)
    first = _("%(m)d月%(d)d日", m=start.month, d=start.day)
    if last == start.date():
        return first
    return f"{first}–{_('%(m)d月%(d)d日', m=last.month, d=last.day)}"


def section_titles(_: Gettext) -> dict[str, str]:
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


def period_labels(_: Gettext) -> dict[str, str]:
    """Labels of the ranking periods."""
    return {"week": _("本周"), "month": _("本月"), "year": _("今年")}


def state_label(state: str, _: Gettext) -> str:
    """Today's state of a member, in words."""
    return {
        "met": _("已达标"),
        "started": _("学习中"),
        "not_started": _("未开始"),
        "excused": _("请假"),
        "exempt": _("免于统计"),
    }[state]


def file_stem(kind: str, code: str, day: date) -> str:
    """An ASCII file name stem such as ``today-DY-03-2026-11-20``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in code)
    return f"{kind}-{safe}-{day.isoformat()}"


def table_of(report: Report, _: Gettext) -> Table:
    """The table of any dashboard section."""
    return _BUILDERS[report.section](report, _)


def today_table(r: TodayReport, _: Gettext) -> Table:
    """Today's members, not started first."""
    return Table(
        file_stem("today", r.unit.code, r.day),
        _("%(unit)s 今日学习（%(day)s）", unit=r.unit.name, day=r.day),
        [_("姓名"), _("账号"), _("状态"), _("分钟"), _("积分")],
        [[m.name, m.username, state_label(m.state, _), m.minutes, m.points]
         for m in r.rows],
        card_columns=[0, 2, 3],
    )  # fmt: skip


def members_table(r: MembersReport, _: Gettext) -> Table:
    """Members' week or month."""
    headers = [
        _("姓名"), _("账号"), _("分钟"), _("达标天数"), _("积分"), _("答题次数"),
        _("连续天数"), _("本月读书"), _("读书进度 (%)"), _("统计"),
    ]  # fmt: skip
    body: list[list[Cell]] = [
        [m.name, m.username, m.minutes, m.goal_days, m.points, m.quizzes, m.streak,
         m.book, m.book_percent, _("免于统计") if m.exempt else _("参与统计")]
        for m in r.rows
    ]  # fmt: skip
    title = _("%(unit)s %(period)s学习情况", unit=r.unit.name,
              period=period_labels(_)[r.period])  # fmt: skip
    return Table(file_stem(f"members-{r.period}", r.unit.code, r.day), title,
                 headers, body, card_columns=[0, 2, 3, 4])  # fmt: skip


def ranking_table(r: RankingReport, _: Gettext) -> Table:
    """A branch's member ranking, or the branch leaderboard of a higher unit."""
    label = period_labels(_)[r.period]
    if r.members is not None:
        return Table(
            file_stem(f"members-rank-{r.period}", r.unit.code, r.day),
            _("%(unit)s 党员%(period)s排行", unit=r.unit.name, period=label),
            [_("排名"), _("姓名"), _("达标天数"), _("积分"), _("分钟")],
            [[m.rank, m.name, m.goal_days, m.points, m.minutes] for m in r.members],
            card_columns=[1, 0, 2, 3],
        )
    headers = [
        _("排名"), _("支部"), _("编码"), _("参与统计人数"), _("参与率 (%)"),
        _("人均积分"), _("平均得分"), _("名次变化"), _("上期参与率 (%)"), _("备注"),
    ]  # fmt: skip
    body: list[list[Cell]] = [
        [s.rank, s.branch.name, s.branch.code, s.eligible_members,
         percent(s.participation_rate), one(s.avg_points), one(s.avg_quiz_score),
         s.rank_change, percent(s.previous_rate), _("人数较少") if s.small else None]
        for s in r.branches or []
    ]  # fmt: skip
    title = _("%(unit)s 各支部%(period)s排行", unit=r.unit.name, period=label)
    return Table(file_stem(f"ranking-{r.period}", r.unit.code, r.day), title,
                 headers, body, link_column=1,
                 card_columns=[1, 0, 4, 5])  # fmt: skip


def quizzes_table(r: QuizzesReport, _: Gettext) -> Table:
    """Quiz occurrences of the last 90 days."""
    headers = [
        _("答题"), _("期次"), _("开始"), _("截止"), _("应参加"), _("已参加"),
        _("参与率 (%)"), _("及格"), _("及格率 (%)"), _("平均分"),
    ]  # fmt: skip
    body: list[list[Cell]] = [
        [q.title, occurrence_label(q.opens_at, q.closes_at, _), when(q.opens_at),
         when(q.closes_at), q.eligible, q.taken,
         percent(q.take_rate), q.passed, percent(q.pass_rate), one(q.avg_score)]
        for q in r.rows
    ]  # fmt: skip
    title = _("%(unit)s 近 90 天答题", unit=r.unit.name)
    return Table(file_stem("quizzes", r.unit.code, r.day), title, headers, body,
                 card_columns=[0, 1, 6, 9])  # fmt: skip


def quiz_table(r: QuizReport, _: Gettext) -> Table:
    """Members' results in one occurrence."""
    s = r.summary
    return Table(
        file_stem(f"quiz-{s.occurrence_id}", r.unit.code, r.day),
        _("%(quiz)s（%(key)s）%(unit)s 成绩", quiz=s.title,
          key=occurrence_label(s.opens_at, s.closes_at, _),
          unit=r.unit.name),
        [_("姓名"), _("账号"), _("得分"), _("结果"), _("提交时间")],
        [[m.name, m.username, one(m.score), result_label(m, _), when(m.submitted_at)]
         for m in r.rows],
        card_columns=[0, 2, 3],
    )  # fmt: skip


def result_label(m: QuizResultRow, _: Gettext) -> str:
    """A member's result in words."""
    if m.score is None:
        return _("未参加")
    return _("及格") if m.passed else _("未及格")


def items_table(r: ItemsReport, _: Gettext) -> Table:
    """Item analysis, weakest question first."""
    headers = [
        _("题目"), _("题号"), _("作答"), _("答对"), _("正确率 (%)"),
        _("最常见错选"), _("错选次数"), _("区分度"), _("相关课文"),
    ]  # fmt: skip
    body: list[list[Cell]] = [
        [i.stem, i.question_id, i.answered, i.correct, percent(i.facility),
         f"{i.wrong_key}. {i.wrong_text or ''}".strip() if i.wrong_key else None,
         i.wrong_count or None,
         None if i.discrimination is None else round(i.discrimination, 2),
         i.lesson_title or i.lesson]
        for i in r.rows
    ]  # fmt: skip
    title = _("%(unit)s 近 %(n)d 天题目分析", unit=r.unit.name, n=r.days)
    return Table(file_stem(f"items-{r.days}", r.unit.code, r.day), title, headers,
                 body, card_columns=[0, 4, 5])  # fmt: skip


def trends_table(r: TrendsReport, _: Gettext) -> Table:
    """30 days of participation and average score."""
    return Table(
        file_stem("trends", r.unit.code, r.day),
        _("%(unit)s 近 30 天趋势", unit=r.unit.name),
        [_("日期"), _("参与率 (%)"), _("平均得分")],
        [[t.day, percent(t.rate), one(t.score)] for t in r.rows],
    )


def branches_table(r: BranchesReport, _: Gettext) -> Table:
    """Each branch's day so far."""
    return Table(
        file_stem("branches", r.unit.code, r.day),
        _("%(unit)s 各支部今日学习", unit=r.unit.name),
        [_("支部"), _("编码"), _("参与统计人数"), _("今日已达标"), _("达标率 (%)")],
        [[b.name, b.code, b.eligible, b.met, percent(b.rate)] for b in r.rows],
        card_columns=[0, 4, 3],
    )  # fmt: skip


def json_cell(value: Cell) -> str | float | int | None:
    """A table cell as JSON: dates in ISO form, times as Shanghai wall time."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


_BUILDERS: dict[str, Callable[[Any, Gettext], Table]] = {
    "today": today_table,
    "members": members_table,
    "ranking": ranking_table,
    "quizzes": quizzes_table,
    "quiz": quiz_table,
    "items": items_table,
    "trends": trends_table,
    "branches": branches_table,
}
