"""``studyapp content check|publish|add-ids`` as an author runs them."""

from __future__ import annotations

from sqlalchemy import func, select

from studyapp.content.models import Lesson, Question
from tests.content_helpers import bank, basic_tree, write

BROKEN = """---
id: broken
title: 有错的题库
---

## 【单选题】答案不在选项里 {#br-001}
- A. 甲
- B. 乙
答案：E
解析：无。

## 【判断题】没有答案 {#br-002}
解析：无。
"""


def test_check_reports_every_error_with_file_and_line(runner, app, tmp_path):
    root = basic_tree(tmp_path / "content")
    write(root, "quizzes/broken.md", BROKEN)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "broken.md" in line]
    assert any(":9: error: 答案 E 不在选项" in line for line in lines), result.output
    assert any(":12: error:" in line for line in lines), result.output


def test_check_passes_clean_content(runner, tmp_path):
    result = runner.invoke(args=["content", "check", str(basic_tree(tmp_path / "c"))])
    assert result.exit_code == 0 and "0 个错误" in result.output


def test_failed_publish_publishes_nothing(runner, db, tmp_path):
    root = basic_tree(tmp_path / "content")
    write(root, "quizzes/broken.md", BROKEN)
    result = runner.invoke(args=["content", "publish", str(root)])
    assert result.exit_code == 1 and "未发布任何内容" in result.output
    with db() as s:
        assert s.scalar(select(func.count(Lesson.id))) == 0
        assert s.scalar(select(func.count(Question.id))) == 0


def test_publish_defaults_to_the_content_folder_and_summarises(runner, app, db):
    from pathlib import Path

    basic_tree(Path(app.config["CONTENT_DIR"]))
    result = runner.invoke(args=["content", "publish"])
    assert result.exit_code == 0, result.output
    assert "课程：新增 1" in result.output and "题目：新增 2" in result.output
    again = runner.invoke(args=["content", "publish"])
    assert "没有变化" in again.output


def test_add_ids_inserts_only_missing_ids(runner, tmp_path):
    root = tmp_path / "content"
    text = bank().replace(" {#jc-002}", "")
    path = write(root, "quizzes/jichu.md", text)
    result = runner.invoke(args=["content", "add-ids", str(path)])
    assert result.exit_code == 0, result.output
    new = path.read_text(encoding="utf-8")
    assert "{#jichu-001}" in new
    assert new.replace(" {#jichu-001}", "") == text
    again = runner.invoke(args=["content", "add-ids", str(path)])
    assert "都已有 id" in again.output and path.read_text(encoding="utf-8") == new


def test_the_demo_content_checks_clean(runner):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "content"
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.output


def test_publishing_one_file_of_the_content_folder_resolves_references(runner, app, db):
    from pathlib import Path

    root = basic_tree(Path(app.config["CONTENT_DIR"]))
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    path = write(root, "quizzes/jichu.md", bank(explanation="改了解析。"))
    result = runner.invoke(args=["content", "publish", str(path)])
    assert result.exit_code == 0, result.output  # 出处 sanhui is in another file
    assert "题目：新修订 1" in result.output and "停用" not in result.output
