"""``studyapp org import``: CSV/XLSX, English/Chinese headers, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from studyapp.auth.models import RoleGrant, User
from studyapp.auth.service import check_password
from studyapp.org.models import OrgUnit

UNITS_EN = """code,name,kind,parent
XM,厦门市委组织部机关党委,committee,
XM-01,第一党支部,branch,XM
XM-02,第二党支部,branch,XM
XM-01-1,第一党小组,group,XM-01
"""
MEMBERS_ZH = """账号,姓名,所在支部,角色,免于统计,初始密码
13800000001,王建国,XM-01,书记,,password01
13800000002,李秀英,XM-01,党员,年老体弱,
13800000003,张志强,XM-02,,,password03
admin01,周组织,XM,管理员,,password04
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def counts(session) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (
        session.scalar(select(func.count(OrgUnit.id))),
        session.scalar(select(func.count(User.id))),
        session.scalar(select(func.count(RoleGrant.id))),
    )


def run_import(runner, *paths: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["org", "import", *map(str, paths)])


def test_csv_import_creates_tree_people_and_roles(runner, tmp_path, app, db):
    units = write(tmp_path, "units.csv", UNITS_EN)
    members = write(tmp_path, "members.csv", MEMBERS_ZH)
    result = run_import(runner, units, members)
    assert result.exit_code == 0, result.output
    assert "组织：新增 4" in result.output and "党员：新增 4" in result.output
    with db() as s:
        wang = s.scalar(select(User).where(User.username == "13800000001"))
        li = s.scalar(select(User).where(User.username == "13800000002"))
        admin = s.scalar(select(User).where(User.username == "admin01"))
        group = s.scalar(select(OrgUnit).where(OrgUnit.code == "XM-01-1"))
        assert wang.branch.code == "XM-01" and [g.role for g in wang.grants] == [
            "secretary"
        ]
        assert check_password(wang.password_hash, "password01")
        assert li.exempt_reason == "年老体弱" and li.grants == []
        assert admin.grants[0].unit.parent_id is None  # global admin
        assert group.parent.code == "XM-01" and group.path.startswith(wang.branch.path)


def test_generated_passwords_are_reported_once(runner, tmp_path):
    units = write(tmp_path, "units.csv", UNITS_EN)
    members = write(tmp_path, "members.csv", MEMBERS_ZH)
    result = run_import(runner, units, members)
    assert "13800000002" in result.output.split("生成的初始密码")[1]
    again = run_import(runner, units, members)
    assert "生成的初始密码" not in again.output


def test_reimporting_the_same_files_changes_nothing(runner, tmp_path, db):
    files = [
        write(tmp_path, "units.csv", UNITS_EN),
        write(tmp_path, "m.csv", MEMBERS_ZH),
    ]
    run_import(runner, *files)
    with db() as s:
        before = counts(s)
        hashes = dict(s.execute(select(User.username, User.password_hash)).all())
    result = run_import(runner, *files)
    assert result.exit_code == 0 and "没有变化" in result.output
    with db() as s:
        assert counts(s) == before
        assert (
            dict(s.execute(select(User.username, User.password_hash)).all()) == hashes
        )


def test_gbk_csv_from_excel_is_read(runner, tmp_path):
    units = write(tmp_path, "units.csv", UNITS_EN, encoding="gb18030")
    assert run_import(runner, units).exit_code == 0


def test_xlsx_with_units_and_members_sheets(runner, tmp_path, db):
    book = Workbook()
    sheet = book.active
    sheet.title = "units"
    for line in UNITS_EN.strip().splitlines():
        sheet.append(line.split(","))
    members = book.create_sheet("members")
    for line in MEMBERS_ZH.strip().splitlines():
        members.append([c or None for c in line.split(",")])
    path = tmp_path / "org.xlsx"
    book.save(path)
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    with db() as s:
        assert counts(s)[:2] == (4, 4)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            "username,name,branch\n13800000009,赵六,NOPE\n",
            "members.csv:2: 所在支部 NOPE 不存在",
        ),
        ("username,name,branch\n1,赵六,XM-01\n", "members.csv:2: 账号“1”无效"),
        (
            "username,name,branch,role\n13800000009,赵六,XM-01,boss\n",
            "members.csv:2: 角色“boss”无效",
        ),
        ("username,name,branch\n13800000009,,XM-01\n", "members.csv:2: 姓名不能为空"),
        ("username,name,branch\n13800000009,赵六,XM\n", "members.csv:2: XM 不是党支部"),
        (
            "username,name,branch\n13800000009,赵六,XM-01\n13800000009,钱七,XM-02\n",
            "members.csv:3: 账号 13800000009 重复（见 ",
        ),
        (
            "username,name,branch,password\n13800000009,赵六,XM-01,short\n",
            "members.csv:2: 初始密码至少 8 位",
        ),
        (
            "username,name,branch\n13800000009," + "名" * 101 + ",XM-01\n",
            "members.csv:2: 姓名太长（101 个字，最多 100 个）",
        ),
        (
            "username,name,branch,exempt\n13800000009,赵六,XM-01," + "因" * 201 + "\n",
            "members.csv:2: 免于统计的原因太长（最多 200 个字）",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    runner, tmp_path, db, members, message
):
    # A good row comes last: it must not be imported either.
    units = write(tmp_path, "units.csv", UNITS_EN)
    bad = write(tmp_path, "members.csv", members + "13800000008,好人,XM-01\n")
    result = run_import(runner, units, bad)
    assert result.exit_code == 1
    assert message in result.output
    assert "未导入任何内容" in result.output
    with db() as s:
        assert counts(s) == (0, 0, 0)


