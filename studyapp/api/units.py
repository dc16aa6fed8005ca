"""``/api/v1``: the 支部 tab — my units, each dashboard section, the print view,
the exports as JSON rows, the member-ranking switch and the group robot.

Every route calls the same action as its page (``reports.actions``,
``org.actions``, ``notify.actions``), so a secretary of branch A gets 403 for
branch B here exactly as on the pages.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_login import current_user
from pydantic import RootModel

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.notify import actions as notify
from studyapp.notify.payloads import RobotIn, RobotSettings
from studyapp.org import actions as org
from studyapp.org.payloads import MemberRankingIn, MemberRankingOut, MyUnits
from studyapp.reports import actions, tables
from studyapp.reports.payloads import (
    BranchesReport,
    ItemsReport,
    MembersReport,
    PrintReport,
    QuizReport,
    QuizzesReport,
    RankingReport,
    Report,
    ReportTable,
    SectionQuery,
    TodayReport,
    TrendsReport,
)
from studyapp.timeutil import utcnow

router = Router("units", "units", "支部: my units, their reports and settings.")
READ = (400, 401, 403, 404)


class Dashboard(RootModel[Report]):
    pass


@router.get("/units", ok=MyUnits, errors=(401, 403))
def my_units() -> Any:
    """The units my secretary/admin role covers, and the 党支部 under them."""
    return org.my_units(get_session(), current_user, utcnow())


@router.get("/units/<code>", ok=Dashboard)
def unit_dashboard(code: str) -> Any:
    """A unit's first section: ``today`` for a branch, ``branches`` above."""
    return Dashboard(actions.dashboard(get_session(), current_user, code, utcnow()))


@router.get("/units/<code>/today", ok=TodayReport)
def unit_today(code: str) -> Any:
    """今日: each member's state today, not started first."""
    return actions.today(get_session(), current_user, code, utcnow())


@router.get("/units/<code>/members", query=SectionQuery, ok=MembersReport,
            errors=READ)  # fmt: skip
def unit_members(code: str, query: SectionQuery) -> Any:
    """党员: each member's week or month so far (``period``: week | month)."""
    return actions.members(get_session(), current_user, code, query, utcnow())


@router.get("/units/<code>/quizzes", ok=QuizzesReport)
def unit_quizzes(code: str) -> Any:
    """答题: the branch's non-daily quizzes of the last 90 days."""
    return actions.quizzes_report(get_session(), current_user, code, utcnow())


@router.get("/units/<code>/quizzes/<int:occurrence_id>", ok=QuizReport)
def unit_quiz_results(code: str, occurrence_id: int) -> Any:
    """One quiz occurrence: every eligible member's best result."""
    return actions.quiz_results(
        get_session(), current_user, code, occurrence_id, utcnow()
    )


@router.get("/units/<code>/items", query=SectionQuery, ok=ItemsReport, errors=READ)
def unit_items(code: str, query: SectionQuery) -> Any:
    """题目分析 over ``days`` (30, 90 or 365), weakest question first."""
    return actions.items_report(get_session(), current_user, code, query, utcnow())


@router.get("/units/<code>/trends", ok=TrendsReport)
def unit_trends(code: str) -> Any:
    """趋势: daily participation and average score, 30 days to yesterday."""
    return actions.trends(get_session(), current_user, code, utcnow())


@router.get("/units/<code>/ranking", query=SectionQuery, ok=RankingReport,
            errors=READ)  # fmt: skip
def unit_ranking(code: str, query: SectionQuery) -> Any:
    """排行: a branch's members, or the branches of a higher unit."""
    return actions.ranking(get_session(), current_user, code, query, utcnow())


@router.get("/units/<code>/branches", ok=BranchesReport)
def unit_branches(code: str) -> Any:
    """各支部: each branch's day so far (units above branches)."""
    return actions.branches(get_session(), current_user, code, utcnow())


@router.get("/units/<code>/print", query=SectionQuery, ok=PrintReport, errors=READ)
def unit_print(code: str, query: SectionQuery) -> Any:
    """Every section of the unit at once (the printable page)."""
    return actions.print_report(get_session(), current_user, code, query, utcnow())


@router.get("/units/<code>/tables/<name>", query=SectionQuery, ok=ReportTable,
            errors=READ)  # fmt: skip
def unit_table(code: str, name: str, query: SectionQuery) -> Any:
    """One section as its XLSX/CSV export has it: title, headers, rows."""
    report = actions.section(get_session(), current_user, code, name, query, utcnow())
    table = tables.table_of(report, gettext)
    rows = [[tables.json_cell(c) for c in row] for row in table.rows]
    return ReportTable(name=table.name, title=table.title, headers=table.headers,
                       rows=rows)  # fmt: skip


@router.put("/units/<code>/member-ranking", json=MemberRankingIn,
            ok=MemberRankingOut)  # fmt: skip
def set_member_ranking(code: str, json: MemberRankingIn) -> Any:
    """Let the branch's members see its member ranking, or stop it."""
    session = get_session()
    result = org.set_member_ranking(session, current_user, code, json, utcnow())
    session.commit()
    return result


@router.get("/units/<code>/robot", ok=RobotSettings)
def unit_robot(code: str) -> Any:
    """The branch's group robot (the URL carries its key)."""
    return notify.robot(get_session(), current_user, code, utcnow())


@router.put("/units/<code>/robot", json=RobotIn, ok=RobotSettings)
def save_unit_robot(code: str, json: RobotIn) -> Any:
    """Set the branch's group robot, or remove it with an empty ``url``."""
    session = get_session()
    result = notify.save_robot(session, current_user, code, json, utcnow())
    session.commit()
    return result
