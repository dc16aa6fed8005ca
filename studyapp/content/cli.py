"""``studyapp content check|publish|add-ids|convert``: the authors' command line.

Each command parses its arguments, calls one action of ``content.actions`` (the
web upload calls the same checks and publishing), commits, and prints;
``convert`` writes a Markdown bank from a spreadsheet or a Word paper.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NoReturn

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from studyapp.content import actions
from studyapp.content.convert import converter, sniff
from studyapp.content.convert.drafts import Progress
from studyapp.content.models import Question
from studyapp.content.payloads import CheckFailed, CheckReport, PathsIn
from studyapp.db import get_session
from studyapp.timeutil import utcnow

cli = AppGroup("content", help="课程与题库 (lessons and question banks)")
PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


def _print_issues(report: CheckReport) -> None:
    for issue in report.issues:
        click.echo(str(issue), err=issue.is_error)
    click.echo(report.summary)


@cli.command("check")
@PATHS
def check_command(paths: tuple[Path, ...]) -> None:
    """Report every problem as path:line: error|warning: message (exit 1 on errors)."""
    body = PathsIn(paths=list(paths))
    report = actions.check_paths(get_session(), None, body, utcnow())
    _print_issues(report)
    if not report.ok:
        sys.exit(1)


@cli.command("publish")
@PATHS
def publish_command(paths: tuple[Path, ...]) -> None:
    """Check, then publish everything in one transaction, or nothing."""
    session = get_session()
    with ExitStack() as stack:
        try:
            done = actions.publish_paths(session, None, PathsIn(paths=list(paths)),
                                         utcnow(), progress=_bar(stack))  # fmt: skip
        except CheckFailed as failed:
            _print_issues(failed.report)
            click.echo("有错误，未发布任何内容。", err=True)
            sys.exit(1)
    session.commit()
    for warning in (i for i in done.report.issues if not i.is_error):
        click.echo(str(warning))
    for line in done.changes.lines:
        click.echo(line)
    for change in (c for c in done.changes.changes if c.action == "scheduled"):
        click.echo(f"  定时：{change.id}（{change.title}）")


def _bar(stack: ExitStack) -> actions.Progress:
    """A progress bar on stderr, shown once publishing starts (after the check)."""
    bars: list[Any] = []

    def step(steps: int, total: int) -> None:
        if not bars:
            bar = click.progressbar(length=total, label="发布中", file=sys.stderr)
            bars.append(stack.enter_context(bar))
        bars[0].update(steps)

    return step


@cli.command("add-ids")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
def add_ids_command(paths: tuple[Path, ...]) -> None:
    """Write missing {#id}s into question headings; nothing else changes."""
    done = actions.add_ids(get_session(), None, PathsIn(paths=list(paths)), utcnow())
    for path, ids in done.files.items():
        click.echo(f"{path}: 添加了 {len(ids)} 个 id（{ids[0]} …）")
    click.echo(f"共添加 {done.total} 个 id。" if done.total else "所有题目都已有 id。")


@cli.command("convert")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path),
    help="the Markdown bank to write (its ids are kept when it exists)",
)  # fmt: skip
@click.option("--bank", help="bank id (default: the existing bank's, else OUT's stem)")
@click.option(
    "--title", help="bank title (default: the existing one, else FILE's stem)"
)
@click.option("--lesson", help="default lesson id for the questions")
def convert_command(
    source: Path, out: Path, bank: str | None, title: str | None, lesson: str | None
) -> None:
    """Convert FILE.xlsx or FILE.docx into a Markdown question bank (all or nothing)."""
    data, existing = _read_source(source), _read_existing(out)
    options = converter.ConvertOptions(bank=bank, title=title, lesson=lesson)
    with click.progressbar(
        length=converter.WORK, label="转换中", file=sys.stderr
    ) as bar:
        result = converter.convert_file(
            str(source), data, out_name=out.name, options=options, existing=existing,
            reserved=_database_ids(), progress=_advance(bar.update),
        )  # fmt: skip
    for issue in result.issues:
        click.echo(str(issue), err=issue.is_error)
    if not result.ok:
        _fail(f"{len(result.errors)} 个错误，没有写入 {out}。")
    _write_bank(out, result)
    click.echo(f"{out}：{result.summary()}")
    _hint_location(out)


def _hint_location(out: Path) -> None:
    if "quizzes" not in out.resolve().parent.parts:
        click.echo(
            "提示：题库要放在 content/quizzes/ 下，check 和 publish 才会读到它。"
        )


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _read_source(source: Path) -> bytes:
    problem = sniff.extension_problem(source.name)
    if problem:
        _fail(f"{source}: error: {problem}")
    try:
        return source.read_bytes()
    except FileNotFoundError:
        _fail(f"{source}: error: 文件不存在")
    except OSError as exc:
        _fail(f"{source}: error: 无法读取文件（{exc.strerror or exc}）")


def _read_existing(out: Path) -> str | None:
    """The bank file being replaced (its ids are kept), or None when it is new."""
    if out.suffix.lower() != ".md":
        _fail(f"{out}: error: 输出文件应为 .md（Markdown 题库）")
    if not out.exists():
        return None
    try:
        return out.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{out}: error: 无法读取已有的题库文件，不能覆盖它（{exc}）")


def _advance(update: Callable[[int], None]) -> Progress:
    """Turn ``progress(done, total)`` into the bar's ``update(steps)``."""
    shown = [0]

    def progress(done: int, total: int) -> None:
        update(done - shown[0])
        shown[0] = done

    return progress


def _database_ids() -> set[str]:
    """Question ids the database knows (retired ones too), never given out again.

    A database without tables (nothing published yet) knows none.
    """
    session = get_session()
    try:
        return set(session.scalars(select(Question.slug)))
    except SQLAlchemyError:
        session.rollback()
        return set()


def _write_bank(out: Path, result: converter.Conversion) -> None:
    """Pictures first, then the bank, replaced in one step (never half-written)."""
    temp = out.with_name(f".{out.name}.converting")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        for name, blob in result.images.items():
            (out.parent / name).parent.mkdir(parents=True, exist_ok=True)
            (out.parent / name).write_bytes(blob)
        temp.write_bytes(result.markdown.encode("utf-8"))
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        _fail(f"{out}: error: 无法写入（{exc.strerror or exc}）")
