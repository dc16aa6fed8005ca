"""``studyapp content convert`` as an author runs it, then check and publish."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from studyapp.content.models import Question
from tests.content.convert.builders import HEADER, PNG, docx_bytes, xlsx

ROWS = [
    ("单选", "“一课”指的是（　）。", "党课", "团课", "形势政策课", "", "A", "指党课。"),
    ("多选", "属于“三会”的有（　）", "支部党员大会", "支部委员会", "团员大会", "",
     "AB", "不含团员大会。"),
    ("判断", "党小组会一般每月召开一次。", "", "", "", "", "对", "每月一次。"),
    ("填空", "党支部委员会由____至____人组成。", "", "", "", "",
     "3|三；5|五", "3 至 5 人。"),
]  # fmt: skip


def source(tmp_path: Path, rows=ROWS, name: str = "题库.xlsx") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(xlsx(rows, HEADER))
    return path


def bank_path(app) -> Path:  # type: ignore[no-untyped-def]
    return Path(app.config["CONTENT_DIR"]) / "quizzes" / "dangjian.md"


def test_convert_writes_the_bank_and_summarises(runner, app, tmp_path):
    out = bank_path(app)
    result = runner.invoke(
        args=["content", "convert", str(source(tmp_path)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "转换了 4 道题（单选 1、多选 1、判断 1、填空 1）" in result.stdout
    assert out.read_text(encoding="utf-8").startswith(
        "---\nid: dangjian\ntitle: 题库\n"
    )
    assert "转换中" in result.stderr  # the progress bar


def test_the_converted_bank_checks_clean_and_publishes(runner, app, db, tmp_path):
    out = bank_path(app)
    runner.invoke(args=["content", "convert", str(source(tmp_path)), "-o", str(out)])
    check = runner.invoke(args=["content", "check", str(out)])
    assert check.exit_code == 0 and "0 个错误，0 个警告" in check.output, check.output
    publish = runner.invoke(args=["content", "publish"])
    assert publish.exit_code == 0 and "题目：新增 4" in publish.output, publish.output
    with db() as s:
        slugs = sorted(s.scalars(select(Question.slug)))
    assert slugs == ["dangjian-001", "dangjian-002", "dangjian-003", "dangjian-004"]


def test_converting_again_leaves_the_file_byte_identical(runner, app, tmp_path):
    out = bank_path(app)
    args = ["content", "convert", str(source(tmp_path)), "-o", str(out)]
    runner.invoke(args=args)
    first = out.read_bytes()
    again = runner.invoke(args=args)
    assert again.exit_code == 0 and "沿用 id 4 个，新 id 0 个" in again.output
    assert out.read_bytes() == first


def test_on_any_error_nothing_is_written(runner, app, tmp_path):
    out = bank_path(app)
    bad = [*ROWS, ("单选", "答案不在选项里（　）", "甲", "乙", "", "", "E", "")]
    result = runner.invoke(
        args=["content", "convert", str(source(tmp_path, bad)), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert (
        f"{tmp_path / '题库.xlsx'}[题目]:6: error: 答案 E 不在选项 A、B 中"
        in result.stderr
    )
    assert "1 个错误，没有写入" in result.stderr
    assert not out.exists()


def test_a_failed_conversion_leaves_the_existing_bank_alone(runner, app, tmp_path):
    out = bank_path(app)
    runner.invoke(args=["content", "convert", str(source(tmp_path)), "-o", str(out)])
    before = out.read_bytes()
    bad = [("简答", "论述题", "", "", "", "", "略", "")]
    result = runner.invoke(
        args=["content", "convert", str(source(tmp_path, bad)), "-o", str(out)]
    )
    assert result.exit_code == 1 and out.read_bytes() == before


def test_files_that_cannot_be_read_get_one_line(runner, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "fake.xlsx").write_bytes(b"\x00\x01binary")
    cases = {
        "missing.xlsx": "missing.xlsx: error: 文件不存在",
        "old.xls": "old.xls: error: 这是旧版 Excel（.xls）文件",
        "fake.xlsx": "fake.xlsx: error: 这不是 Excel 表格（.xlsx）",
        "notes.pdf": "notes.pdf: error: 只能转换 .xlsx（Excel）和 .docx（Word）文件",
    }
    for name, message in cases.items():
        out = tmp_path / "out.md"
        result = runner.invoke(
            args=["content", "convert", str(tmp_path / name), "-o", str(out)]
        )
        assert result.exit_code == 1, name
        lines = [line for line in result.stderr.splitlines() if "error" in line]
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert "Traceback" not in result.output and not out.exists()


def test_pictures_from_word_are_written_next_to_the_bank(runner, app, tmp_path):
    paper = tmp_path / "试卷.docx"
    paper.write_bytes(
        docx_bytes(
            ["1. 图中是（　）", "A. 党旗　B. 国旗", "答案：A", "解析：党旗。"],
            images={0: PNG},
        )
    )
    out = bank_path(app)
    result = runner.invoke(args=["content", "convert", str(paper), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (image,) = (out.parent / "images").iterdir()
    assert image.read_bytes() == PNG
    check = runner.invoke(args=["content", "check", str(out)])
    assert check.exit_code == 0, check.output


def test_new_questions_never_reuse_an_id_the_database_knows(runner, app, tmp_path):
    out = bank_path(app)
    runner.invoke(args=["content", "convert", str(source(tmp_path)), "-o", str(out)])
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    out.unlink()  # the author starts the bank over from a new sheet
    new = [("单选", "新的题目（　）", "甲", "乙", "", "", "A", "新。")]
    runner.invoke(
        args=["content", "convert", str(source(tmp_path, new)), "-o", str(out)]
    )
    assert "{#dangjian-005}" in out.read_text(encoding="utf-8")


def test_an_output_that_is_not_markdown_is_refused(runner, tmp_path):
    result = runner.invoke(
        args=[
            "content",
            "convert",
            str(source(tmp_path)),
            "-o",
            str(tmp_path / "x.txt"),
        ]
    )
    assert result.exit_code == 1 and "输出文件应为 .md" in result.stderr
