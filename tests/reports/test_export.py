"""Exports: XLSX round-trips with openpyxl, CSV opens in Excel, no formula runs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from studyapp.reports.export import Table, escape_text, to_csv, to_xlsx

TABLE = Table(
    "today-A-2026-11-20",
    "甲支部 今日学习",
    ["姓名", "分钟", "备注", "日期"],
    [
        ["张三", 35, "=1+1", date(2026, 11, 20)],
        ["+李四", 10.5, "@SUM(A1)", datetime(2026, 11, 20, 9, 30)],
        ["-王五", -3, "\t=cmd", None],
    ],
)


def test_xlsx_round_trips_and_formulas_stay_text():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(TABLE)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "甲支部 今日学习"
    assert rows[1] == ("姓名", "分钟", "备注", "日期")
    assert rows[2][:3] == ("张三", 35, "=1+1")
    assert sheet["C3"].data_type == "s"  # a string, not a formula
    assert rows[3][:3] == ("+李四", 10.5, "@SUM(A1)")
    assert rows[3][3] == datetime(2026, 11, 20, 9, 30)
    assert rows[4][:3] == ("-王五", -3, "\t=cmd")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_has_a_bom_and_escapes_formula_starts():
    data = to_csv(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "分钟", "备注", "日期"]
    assert rows[1] == ["张三", "35", "'=1+1", "2026-11-20"]
    assert rows[2] == ["'+李四", "10.5", "'@SUM(A1)", "2026-11-20 09:30"]
    assert rows[3] == ["'-王五", "-3", "'\t=cmd", ""]  # numbers are not escaped


@pytest.mark.parametrize("text", ["=A1", "+1", "-1", "@x", "\tx", "\rx"])
def test_escape_text_guards_every_formula_start(text):
    assert escape_text(text) == "'" + text


def test_escape_text_leaves_ordinary_text():
    assert escape_text("张三 (=)") == "张三 (=)"


def test_export_endpoint_sends_the_page_rows_as_xlsx(world, client, login_as):
    login_as("sec_a")
    resp = client.get("/units/A/export/today.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename="today-A-2026-11-20.xlsx"' in resp.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["王五", "甲书记", "李四", "张三", "赵老"]


def test_a_member_named_like_a_formula_is_exported_as_text(world, db, client, login_as):
    from sqlalchemy import select

    from studyapp.auth.models import User

    with db() as s:
        s.scalar(select(User).where(User.username == "am3")).name = "=HYPERLINK(1)"
    login_as("sec_a")
    csv_rows = client.get("/units/A/export/members.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_rows
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/units/A/export/members.xlsx").data)
    ).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and cells[0].data_type == "s"


def test_quiz_results_export_names_the_occurrence(world, client, login_as):
    login_as("sec_a")
    resp = client.get(f"/units/A/export/quiz.csv?occurrence={world.occurrence_id}")
    assert resp.status_code == 200
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "姓名,账号,得分,结果,提交时间"
    assert 'filename="quiz-' in resp.headers["Content-Disposition"]
    assert "张三,am1,100.0,及格" in text


def test_export_of_an_unknown_table_is_404(world, client, login_as):
    login_as("sec_a")
    assert client.get("/units/A/export/nothing.csv").status_code == 404
