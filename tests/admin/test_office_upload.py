"""管理 › 内容 with Excel and Word banks: converted as the command line does, every
error with its row or paragraph, nothing published on error; downloads; export."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import select

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.content.convert.converter import convert_file
from studyapp.content.format.checker import parse_path
from studyapp.content.models import Question
from studyapp.quiz import actions as quiz
from studyapp.quiz.payloads import SubmitIn
from studyapp.timeutil import local, utcnow
from tests.admin import test_content_admin
from tests.admin.test_content_admin import counts, upload
from tests.conftest import csrf_token
from tests.content.convert.builders import docx_bytes, xlsx
from tests.factories import keyed
from tests.html import text_of

#: The admins and member of the content admin tests (one global, one of a subtree).
people = test_content_admin.people

WIDE = ("题型", "题干", *(f"选项{c}" for c in "ABCDEFGH"), "答案", "解析")


def row(kind: str, stem: str, options: str, answer: str) -> list[str]:
    """A row with one option per character of *options* (up to 8)."""
    return [kind, stem, *options, *[""] * (8 - len(options)), answer, "解析。"]


GOOD = [
    row("单选", "「一課」指的是（　）。", "黨團", "A"),
    row("多选", "五个选项选三个（　）", "甲乙丙丁戊", "A、C、E"),
    row("单选", "八个选项（　）", "一二三四五六七八", "H"),
    row("判断", "党小组会一般每月召开一次。", "", "√"),
    row("填空", "支部委员会由____至（　）人组成。", "", "3|三；5|五"),
]
PAPER = [
    "一、单选题",
    "1．党支部党员大会一般每（　）召开一次。",
    "A．每周　B．每月　C．每季度",
    "答案：C",
    "2．“一课”指的是（　）。",
    "A．党课　B．团课",
    "答案：A、B",
]


def files(db, app):  # type: ignore[no-untyped-def]
    content = Path(app.config["CONTENT_DIR"])
    return sorted(p.relative_to(content).as_posix() for p in content.rglob("*.*"))


def publish(client, page: str):  # type: ignore[no-untyped-def]
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token(client, "/admin/content/"), "token": token}
    return client.post("/admin/content/publish", data=data)


def test_every_error_is_named_by_row_or_paragraph_and_nothing_is_kept(
    people, login_as, db, app
):
    before = files(db, app)
    bad = [row("单选", "答案不在选项里（　）", "甲乙", "E"),
           row("单选", "好题（　）", "甲乙", "A"),
           row("单选", "两个答案（　）", "甲乙丙", "A,C")]  # fmt: skip
    resp = upload(login_as("admin"), [("tiku.xlsx", xlsx(bad, WIDE)),
                                      ("shijuan.docx", docx_bytes(PAPER))])  # fmt: skip
    page = resp.get_data(as_text=True)
    issues = text_of(page, "check-issues")
    assert resp.status_code == 422 and "确认发布" not in page
    assert "tiku.xlsx[题目]:2 答案 E 不在选项" in issues
    assert "tiku.xlsx[题目]:4 单选题只能有 1 个答案" in issues
    assert "shijuan.docx:7 第2题：单选题只能有 1 个答案" in issues
    assert "tiku.xlsx[题目]:3" not in issues
    assert counts(db) == (0, 0) and files(db, app) == before


def test_a_workbook_is_converted_previewed_and_published(people, login_as, db, app):
    client = login_as("admin")
    page = upload_bank(client, "党建.xlsx", xlsx(GOOD, WIDE), bank="dj")
    preview = text_of(page, "bank-preview-dj")
    assert "「一課」指的是" in preview and "转换了 5 道题" in preview
    assert "H. 八 ✓ 正确答案" in preview and "E. 戊 ✓ 正确答案" in preview
    assert "3|三；5|五" in preview  # two blanks, with alternatives
    assert "quizzes/dj.md" in text_of(page, "staged-files")
    assert counts(db) == (0, 0)  # a preview keeps nothing
    assert publish(client, page).status_code == 302
    with db() as s:
        slugs = set(s.scalars(select(Question.slug).where(Question.slug.like("dj-%"))))
    assert slugs == {f"dj-00{n}" for n in range(1, 6)}
    doc, issues = parse_path(Path(app.config["CONTENT_DIR"]) / "quizzes" / "dj.md")
    assert [i for i in issues if i.severity == "error"] == []
    assert doc.questions[4].answer == (("3", "三"), ("5", "五"))  # type: ignore[union-attr]


def upload_bank(client, name, data, **fields):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/admin/content/")
    body = {"csrf_token": token, "kind": "quizzes", **fields,
            "files": [(io.BytesIO(data), name)]}  # fmt: skip
    resp = client.post("/admin/content/upload", data=body,
                       content_type="multipart/form-data")  # fmt: skip
    assert resp.status_code == 200, resp.get_data(as_text=True)[-3000:]
    return resp.get_data(as_text=True)


def test_a_word_paper_with_options_on_one_line(people, login_as, db):
    paper = [*PAPER[:-1], "答案：A"]
    page = upload_bank(login_as("admin"), "dangshi.docx", docx_bytes(paper))
    preview = text_of(page, "bank-preview-dangshi")
    assert "C. 每季度 ✓ 正确答案" in preview and "B. 团课" in preview


def test_uploading_the_same_workbook_again_keeps_every_id(people, login_as, db):
    client = login_as("admin")
    data = xlsx(GOOD, WIDE)
    publish(client, upload_bank(client, "党建.xlsx", data, bank="dj"))
    edited = [GOOD[0], row("多选", "五个选项选三个（　）", "甲乙丙丁戊", "A、B、E"),
              *GOOD[2:]]  # fmt: skip
    page = upload_bank(client, "党建.xlsx", xlsx(edited, WIDE), bank="dj")
    assert "沿用 id 5 个，新 id 0 个" in text_of(page, "bank-preview-dj")
    assert "新修订 · dj-002" in text_of(page, "preview-changes")


def test_a_chinese_file_name_needs_a_bank_id_and_its_rows_are_checked_too(
    people, login_as, db
):
    rows = [*GOOD, row("判断", "不是对错的答案。", "", "B")]
    resp = upload(login_as("admin"), [("党建题库.xlsx", xlsx(rows, WIDE))])
    issues = text_of(resp.get_data(as_text=True), "check-issues")
    assert resp.status_code == 422 and "党建题库.xlsx 题库 id “党建题库” 无效" in issues
    assert "党建题库.xlsx[题目]:7 判断题的答案" in issues


def test_a_broken_file_is_reported_not_crashed_on(people, login_as, db):
    resp = upload(login_as("admin"), [("dj.xlsx", b"not a workbook")])
    issues = text_of(resp.get_data(as_text=True), "check-issues")
    assert resp.status_code == 422 and "dj.xlsx 这不是 Excel 表格" in issues


def test_downloads_are_the_template_and_samples_that_convert_cleanly(people, login_as):
    client = login_as("admin")
    template = client.get("/admin/content/files/template.xlsx")
    assert template.status_code == 200
    assert "attachment" in template.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(template.data))
    assert book.sheetnames == ["填写说明", "题目"]
    header = [c.value for c in next(book["题目"].iter_rows(max_row=1))]
    assert header[:3] == ["题型", "题干", "选项A"] and book["题目"].max_row == 1
    for name, out in (("sample.xlsx", "a.md"), ("sample.docx", "b.md")):
        data = client.get(f"/admin/content/files/{name}").data
        result = convert_file(name, data, out_name=out)
        assert result.ok and result.warnings == [] and result.counts["单选题"] >= 1
    assert client.get("/admin/content/files/other.xlsx").status_code == 404


def test_an_exported_bank_converts_back_to_the_same_questions(
    people, login_as, runner, app
):
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    client = login_as("admin")
    resp = client.get("/admin/content/banks/jichu.xlsx")
    assert resp.status_code == 200
    assert client.get("/admin/content/banks/nope.xlsx").status_code == 404
    path = Path(app.config["CONTENT_DIR"]) / "quizzes" / "jichu.md"
    original, _ = parse_path(path)
    back = convert_file("jichu.xlsx", resp.data, out_name="jichu.md",
                        existing=path.read_text(encoding="utf-8"))  # fmt: skip
    assert back.ok
    again = path.with_name("again.md")
    again.write_text(back.markdown, encoding="utf-8")
    converted, _ = parse_path(again)
    again.unlink()
    shape = [(q.id, q.type, q.stem_html, q.answer) for q in original.questions]  # type: ignore[union-attr]
    assert [(q.id, q.type, q.stem_html, q.answer) for q in converted.questions] == shape  # type: ignore[union-attr]


def test_only_global_admins_download_or_export(people, login_as, runner):
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    client = login_as("subadmin")
    assert client.get("/admin/content/files/template.xlsx").status_code == 403
    assert client.get("/admin/content/banks/jichu.xlsx").status_code == 403


def test_warnings_name_other_files_as_the_author_sees_them(people, login_as, db):
    twin = [row("单选", "“三会一课”中的“一课”指的是（　）。", "甲乙", "A")]
    page = upload_bank(login_as("admin"), "dj.xlsx", xlsx(twin, WIDE))
    issues = text_of(page, "check-issues")
    assert "题干与 quizzes/jichu.md:" in issues or "题干与 quizzes/dj.md:" in issues
    assert "studyapp-merge" not in issues


def test_a_bank_uploaded_from_excel_feeds_a_quiz_graded_right(
    people, login_as, db, app
):
    now = utcnow()
    opens = local(now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    closes = local(now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    practice = (f'---\nid: lianxi\ntitle: 练习\nkind: special\nopens_at: "{opens}"\n'
                f'closes_at: "{closes}"\ndraw:\n  - {{bank: dj, count: 5}}\n'
                "attempts: unlimited\n---\n练习。\n")  # fmt: skip
    client = login_as("admin")
    token = csrf_token(client, "/admin/content/")
    body = {"csrf_token": token, "kind": "quizzes", "bank": "dj",
            "files": [(io.BytesIO(xlsx(GOOD, WIDE)), "党建.xlsx"),
                      (io.BytesIO(practice.encode()), "lianxi.md")]}  # fmt: skip
    resp = client.post("/admin/content/upload", data=body,
                       content_type="multipart/form-data")  # fmt: skip
    page = resp.get_data(as_text=True)
    assert publish(client, page).status_code == 302
    right = {"dj-001": "A", "dj-002": ["A", "C", "E"], "dj-003": "H", "dj-004": True,
             "dj-005": ["三", "5"]}  # fmt: skip
    with db() as s:
        member = Actor.of(s.scalar(select(User).where(User.username == "member")))
        view = quiz.start_attempt(s, member, "lianxi", utcnow())
        assert {q.id for q in view.questions} == set(right)
        result = quiz.submit(s, member, view.attempt_id,
                             SubmitIn(answers=keyed(s, right)),
                             utcnow())  # fmt: skip
    assert result.score == 100.0
