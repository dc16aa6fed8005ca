"""Lessons: front matter fields, defaults, estimated minutes, images, hash."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studyapp.content.format.docs import Issue, LessonDoc
from studyapp.content.format.parser import classify, parse_file

PATH = "content/lessons/sanhui-yike.md"

SPEC_LESSON = """---
id: sanhui-yike
title: 三会一课：支部组织生活的基本制度
series: 组织生活          # optional grouping
tags: [三会一课, 组织生活]
minutes: 6               # expected reading time; if omitted, estimated from length
publish_at: 2026-12-01 08:00   # optional; Asia/Shanghai unless a zone is given
audience: all            # or a list of unit codes (their subtrees)
---
正文 Markdown. Images are relative paths next to the file.
"""


def lesson(
    front: str, body: str = "正文。\n", path: str = PATH
) -> tuple[LessonDoc, list[Issue]]:
    doc, issues = parse_file(path, f"---\n{front}---\n{body}")
    assert isinstance(doc, LessonDoc), issues
    return doc, issues


def errors(issues: list[Issue]) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in issues if i.severity == "error"]


def test_spec_example_lesson() -> None:
    doc, issues = parse_file(PATH, SPEC_LESSON)
    assert issues == []
    assert isinstance(doc, LessonDoc)
    assert doc.id == "sanhui-yike"
    assert doc.title == "三会一课：支部组织生活的基本制度"
    assert doc.series == "组织生活"
    assert doc.tags == ("三会一课", "组织生活")
    assert (doc.minutes, doc.minutes_estimated) == (6, False)
    assert doc.publish_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert doc.audience == "all"
    assert doc.body_md == "正文 Markdown. Images are relative paths next to the file."
    assert (
        doc.body_html
        == "<p>正文 Markdown. Images are relative paths next to the file.</p>"
    )
    assert (doc.body_line, doc.path) == (10, PATH)
    assert doc.line_of("publish_at") == 7


def test_defaults_and_id_from_file_stem() -> None:
    doc, issues = lesson("title: 标题\n")
    assert issues == []
    assert (doc.id, doc.series, doc.tags, doc.publish_at, doc.audience) == (
        "sanhui-yike", None, (), None, "all",
    )  # fmt: skip


def test_file_stem_that_is_not_an_id_needs_an_explicit_id() -> None:
    doc, issues = parse_file(
        "content/lessons/三会一课.md", "---\ntitle: 标题\n---\n正文\n"
    )
    assert doc is None
    assert errors(issues) == [
        (1, "文件名 “三会一课” 不能作 id：请在头部写 id（字母、数字、- 和 _）")
    ]
    doc, issues = parse_file(
        "content/lessons/三会一课.md", "---\nid: sanhui\ntitle: 标题\n---\n正文\n"
    )
    assert isinstance(doc, LessonDoc) and doc.id == "sanhui"


@pytest.mark.parametrize(
    ("chars", "minutes"), [(10, 1), (400, 1), (401, 2), (1200, 3), (2000, 5)]
)
def test_minutes_are_estimated_at_400_visible_chars_per_minute(
    chars: int, minutes: int
) -> None:
    body = "## 小标题\n\n" if chars > 400 else ""
    text = "党" * (chars - (3 if body else 0))  # 小标题 counts too
    doc, _ = lesson(
        "title: 标题\n", body + text + "\n\n![图](https://x.example/a.png)\n"
    )
    assert (doc.minutes, doc.minutes_estimated) == (minutes, True)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-12-01 08:00", datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),
        ("2026-12-01", datetime(2026, 11, 30, 16, 0, tzinfo=UTC)),
        ("2026-12-01T08:00:30", datetime(2026, 12, 1, 0, 0, 30, tzinfo=UTC)),
        ("2026-12-01 08:00:00", datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),
        ("2026-12-01 08:00Z", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("2026-12-01 08:00+09:00", datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        ('"2026-12-01 08:00"', datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_publish_at_is_shanghai_unless_a_zone_is_given(
    written: str, expected: datetime
) -> None:
    doc, issues = lesson(f"title: 标题\npublish_at: {written}\n")
    assert issues == []
    assert doc.publish_at == expected
    assert doc.publish_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-02-30", "publish_at：日期不存在：2026-02-30"),
        ("2026-02-30 08:00:00", "publish_at：日期不存在：2026-02-30 08:00:00"),
        ("2026-12-01 25:00", "publish_at：时刻不存在：2026-12-01 25:00"),
        ("明天", "publish_at：时间格式不对：明天（应为 2026-12-01 08:00）"),
        ("2026/12/01", "publish_at：时间格式不对：2026/12/01（应为 2026-12-01 08:00）"),
    ],
)
def test_bad_publish_at_is_an_error_at_its_line(written: str, message: str) -> None:
    doc, issues = lesson(f"title: 标题\n\npublish_at: {written}\n")
    assert errors(issues) == [(4, message)]
    assert doc.publish_at is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("all", "all"),
        ("[DY-XM-03, DY-XM-04]", ("DY-XM-03", "DY-XM-04")),
        ("DY-XM-03", ("DY-XM-03",)),
    ],
)
def test_audience(written: str, expected: object) -> None:
    doc, issues = lesson(f"title: 标题\naudience: {written}\n")
    assert (doc.audience, issues) == (expected, [])


def test_bad_audience_codes_are_errors() -> None:
    _, issues = lesson("title: 标题\naudience: [all, DY-01]\n")
    assert errors(issues) == [(3, "audience：all 不能和单位编码一起写")]
    _, issues = lesson("title: 标题\naudience: [第一支部]\n")
    assert errors(issues) == [(3, "audience：单位编码 “第一支部” 无效")]


def test_missing_or_empty_title_is_an_error() -> None:
    _, issues = lesson("id: x\n")
    assert errors(issues) == [(1, "缺少 title")]
    _, issues = lesson("id: x\ntitle:\n")
    assert errors(issues) == [(3, "缺少 title")]


@pytest.mark.parametrize(
    ("value", "line"), [("0", 3), ("-2", 3), ("六", 3), ("2.5", 3)]
)
def test_bad_minutes(value: str, line: int) -> None:
    _, issues = lesson(f"title: 标题\nminutes: {value}\n")
    assert [n for n, _ in errors(issues)] == [line]


def test_unknown_front_matter_key_is_a_warning_at_its_line() -> None:
    _, issues = lesson("title: 标题\npublsh_at: 2026-12-01\n")
    assert [(i.line, i.severity) for i in issues] == [(3, "warning")]
    assert "课程头部不认识字段 publsh_at" in issues[0].message


def test_images_are_collected_relative_to_the_file() -> None:
    doc, issues = lesson(
        "title: 标题\n",
        "![a](./img/a.png)\n\n![b](img/b.png) ![c](https://x.example/c.png)\n",
    )
    assert doc.images == ("img/a.png", "img/b.png")
    assert issues == []


def test_image_outside_the_lesson_directory_is_an_error_at_its_line() -> None:
    doc, issues = lesson("title: 标题\n", "第一段\n\n第二段 ![a](../../etc/a.png)\n")
    assert errors(issues) == [
        (6, "图片路径 ../../etc/a.png 超出了课程文件所在目录：请把图片放在文件旁边")
    ]
    assert doc.images == ()


def test_empty_body_is_a_warning() -> None:
    _, issues = lesson("title: 标题\n", "\n")
    assert [(i.line, i.severity, i.message) for i in issues] == [
        (4, "warning", "课程正文为空")
    ]


def test_body_html_is_sanitised() -> None:
    doc, _ = lesson(
        "title: 标题\n", "<script>alert(1)</script>\n\n正文 <b onclick=x>粗</b>\n"
    )
    assert "script" not in doc.body_html and "onclick" not in doc.body_html
    assert "<b>粗</b>" in doc.body_html


def test_content_hash_ignores_layout_noise_but_not_text() -> None:
    a, _ = lesson("title: 标题\n", "第一段\n\n第二段\n")
    b, _ = parse_file(
        PATH,
        "---\r\ntitle: 标题\r\ntags: [x]\r\n---\r\n\r\n第一段  \r\n\r\n第二段\r\n\r\n",
    )
    c, _ = lesson("title: 标题\n", "第一段\n\n第二段。\n")
    d, _ = lesson("title: 新标题\n", "第一段\n\n第二段\n")
    assert isinstance(b, LessonDoc)
    assert a.content_hash == b.content_hash
    assert len({a.content_hash, c.content_hash, d.content_hash}) == 3


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("content/lessons/a.md", "lessons"),
        ("content/lessons/deep/er/a.md", "lessons"),
        ("content/quizzes/a.md", "quizzes"),
        ("/home/lessons/site/content/quizzes/a.md", "quizzes"),
        ("content/other/a.md", None),
        ("lessons.md", None),
    ],
)
def test_classify_uses_the_deepest_content_directory(
    path: str, kind: str | None
) -> None:
    assert classify(path) == kind


def test_file_outside_lessons_and_quizzes_is_an_error() -> None:
    doc, issues = parse_file("content/notes/a.md", "---\ntitle: x\n---\n")
    assert doc is None
    assert errors(issues) == [
        (1, "无法判断文件类型：课程放在 lessons/ 下，题库和测验放在 quizzes/ 下")
    ]


def test_unclosed_code_fence_in_a_lesson_is_a_warning() -> None:
    _, issues = lesson("title: 标题\n", "正文\n\n~~~~\n代码\n~~~\n")
    assert [(i.line, i.severity, i.message) for i in issues] == [
        (6, "warning", "代码块没有结束：后面的正文都会显示成代码")
    ]


@pytest.mark.parametrize("value", ["0", "-2"])
def test_minutes_below_one_reads_naturally(value: str) -> None:
    _, issues = lesson(f"title: 标题\nminutes: {value}\n")
    assert errors(issues) == [(3, f"minutes 应不小于 1，这里是 {value}")]
