"""YAML front matter: delimiters, syntax errors and YAML surprises, with file lines."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from studyapp.content.format.docs import BankDoc, Issue, LessonDoc
from studyapp.content.format.parser import parse_file

LESSON = "content/lessons/x.md"
BANK = "content/quizzes/x.md"


def errors(issues: list[Issue]) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in issues if i.severity == "error"]


def test_unclosed_front_matter_is_an_error_and_nothing_is_parsed() -> None:
    doc, issues = parse_file(LESSON, "---\ntitle: 标题\n\n正文\n")
    assert doc is None
    assert errors(issues) == [(1, "YAML 头部没有结束：缺少第二行 ---")]


def test_missing_front_matter_is_an_error_but_questions_are_still_checked() -> None:
    doc, issues = parse_file(BANK, "## 题 {#q1}\n答案：E\n")
    assert isinstance(doc, BankDoc)
    assert errors(issues) == [
        (1, "缺少 YAML 头部：文件应以 --- 开头，写 title 等字段后再以 --- 结束"),
        (2, "答案 E 不在选项中：这道题没有选项（选项写成 - A. …）"),
    ]


def test_empty_file() -> None:
    doc, issues = parse_file(LESSON, "")
    assert isinstance(doc, LessonDoc)
    assert [line for line, _ in errors(issues)] == [1]


def test_empty_front_matter_is_allowed_syntax() -> None:
    _, issues = parse_file(LESSON, "---\n---\n正文\n")
    assert errors(issues) == [(1, "缺少 title")]


def test_longer_delimiters_are_accepted_like_python_frontmatter() -> None:
    doc, issues = parse_file(LESSON, "----\ntitle: 标题\n-----\n正文\n")
    assert isinstance(doc, LessonDoc) and doc.title == "标题" and issues == []


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("id: x\ntitle: 三会一课: 基本制度\n", 3,
         "YAML 格式错误：mapping values are not allowed here；值里有“: ”时请给整个值加引号"),
        ("id: x\ntags: [党建\ntitle: x\n", 4, "YAML 格式错误："),
        ("id: x\n\ttitle: x\n", 3, "YAML 格式错误："),
        ("id: x\ntitle: *ref\n", 3, "YAML 格式错误："),
        ("title: x\ntitle: y\n", 3, "字段 title 写了两次（第 2 行）"),
        ("- a\n- b\n", 2, "YAML 头部应是“字段: 值”的列表"),
        ("title: !!python/object:os.system x\n", 2, "无法读取这个值："),
        ("title: x\n? [a, b]\n: c\n", 3, "字段名应为文本"),
    ],
)  # fmt: skip
def test_yaml_errors_are_reported_at_their_line(
    front: str, line: int, message: str
) -> None:
    _, issues = parse_file(LESSON, f"---\n{front}---\n正文\n")
    assert any(n == line and m.startswith(message) for n, m in errors(issues)), errors(
        issues
    )


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\ufffe"])
def test_control_characters_in_yaml_are_reported_with_the_line(char: str) -> None:
    doc, issues = parse_file(LESSON, f"---\nid: x\ntitle: 标{char}题\n---\n正文\n")
    (issue,) = [i for i in issues if "控制字符" in i.message]
    assert issue.line == 3
    assert f"U+{ord(char):04X}" in issue.message
    assert isinstance(doc, LessonDoc)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: no", 'title：no 被 YAML 读成了布尔值 false，请加引号："no"'),
        ("title: Yes", 'title：Yes 被 YAML 读成了布尔值 true，请加引号："Yes"'),
        ("series: on", 'series：on 被 YAML 读成了布尔值 true，请加引号："on"'),
        ("id: 010", 'id：010 被 YAML 读成了数字 8，请加引号："010"'),
        ("id: 0x1F", 'id：0x1F 被 YAML 读成了数字 31，请加引号："0x1F"'),
        ("series: 1:30", 'series：1:30 被 YAML 读成了数字 90，请加引号："1:30"'),
        ("tags: [党建, off]", 'tags：off 被 YAML 读成了布尔值 false，请加引号："off"'),
        ("minutes: 010", "minutes：010 被 YAML 读成了 8，请写成普通十进制数"),
        ("minutes: yes", "minutes 应为整数，这里是 yes"),
        ("title: [a, b]", "title 应为文本"),
    ],
)
def test_yaml_surprises_are_errors_with_a_fix(line: str, message: str) -> None:
    front = "title: 标题\n" if not line.startswith("title") else ""
    _, issues = parse_file(LESSON, f"---\n{front}{line}\n---\n正文\n")
    assert (2 + bool(front), message) in errors(issues), errors(issues)


def test_quoted_values_and_lossless_numbers_are_fine() -> None:
    doc, issues = parse_file(
        LESSON, '---\nid: "010"\ntitle: "no"\nseries: 2024\ntags: [2024, "on"]\n---\n'
    )
    assert isinstance(doc, LessonDoc)
    assert (doc.id, doc.title, doc.series, doc.tags) == (
        "010",
        "no",
        "2024",
        ("2024", "on"),
    )
    assert errors(issues) == []


def test_yaml_anchors_and_merge_keys_work() -> None:
    text = "---\nbase: &b {title: 标题}\n<<: *b\nid: x\n---\n正文\n"
    doc, issues = parse_file(LESSON, text)
    assert isinstance(doc, LessonDoc) and doc.title == "标题"
    assert [i.message for i in issues if i.severity == "error"] == []


def test_self_referencing_alias_does_not_hang() -> None:
    doc, issues = parse_file(LESSON, "---\ntitle: x\ntags: &t [a, *t]\n---\n")
    assert isinstance(doc, LessonDoc)
    assert any(i.line == 3 for i in issues)


def test_every_front_matter_problem_is_reported_not_just_the_first() -> None:
    text = "---\nid: 010\ntitle: no\nminutes: 0\npublish_at: 2026-02-30\naudience: [第一支部]\n---\n"
    _, issues = parse_file(LESSON, text)
    assert [line for line, _ in errors(issues)] == [2, 3, 4, 5, 6]