@pytest.mark.parametrize(
    ("units", "message"),
    [
        (
            "code,name,kind,parent\nX,甲,branch,MISSING\n",
            "units.csv:2: 上级编码 MISSING 不存在",
        ),
        ("code,name,kind,parent\nX,甲,factory,\n", "units.csv:2: 类型“factory”无效"),
        (
            "code,name,kind,parent\nX," + "长" * 201 + ",committee,\n",
            "units.csv:2: 组织名称太长（201 个字，最多 200 个）",
        ),
        ("code,name,kind,parent\nX Y,甲,branch,\n", "units.csv:2: 组织编码“X Y”无效"),
        ("code,name,kind,parent\nX,甲,group,\n", "units.csv:2: 党小组不能设在顶层"),
        (
            "code,name,kind,parent\nX,甲,committee,\nX,乙,committee,\n",
            "units.csv:3: 组织编码 X 重复",
        ),
        (
            "code,name,kind,parent\nP,甲,committee,Q\nQ,乙,committee,P\n",
            "上级关系形成了循环",
        ),
    ],
)
def test_bad_unit_rows_are_reported(runner, tmp_path, db, units, message):
    result = run_import(runner, write(tmp_path, "units.csv", units))
    assert result.exit_code == 1 and message in result.output
    with db() as s:
        assert counts(s) == (0, 0, 0)


def test_every_bad_row_is_reported_not_just_the_first(runner, tmp_path):
    units = write(tmp_path, "units.csv", UNITS_EN)
    members = write(
        tmp_path, "members.csv", "username,name,branch\nx,甲,XM-01\ny,乙,NOPE\n"
    )
    result = run_import(runner, units, members)
    assert "members.csv:2:" in result.output and "members.csv:3:" in result.output


def test_unrecognised_header_is_reported_at_row_1(runner, tmp_path):
    path = write(tmp_path, "x.csv", "foo,bar\n1,2\n")
    result = run_import(runner, path)
    assert result.exit_code == 1 and "x.csv:1: 无法识别表头" in result.output


def test_a_moved_branch_takes_its_subtree_along(runner, tmp_path, db):
    run_import(runner, write(tmp_path, "units.csv", UNITS_EN))
    moved = UNITS_EN.replace(
        "XM-02,第二党支部,branch,XM", "XM-02,第二党支部,branch,XM-GEN"
    )
    moved += "XM-GEN,机关党总支,general_branch,XM\n"
    moved = moved.replace(
        "XM-01,第一党支部,branch,XM", "XM-01,第一党支部,branch,XM-GEN"
    )
    result = run_import(runner, write(tmp_path, "units2.csv", moved))
    assert result.exit_code == 0, result.output
    with db() as s:
        gen = s.scalar(select(OrgUnit).where(OrgUnit.code == "XM-GEN"))
        group = s.scalar(select(OrgUnit).where(OrgUnit.code == "XM-01-1"))
        assert group.path.startswith(gen.path)


def test_user_create_command_names_the_bad_field(runner, tmp_path):
    run_import(runner, write(tmp_path, "units.csv", UNITS_EN))
    ok = runner.invoke(
        args=[
            "user",
            "create",
            "13900000001",
            "--name",
            "孙八",
            "--unit",
            "XM-01",
            "--password",
            "password-1",
        ]
    )
    assert ok.exit_code == 0, ok.output
    dup = runner.invoke(
        args=[
            "user",
            "create",
            "13900000001",
            "--name",
            "孙八",
            "--unit",
            "XM-01",
            "--password",
            "password-1",
        ]
    )
    assert dup.exit_code == 1 and "--username" in dup.output and "已存在" in dup.output
    bad_unit = runner.invoke(
        args=[
            "user",
            "create",
            "13900000002",
            "--name",
            "孙九",
            "--unit",
            "NOPE",
            "--password",
            "password-1",
        ]
    )
    assert bad_unit.exit_code == 1 and "--unit" in bad_unit.output


def test_a_closed_unit_takes_no_rows_and_no_members(runner, tmp_path, db):
    """A closed branch's code is never used again: rows naming it, a unit under
    it or a member in it are errors with their row, and nothing is imported."""
    run_import(runner, write(tmp_path, "units.csv", UNITS_EN))
    with db() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "XM-02"))
        unit.closed_at = unit.created_at
        s.commit()
        before = counts(s)
    rows = UNITS_EN.replace("第二党支部", "改名") + "XM-02-1,新小组,group,XM-02\n"
    members = "username,name,branch\n13800000009,赵六,XM-02\n13800000008,好人,XM-01\n"
    result = run_import(
        runner, write(tmp_path, "units.csv", rows), write(tmp_path, "m.csv", members)
    )
    assert result.exit_code == 1
    assert "units.csv:4: 组织 XM-02 已撤销，编码不能再用" in result.output
    assert "units.csv:6: 上级组织 XM-02 已撤销" in result.output
    assert "m.csv:2: 所在支部 XM-02 已撤销" in result.output
    with db() as s:
        assert counts(s) == before
        assert (
            s.scalar(select(OrgUnit.name).where(OrgUnit.code == "XM-02"))
            == "第二党支部"
        )
