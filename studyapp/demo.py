"""``studyapp demo``: a demo organisation and logins for trying StudyApp out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from studyapp.auth import service as auth_service
from studyapp.auth.roles import Role
from studyapp.content import publishing
from studyapp.content.format import checker
from studyapp.db import get_session
from studyapp.demo_history import seed_history
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.service import create_unit, unit_by_code
from studyapp.progress.settings import defaults
from studyapp.timeutil import utcnow

#: The published demo password (README): used in development only; elsewhere
#: every demo login gets a generated one, written to a mode-600 file.
PASSWORD = "demo2026"
ROOT = "DEMO"
PASSWORDS_FILE = "demo-passwords.csv"

#: (code, name, kind, parent code)
UNITS = [
    (ROOT, "城关镇党委", UnitKind.COMMITTEE, None),
    ("DEMO-JG", "镇机关党总支", UnitKind.GENERAL_BRANCH, ROOT),
    ("DEMO-JG-01", "机关第一党支部", UnitKind.BRANCH, "DEMO-JG"),
    ("DEMO-JG-02", "机关第二党支部", UnitKind.BRANCH, "DEMO-JG"),
    ("DEMO-SQ-01", "东风社区党支部", UnitKind.BRANCH, ROOT),
    ("DEMO-CUN-01", "柳河村党支部", UnitKind.BRANCH, ROOT),
    ("DEMO-CUN-01-1", "柳河村第一党小组", UnitKind.GROUP, "DEMO-CUN-01"),
    ("DEMO-QY-01", "新材料公司党支部", UnitKind.BRANCH, ROOT),
]
BRANCHES = ["DEMO-JG-01", "DEMO-JG-02", "DEMO-SQ-01", "DEMO-CUN-01", "DEMO-QY-01"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "海燕",
    "国华",
    "丽娟",
    "文斌",
    "玉梅",
    "红军",
    "春生",
    "晓东",
    "淑芬",
    "卫东",
    "明亮",
    "雪梅",
    "振华",
    "金凤",
]
#: (branch index, member index) → exemption reason
EXEMPT = {(3, 6): "年老体弱", (4, 5): "流动党员（外出务工）"}


def demo_people() -> list[tuple[str, str, str, Role, str | None]]:
    """(username, name, unit code, role, exempt reason) of every demo person."""
    people: list[tuple[str, str, str, Role, str | None]] = [
        ("admin", "周组织", ROOT, Role.ADMIN, None)
    ]
    n = 0
    for b, code in enumerate(BRANCHES):
        people.append((f"shuji{b + 1:02d}", _name(n), code, Role.SECRETARY, None))
        n += 1
        for m in range(7 if b != 2 else 8):
            username = f"139{b + 1:04d}{m + 1:04d}"
            people.append((username, _name(n), code, Role.MEMBER, EXEMPT.get((b, m))))
            n += 1
    return people


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]


def demo_passwords(env: str) -> dict[str, str]:
    """Each demo login's password: the published one only in development."""
    people = [p[0] for p in demo_people()]
    if env == "development":
        return dict.fromkeys(people, PASSWORD)
    return {username: auth_service.generate_password() for username in people}


def seed_org(session: Session, passwords: Mapping[str, str]) -> bool:
    """Create the demo units and people unless they exist; True if created.

    Everyone joined 60 days ago, so the 30 days of history count for them.
    """
    if unit_by_code(session, ROOT) is not None:
        return False
    now = utcnow() - timedelta(days=60)
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in UNITS:
        units[code] = create_unit(
            session,
            code=code,
            name=name,
            kind=kind,
            parent=units.get(parent or ""),
            now=now,
        )
    for username, name, code, role, exempt in demo_people():
        auth_service.create_user(
            session,
            username=username,
            name=name,
            unit=units[code],
            password=passwords[username],
            now=now,
            role=role,
            exempt_reason=exempt,
        )
    session.flush()
    return True


def load_demo(
    app: Flask, history_days: int = 30, passwords: Mapping[str, str] | None = None
) -> bool:
    """Migrate the database and load the demo data (idempotent; app context).

    Without ``passwords``: :func:`demo_passwords` for the app's ENV.
    """
    from studyapp.migrate import upgrade

    upgrade()
    session = get_session()
    created = seed_org(session, passwords or demo_passwords(app.config["ENV"]))
    publish_content(session, demo_content_dir(app))
    session.commit()
    if created and history_days:
        seed_history(
            session,
            defaults(session),
            utcnow(),
            history_days,
        )
        session.commit()
    return created


def demo_content_dir(app: Flask) -> Path:
    """CONTENT_DIR, or StudyApp's sample content when that folder does not exist."""
    from studyapp.ops.paths import sample_content_dir

    configured = Path(app.config["CONTENT_DIR"])
    return configured if configured.is_dir() else sample_content_dir()


def publish_content(session: Session, root: Path) -> list[str]:
    """Publish the content tree if it checks clean; returns the summary lines."""
    if not root.is_dir():
        return []
    report = checker.check_tree([root])
    if not report.ok:
        raise click.ClickException(
            "内容有错误，演示内容未发布：\n" + "\n".join(map(str, report.errors))
        )
    summary = publishing.publish_report(
        session, report, content_root=root, scope=[root], now=utcnow()
    )
    return summary.lines()


REFUSED = (
    "STUDYAPP_ENV=production：演示数据会建一个能看全部组织的管理员 admin，已拒绝，"
    "什么也没改；只在演示服务器上加 --yes-this-is-a-demo。\n"
    "Refused in production (it adds a global admin): on a demo server only, "
    "add --yes-this-is-a-demo."
)


@click.command("demo")
@click.option("--days", default=30, show_default=True, help="Days of study history.")
@click.option(
    "--yes-this-is-a-demo",
    "confirmed",
    is_flag=True,
    help="Run in production anyway (a server that is only a demo).",
)
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Outside development: where the generated passwords go "
    f"(default: instance/{PASSWORDS_FILE}, mode 600).",
)
@with_appcontext
def demo_command(days: int, confirmed: bool, passwords_out: Path | None) -> None:
    """Migrate, then load the demo organisation, people, content and history."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    env = app.config["ENV"]
    if env == "production" and not confirmed:
        raise click.ClickException(REFUSED)
    from studyapp.migrate import upgrade

    upgrade()
    fresh = unit_by_code(get_session(), ROOT) is None
    passwords = demo_passwords(env)
    out = passwords_out or Path(app.instance_path) / PASSWORDS_FILE
    if fresh and env != "development":
        _write_passwords(out, passwords)  # first: a password is never lost
    created = load_demo(app, history_days=days, passwords=passwords)
    click.echo("演示数据已创建。" if created else "演示数据已存在，未重复创建。")
    if env == "development":
        click.echo(f"演示账号（密码都是 {PASSWORD}）：")
    elif created:
        click.echo(f"演示账号的密码是随机生成的，已写入 {out}（仅所有者可读）：")
    else:
        click.echo("演示账号（密码见首次创建时写入的文件）：")
    click.echo("  管理员      admin")
    click.echo("  支部书记    shuji01 … shuji05")
    click.echo("  党员        13900010001（机关第一党支部）… 13900050007")


def _write_passwords(out: Path, passwords: Mapping[str, str]) -> None:
    from studyapp.ops.files import write_private_csv

    names = {p[0]: p[1] for p in demo_people()}
    rows = [(u, names[u], pw) for u, pw in passwords.items()]
    write_private_csv(out, ["账号", "姓名", "密码"], rows)
