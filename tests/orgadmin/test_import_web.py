"""管理 › 导入: upload → dry run (every row) → apply, from the web; bad files
each get a clear message and change nothing."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import User
from studyapp.auth.service import check_password
from tests.conftest import csrf_from
from tests.html import text_of
from tests.orgadmin.conftest import state, upload, xlsx

MEMBERS = [
    ["账号", "姓名", "所在支部", "角色", "免于统计", "初始密码"],
    ["13800000001", "王一新", "A", "", "", ""],  # changes name
    ["13800000002", "李二", "A", "书记", "", ""],  # new, generated password
    ["13800000003", "张三", "B", "", "年老体弱", "password03"],  # new, own password
]
GBK_CSV = ("账号,姓名,所在支部\r\n13800000001,王一,A\r\n13800000009,赵九,B\r\n").encode(
    "gbk"
)


def apply(client, page, token):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_from(page), "token": token}
    return client.post("/admin/import/apply", data=data)


def test_the_dry_run_lists_every_row_and_changes_nothing(client, login_as, county, db):
    before = state(db)
    login_as("admin")
    resp = upload(client, [("党员.xlsx", xlsx({"党员": MEMBERS}))])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200, page
    rows = text_of(page, "import-rows")
    assert "党员.xlsx[党员]:2" in rows and "修改" in rows and "王一 → 王一新" in rows
    assert "党员.xlsx[党员]:3" in rows and "新增" in rows
    assert "新增 2 行，修改 1 行，不变 0 行" in text_of(page, "import-summary")
    assert state(db) == before


def test_apply_imports_and_shows_generated_passwords_once(client, login_as, county, db):
    login_as("admin")
    page = upload(client, [("党员.xlsx", xlsx({"党员": MEMBERS}))]).get_data(
        as_text=True
    )
    token = re.search(r'name="token"[^>]*value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    done = apply(client, page, token)
    html = done.get_data(as_text=True)
    assert done.status_code == 200, html
    assert "党员：新增 2，更新 1" in html
    assert done.headers["Cache-Control"] == "no-store"
    link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)
    assert link, "no password file to download"
    import base64

    rows = list(
        csv.reader(io.StringIO(base64.b64decode(link.group(1)).decode("utf-8-sig")))
    )
    assert rows[0] == ["账号", "姓名", "初始密码"]
    assert [r[0] for r in rows[1:]] == ["13800000002"]  # only the generated one
    generated = rows[1][2]
    with db() as s:
        li = s.scalar(select(User).where(User.username == "13800000002"))
        assert check_password(li.password_hash, generated) and li.must_change_password
        assert generated not in li.password_hash
        assert [g.role for g in li.grants] == ["secretary"]
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "org.import"))
        assert generated not in str(audit.detail)
    again = apply(client, page, token)
    assert again.status_code == 400 and "已过期或已导入" in again.get_data(as_text=True)


def test_gbk_csv_from_excel_and_utf8_with_bom_both_read(client, login_as, county, db):
    login_as("admin")
    for data in (GBK_CSV, GBK_CSV.decode("gbk").encode("utf-8-sig")):
        page = upload(client, [("members.csv", data)]).get_data(as_text=True)
        rows = text_of(page, "import-rows")
        assert "赵九" in rows and "不变" in rows and "新增" in rows


def test_a_bad_row_is_named_and_apply_is_not_offered(client, login_as, county, db):
    before = state(db)
    login_as("admin")
    bad = MEMBERS + [["13800000004", "钱四", "NOPE", "", "", ""]]
    resp = upload(client, [("党员.xlsx", xlsx({"党员": bad}))])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "党员.xlsx[党员]:5: 所在支部 NOPE 不存在" in text_of(page, "import-errors")
    assert 'id="apply-form"' not in page
    assert state(db) == before


def _bad_file(client, login_as, db, name, data, message, status=422):  # type: ignore[no-untyped-def]
    before = state(db)
    login_as("admin")
    resp = upload(client, [(name, data)])
    page = resp.get_data(as_text=True)
    assert resp.status_code == status, page
    assert message in page
    assert 'id="apply-form"' not in page
    assert state(db) == before


def test_a_wrong_header_is_reported_at_row_1(client, login_as, county, db):
    data = "手机,名字,单位\n13800000005,孙五,A\n".encode()
    _bad_file(client, login_as, db, "m.csv", data, "m.csv:1: 无法识别表头")


def test_a_20_mb_file_is_refused(client, login_as, county, db):
    data = b"username,name,branch\n" + b"1" * (20 * 1024 * 1024)
    _bad_file(client, login_as, db, "big.csv", data, "文件太大", status=413)


def test_a_6_mb_file_is_refused_by_the_import(client, login_as, county, db):
    data = b"username,name,branch\n" + b"13800000001,a,A\n" * (6 * 1024 * 1024 // 16)
    _bad_file(client, login_as, db, "big.csv", data, "big.csv:1: 文件太大")


def test_a_binary_file_named_csv_is_refused(client, login_as, county, db):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    _bad_file(
        client, login_as, db, "photo.csv", png, "photo.csv:1: 不是文本格式的 CSV 文件"
    )


def test_an_xlsx_named_csv_says_so(client, login_as, county, db):
    data = xlsx({"党员": MEMBERS})
    _bad_file(client, login_as, db, "m.csv", data, "这是一个 Excel（.xlsx）文件")


def test_an_xlsx_with_a_formula_is_refused(client, login_as, county, db):
    rows = MEMBERS[:2] + [["13800000002", '=CONCAT("李","二")', "A", "", "", ""]]
    data = xlsx({"党员": rows})
    _bad_file(client, login_as, db, "f.xlsx", data, "f.xlsx[党员]:3: 单元格 B3 是公式")


def test_another_file_type_is_refused(client, login_as, county, db):
    _bad_file(
        client,
        login_as,
        db,
        "m.docx",
        b"PK\x03\x04",
        "m.docx:1: 只能上传 .csv 或 .xlsx 文件",
    )


def test_a_failed_apply_changes_nothing(client, login_as, county, db):
    """The branch is moved away between the dry run and the apply."""
    login_as("subadmin")
    rows = [MEMBERS[0], ["13800000007", "周七", "B", "", "", ""]]
    page = upload(client, [("m.xlsx", xlsx({"党员": rows}))]).get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    from studyapp.org.models import OrgUnit
    from studyapp.org.service import move_unit

    with db() as s:
        b = s.scalar(select(OrgUnit).where(OrgUnit.code == "B"))
        move_unit(s, b, s.scalar(select(OrgUnit).where(OrgUnit.code == "ROOT")))
    before = state(db)
    resp = apply(client, page, token)
    assert resp.status_code == 422
    assert "m.xlsx[党员]:2: 支部 B 不在您的管理范围内" in resp.get_data(as_text=True)
    assert state(db) == before


def test_an_admin_below_the_root_imports_only_into_their_subtree(
    client, login_as, county, db
):
    before = state(db)
    login_as("subadmin")
    rows = [
        MEMBERS[0],
        ["13900000001", "丙一", "A", "", "", ""],
        ["13800000008", "吴八", "C", "", "", ""],
    ]
    page = upload(client, [("m.xlsx", xlsx({"党员": rows}))]).get_data(as_text=True)
    errors = text_of(page, "import-errors")
    assert "m.xlsx[党员]:2: 账号 13900000001 属于您管理范围以外的组织" in errors
    assert "m.xlsx[党员]:3: 支部 C 不在您的管理范围内" in errors
    units = xlsx(
        {
            "组织": [
                ["组织编码", "组织名称", "类型", "上级编码"],
                ["TOP", "新党委", "党委", ""],
            ]
        }
    )
    page = upload(client, [("u.xlsx", units)]).get_data(as_text=True)
    assert "u.xlsx[组织]:2: 组织 TOP 或其上级不在您的管理范围内" in page
    assert state(db) == before


def test_a_member_cannot_import(client, login_as, county):
    login_as("13800000001")
    assert client.get("/admin/import/").status_code == 403
    assert client.get("/admin/import/template.xlsx").status_code == 403


def test_the_template_has_chinese_headers_my_units_and_instructions(
    client, login_as, county
):
    login_as("subadmin")
    resp = client.get("/admin/import/template.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["组织", "党员", "说明"]
    units = [[c.value for c in r] for r in book["组织"].iter_rows()]
    assert units[0] == ["组织编码", "组织名称", "类型", "上级编码"]
    assert ["A", "甲支部", "党支部", "SUB"] in units
    assert all(r[0] != "C" for r in units)  # outside my subtree
    assert [c.value for c in book["党员"][1]] == [
        "账号",
        "姓名",
        "所在支部",
        "角色",
        "免于统计",
        "初始密码",
    ]
    assert "公式" in " ".join(str(c.value) for c in book["说明"]["B"])


def test_the_template_filled_in_imports_cleanly(client, login_as, county, db):
    login_as("subadmin")
    book = load_workbook(io.BytesIO(client.get("/admin/import/template.xlsx").data))
    book["党员"].append(["13800000006", "陈六", "B"])
    out = io.BytesIO()
    book.save(out)
    page = upload(client, [("导入模板.xlsx", out.getvalue())])
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "新增 1 行，修改 0 行，不变 3 行" in html
