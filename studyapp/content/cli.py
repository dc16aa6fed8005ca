"""``studyapp content check|publish|add-ids``: the authors' command line."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from studyapp.audit.models import record
from studyapp.content import publishing
from studyapp.content.format import checker
from studyapp.content.format.ids import add_missing_ids
from studyapp.content.format.parser import parse_file
from studyapp.content.models import Question
from studyapp.db import get_session
from studyapp.timeutil import utcnow

cli = AppGroup("content", help="课程与题库 (lessons and question banks)")
PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [Path(current_app.config["CONTENT_DIR"])]


def _to_check(targets: list[Path]) -> list[Path]:
    """Files inside the content folder are checked with the whole folder, so
    their references to other files resolve; other paths are checked alone."""
    root = Path(current_app.config["CONTENT_DIR"]).resolve()
    inside = all(t.resolve().is_relative_to(root) for t in targets)
    return [root] if inside and root.is_dir() else targets


def _print_issues(report: checker.Report) -> None:
    for issue in report.issues:
        click.echo(str(issue), err=issue.is_error)
    click.echo(report.summary())


@cli.command("check")
@PATHS
def check_command(paths: tuple[Path, ...]) -> None:
    """Report every problem as path:line: error|warning: message (exit 1 on errors)."""
    targets = _paths(paths)
    report = checker.check_tree(_to_check(targets))
    wanted = [t.resolve() for t in targets]
    issues = tuple(
        i
        for i in report.issues
        if any(Path(i.path).resolve().is_relative_to(t) for t in wanted)
    )
    report = replace(report, issues=issues)
    _print_issues(report)
    if not report.ok:
        sys.exit(1)


@cli.command("publish")
@PATHS
def publish_command(paths: tuple[Path, ...]) -> None:
    """Check, then publish everything in one transaction, or nothing."""
    targets = _paths(paths)
    report = checker.check_tree(_to_check(targets))
    if not report.ok:
        _print_issues(report)
        click.echo("有错误，未发布任何内容。", err=True)
        sys.exit(1)
    for warning in report.warnings:
        click.echo(str(warning))
    session = get_session()
    now = utcnow()
    with click.progressbar(
        length=publishing.work_units(report), label="发布中", file=sys.stderr
    ) as bar:
        summary = publishing.publish_report(
            session,
            report,
            content_root=Path(current_app.config["CONTENT_DIR"]),
            scope=targets,
            now=now,
            progress=bar.update,
        )
    record(
        session,
        action="content.publish",
        at=now,
        target=",".join(str(p) for p in targets),
        detail={"changes": len(summary.changes), "unchanged": summary.unchanged},
    )
    session.commit()
    for line in summary.lines():
        click.echo(line)
    scheduled = [c for c in summary.changes if c.action == "scheduled"]
    for change in scheduled:
        click.echo(f"  定时：{change.slug}（{change.title}）")


@cli.command("add-ids")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
def add_ids_command(paths: tuple[Path, ...]) -> None:
    """Write missing {#id}s into question headings; nothing else changes."""
    files, _ = checker.collect_files(paths)
    used = _known_question_ids(files)
    total = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")  # keep CRLF as written
        doc, _issues = parse_file(str(path), text)
        if doc is None or not hasattr(doc, "questions"):
            continue
        new_text, added = add_missing_ids(text, doc.id, used)
        if added:
            path.write_bytes(new_text.encode("utf-8"))
            used.update(added)
            total += len(added)
            click.echo(f"{path}: 添加了 {len(added)} 个 id（{added[0]} …）")
    click.echo(f"共添加 {total} 个 id。" if total else "所有题目都已有 id。")


def _known_question_ids(files: list[Path]) -> set[str]:
    """Ids in the whole content tree and in the database (retired ones too)."""
    root = Path(current_app.config["CONTENT_DIR"])
    report = checker.check_tree([root, *files] if root.exists() else files)
    used = {q.id for q in report.questions}
    used.update(get_session().scalars(select(Question.slug)))
    return used
