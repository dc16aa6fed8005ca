"""``studyapp org import FILE…``: units and members from CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from studyapp.db import get_session
from studyapp.errors import ImportFailed
from studyapp.org import actions, importer
from studyapp.timeutil import utcnow

cli = AppGroup("org", help="组织与党员 (units and members)")


@cli.command("import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write generated initial passwords to this CSV instead of the screen.",
)
def import_command(files: tuple[Path, ...], passwords_out: Path | None) -> None:
    """Import units and members; all or nothing, safe to repeat."""
    session = get_session()
    try:
        total = importer.count_rows(importer.load_files(files))
        with click.progressbar(length=total, label="导入中", file=sys.stderr) as bar:
            summary = actions.import_files(
                session, files, now=utcnow(), progress=bar.update
            )
    except ImportFailed as exc:
        session.rollback()
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"发现 {len(exc.problems)} 个问题，未导入任何内容"
        ) from None
    session.commit()
    click.echo(
        f"组织：新增 {summary.units_created}，更新 {summary.units_updated}；"
        f"党员：新增 {summary.users_created}，更新 {summary.users_updated}"
    )
    if not summary.changed:
        click.echo("没有变化。")
    _report_passwords(summary.generated, passwords_out)


def _report_passwords(rows: list[tuple[str, str, str]], out: Path | None) -> None:
    if not rows:
        return
    if out is not None:
        from studyapp.ops.files import write_private_csv

        write_private_csv(out, ["账号", "姓名", "初始密码"], rows)
        click.echo(
            f"{len(rows)} 个初始密码已写入 {out}（仅所有者可读；首次登录须修改）"
        )
        return
    click.echo("生成的初始密码（首次登录须修改）：")
    for username, name, password in rows:
        click.echo(f"  {username}\t{name}\t{password}")
