"""Edge helpers: report payloads as 支部 pages, fragments and export files.

Shared by the HTML views of the 支部 tab (``org.views`` for the unit and member
pages, ``reports.views`` for sections, print and exports), the way ``web`` is
shared by all views: gettext and links are added here, at the edge, to the
typed reports the actions return (``reports.tables`` builds the tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask import Response, url_for
from flask_babel import gettext

from studyapp.progress import charts
from studyapp.reports import tables
from studyapp.reports.export import Table, to_csv, to_xlsx
from studyapp.reports.payloads import Report, ReportUnit
from studyapp.web import render_page

#: The fragment of each section (the page includes it; htmx gets it alone).
TEMPLATES = {
    "today": "reports/_today.html",
    "members": "reports/_members.html",
    "quizzes": "reports/_table_section.html",
    "quiz": "reports/_quiz.html",
    "items": "reports/_items.html",
    "trends": "reports/_trends.html",
    "ranking": "reports/_ranking.html",
    "branches": "reports/_table_section.html",
}
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Section:
    """A report as a page shows it: title, table with links, export arguments."""

    name: str
    title: str
    table: Table
    template: str
    #: Query arguments that reproduce this view (for export links).
    args: dict[str, Any] = field(default_factory=dict)


def section_of(report: Report) -> Section:
    """The page's view of one report (its table carries the page's links)."""
    table = tables.table_of(report, gettext)
    table = replace(table, links=_links(report))
    return Section(report.section, table.title, table, TEMPLATES[report.section],
                   _args(report))  # fmt: skip


def _links(r: Any) -> list[str | None]:
    if r.section == "members":
        return [url_for("org.member", username=m.username) for m in r.rows]
    if r.section == "ranking" and r.branches is not None:
        return [url_for("org.unit_members", code=s.branch.code) for s in r.branches]
    if r.section == "quizzes":
        return [
            url_for(
                "reports.quiz_results", code=r.unit.code, occurrence_id=q.occurrence_id
            )
            for q in r.rows
        ]
    if r.section == "items":
        return [url_for("content.lesson", slug=i.lesson) if i.lesson else None
                for i in r.rows]  # fmt: skip
    if r.section == "branches":
        return [url_for("org.unit_members", code=b.code) for b in r.rows]
    return []


def _args(r: Any) -> dict[str, Any]:
    if r.section in ("members", "ranking"):
        return {"period": r.period}
    if r.section == "items":
        return {"days": r.days}
    if r.section == "quiz":
        return {"occurrence": r.summary.occurrence_id}
    return {}


def tabs(unit: ReportUnit) -> list[tuple[str, str, str]]:
    """(name, label, url) of the unit's section tabs."""
    titles = tables.section_titles(gettext)
    return [
        (name, titles[name], url_for("reports.section", code=unit.code, name=name))
        for name in unit.sections
    ]


def render_report(report: Report) -> Response:
    """A dashboard section: the whole page, or the section alone for htmx."""
    sec = section_of(report)
    return render_page(
        "reports/section.html", partial=sec.template, report=report,
        unit=report.unit, section=sec, tabs=tabs(report.unit),
        labels=tables.period_labels(gettext), **_charts(report),
    )  # fmt: skip


def _charts(r: Any) -> dict[str, Any]:
    """The trend lines of a trends report (drawn on the server, no script)."""
    if r.section != "trends":
        return {}
    labels = [t.day.strftime("%m-%d") for t in r.rows]
    rates = [tables.percent(t.rate) for t in r.rows]
    return {
        "rate_chart": charts.line_chart(rates, labels, top=100),
        "score_chart": charts.line_chart([t.score for t in r.rows], labels, top=100),
    }


def export_file(report: Report, fmt: str) -> Response:
    """One report's table as an XLSX or CSV download (what the page shows)."""
    table = tables.table_of(report, gettext)
    data = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    resp = Response(data, mimetype=MIMETYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
