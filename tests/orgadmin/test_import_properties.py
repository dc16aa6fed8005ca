"""Property tests: any CSV or XLSX rows give a row-numbered report, never a 5xx
or an exception; a report with errors (or an apply that no longer checks) writes
nothing. Through the API a program uses, as the global and a subtree admin."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from studyapp.org import tables
from tests.orgadmin.conftest import multipart, state, xlsx
from tests.orgadmin.test_import_api import bearer

UNIT_HEADERS = [
    ["code", "name", "kind", "parent"],
    ["组织编码", "组织名称", "类型", "上级编码"],
]
MEMBER_HEADERS = [
    ["账号", "姓名", "所在支部", "角色", "免于统计", "初始密码"],
    ["username", "name", "branch", "role", "exempt", "password"],
]
HEADER = st.one_of(
    st.sampled_from(UNIT_HEADERS + MEMBER_HEADERS),
    st.sampled_from(UNIT_HEADERS + MEMBER_HEADERS),
    st.sampled_from(UNIT_HEADERS + MEMBER_HEADERS),
    st.sampled_from(UNIT_HEADERS + MEMBER_HEADERS).flatmap(st.permutations),
    st.lists(st.sampled_from([*sum(UNIT_HEADERS + MEMBER_HEADERS, []), "x", ""]),
             max_size=7),
)  # fmt: skip
KNOWN = st.sampled_from([
    "A", "B", "C", "SUB", "ROOT", "NEW1", "new-2", "a", "13800000001", "13900000001",
    "admin", "subadmin", "13700000009", "branch", "committee", "group",
    "general_branch", "党支部", "党员", "书记", "管理员", "admin", "是", "否",
    "年老体弱", "password01", "short", "王一", "",
])  # fmt: skip
CELL = st.one_of(
    KNOWN,
    KNOWN,
    st.text(max_size=12),
    st.sampled_from(["=1+1", "-1", "1e309", "99999999999999999999", "\t", " A ",
                     "A\nB", '"', "😀" * 30, "x" * 70, "\u202e", "../A"]),
    st.text(min_size=1, max_size=2).map(lambda s: s * 5_000),
)  # fmt: skip
ROWS = st.lists(st.lists(CELL, max_size=7), max_size=8)
ENCODINGS = st.sampled_from(
    ["utf-8"] * 4 + ["utf-8-sig", "gb18030", "utf-16", "latin-1"]
)
SHEETS = st.sampled_from(
    ["组织", "党员", "units", "members", "组织", "党员", "Sheet1", " 党员 "]
)
WHERE = re.compile(r"^[\w.]+(\[[^\]]+\])?:\d+: ")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return (
            '"' + value.replace('"', '""') + '"'
            if re.search(r'[,"\n\r]', value)
            else value
        )

    return "\r\n".join(",".join(map(cell, r)) for r in [header, *rows]) + "\r\n"


#: Rows that mostly check clean, so applying is reached too.
MEMBER_ROW = st.tuples(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True) | KNOWN,
    st.sampled_from(["新人", "王一", "李四"]) | CELL,
    st.sampled_from(["A", "B", "C", "SUB"]),
    st.sampled_from(["", "党员", "书记", "管理员"]),
    st.sampled_from(["", "否", "是", "年老体弱"]),
    st.sampled_from(["", "password01", "short"]),
).map(list)
UNIT_ROW = st.tuples(
    st.from_regex(r"[A-Z]{1,3}-[0-9]{1,2}", fullmatch=True) | KNOWN,
    st.sampled_from(["新支部", "第二党支部"]) | CELL,
    st.sampled_from(["branch", "group", "committee", "general_branch"]),
    st.sampled_from(["SUB", "ROOT", "A", "", "NEW1"]),
).map(list)
TABLE = st.one_of(
    st.tuples(HEADER, ROWS),
    st.tuples(st.just(MEMBER_HEADERS[1]), st.lists(MEMBER_ROW, max_size=6)),
    st.tuples(st.just(MEMBER_HEADERS[0]), st.lists(MEMBER_ROW, max_size=6)),
    st.tuples(st.just(UNIT_HEADERS[0]), st.lists(UNIT_ROW, max_size=4)),
)


@st.composite
def csv_file(draw: st.DrawFn) -> tuple[str, bytes]:
    text = _csv(*draw(TABLE))
    encoding = draw(ENCODINGS)
    return "people.csv", text.encode(encoding, errors="replace")


@st.composite
def xlsx_file(draw: st.DrawFn) -> tuple[str, bytes]:
    names = draw(st.lists(SHEETS, min_size=1, max_size=2, unique_by=str.strip))
    sheets = {}
    for name in names:
        header, body = draw(TABLE)
        rows = [header, *body]
        sheets[name] = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in rows]
    return "people.xlsx", xlsx(sheets)


GARBAGE = st.tuples(st.sampled_from(["x.csv", "x.xlsx"]), st.binary(max_size=500))
FILES = st.one_of(
    st.tuples(csv_file()).map(list),
    st.tuples(xlsx_file()).map(list),
    st.lists(csv_file() | xlsx_file() | GARBAGE, min_size=1, max_size=2,
             unique_by=lambda f: f[0]),
)  # fmt: skip


#: ``make fuzz`` runs more examples (STUDYAPP_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("STUDYAPP_FUZZ_EXAMPLES", 60))


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(files=FILES, who=st.sampled_from(["admin", "subadmin"]))
@example(
    files=[("people.csv", "账号,姓名,所在支部\r\n13800000099,新人,A\r\n".encode())],
    who="subadmin",
)  # a clean file: the apply runs too
def test_any_rows_give_a_row_numbered_report_and_a_failed_import_writes_nothing(
    client, county, db, files, who
):
    headers = bearer(client, who)
    before = state(db)
    resp = client.post(
        "/api/v1/admin/org/imports", headers=headers, **multipart({}, files)
    )
    assert resp.status_code in (200, 400, 413, 422), resp.get_data(as_text=True)[-500:]
    report = resp.get_json()
    if resp.status_code != 200:
        assert state(db) == before
        return
    names = [n for n, _ in files]
    for problem in report["errors"]:
        assert WHERE.match(problem) and problem.split(":")[0].split("[")[0] in names
        row = int(WHERE.match(problem).group(0).rstrip(": ").rsplit(":", 1)[1])
        assert 1 <= row <= tables.MAX_ROWS + 1
    for row in report["rows"]:
        assert WHERE.match(row["where"] + ": ") and all(
            e.startswith(row["where"] + ": ") for e in row["errors"]
        )
    assert state(db) == before  # the dry run changes nothing
    if not report["ok"]:
        assert report["token"] is None and report["errors"]
        return
    done = client.post(f"/api/v1/admin/org/imports/{report['token']}/apply",
                       headers=headers)  # fmt: skip
    assert done.status_code in (200, 409, 400), done.get_data(as_text=True)[-500:]
    if done.status_code != 200:
        assert state(db) == before
