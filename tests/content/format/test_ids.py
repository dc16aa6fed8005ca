"""add_missing_ids: writes {#id}s into question headings and nothing else."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from studyapp.content.format.docs import BankDoc
from studyapp.content.format.ids import add_missing_ids
from studyapp.content.format.parser import parse_file

HEAD = "---\ntitle: 题库\n## 这是 YAML 注释，不是题目\n---\n"


def test_adds_padded_ids_in_file_order() -> None:
    text = (
        HEAD
        + "## 第一题\n答案：对\n\n## 第二题 {#dj-007}\n答案：错\n\n## 第三题\n答案：对\n"
    )
    new, added = add_missing_ids(text, "dj", set())
    assert added == ["dj-008", "dj-009"]
    assert new == text.replace("## 第一题", "## 第一题 {#dj-008}").replace(
        "## 第三题", "## 第三题 {#dj-009}"
    )


def test_numbers_continue_after_ids_already_published() -> None:
    # A retired question's id must never be reused for a new question.
    _, added = add_missing_ids("## 题\n", "dj", {"dj-041", "other-900", "dj-x"})
    assert added == ["dj-042"]


def test_numbers_start_at_001_and_grow_past_999() -> None:
    assert add_missing_ids("## a\n## b\n", "b", set())[1] == ["b-001", "b-002"]
    assert add_missing_ids("## a\n", "b", {"b-999"})[1] == ["b-1000"]


def test_skips_front_matter_fences_and_other_heading_levels() -> None:
    text = (
        HEAD
        + "# 第一部分\n\n```md\n## 代码里的标题\n```\n\n### 小标题\n\n##不是标题\n\n## 真题\n"
    )
    new, added = add_missing_ids(text, "b", set())
    assert added == ["b-001"]
    assert new == text.replace("## 真题", "## 真题 {#b-001}")


def test_preserves_crlf_bom_and_trailing_spaces() -> None:
    text = "\ufeff---\r\ntitle: x\r\n---\r\n## 题一  \r\n答案：对\r\n## 题二\r"
    new, added = add_missing_ids(text, "b", set())
    assert (
        new
        == "\ufeff---\r\ntitle: x\r\n---\r\n## 题一 {#b-001}  \r\n答案：对\r\n## 题二 {#b-002}\r"
    )
    assert added == ["b-001", "b-002"]


def test_headings_with_a_bad_id_are_left_for_the_checker() -> None:
    text = "## 题 {#bad id}\n## 空标题后面\n##\n"
    new, added = add_missing_ids(text, "b", set())
    assert added == ["b-001"]
    assert new == "## 题 {#bad id}\n## 空标题后面 {#b-001}\n##\n"


def test_unclosed_front_matter_is_left_alone() -> None:
    text = "---\ntitle: x\n## 题\n"
    assert add_missing_ids(text, "b", set()) == (text, [])


def test_result_parses_without_missing_id_errors() -> None:
    text = HEAD + "## 题一\n答案：对\n解析：x\n\n## 题二\n- [x] 甲\n- [ ] 乙\n解析：y\n"
    new, _ = add_missing_ids(text, "bank", set())
    doc, issues = parse_file("content/quizzes/bank.md", new)
    assert isinstance(doc, BankDoc)
    assert [q.id for q in doc.questions] == ["bank-001", "bank-002"]
    assert issues == []


_LINES = st.lists(
    st.sampled_from(
        [
            "## 题",
            "## 题 {#b-003}",
            "答案：对",
            "",
            "```",
            "---",
            "# 节",
            "## ",
            "  ## 缩进",
        ]
    )
    | st.text(max_size=12),
    max_size=12,
)
_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@given(_LINES, _ENDINGS)
def test_idempotent_and_only_inserts_ids(lines: list[str], ending: str) -> None:
    text = ending.join(lines)
    new, added = add_missing_ids(text, "b", set())
    again, added_again = add_missing_ids(new, "b", set())
    assert (again, added_again) == (new, [])
    assert re.sub(r" \{#b-\d{3,}\}", "", new) == re.sub(r" \{#b-\d{3,}\}", "", text)
    assert len(added) == len(set(added))
    assert all(f"{{#{i}}}" in new for i in added)
