"""Fields: typed front-matter getters and the wording of their messages."""

from __future__ import annotations

import pytest

from studyapp.content.format.docs import IssueLog
from studyapp.content.format.fields import Fields, expected_range
from studyapp.content.format.yamlmeta import split_front_matter


def read(front: str) -> tuple[Fields, IssueLog]:
    log = IssueLog("content/quizzes/x.md")
    parsed = split_front_matter(f"---\n{front}---\n", log)
    assert parsed is not None and not log.items
    return Fields(parsed.fields, log), log


@pytest.mark.parametrize(
    ("lo", "hi", "text"),
    [
        (0, 100, "应在 0–100 之间"),
        (1, 5, "应在 1–5 之间"),
        (1, None, "应不小于 1"),
        (0, None, "应不小于 0"),
        (None, 5, "应不大于 5"),
    ],
)
def test_expected_range_wording(lo: int | None, hi: int | None, text: str) -> None:
    assert expected_range(lo, hi) == text


@pytest.mark.parametrize(
    ("lo", "hi", "written", "message"),
    [
        (1, 5, "0", "n 应在 1–5 之间，这里是 0"),
        (1, 5, "6", "n 应在 1–5 之间，这里是 6"),
        (1, None, "0", "n 应不小于 1，这里是 0"),
        (None, 5, "6", "n 应不大于 5，这里是 6"),
    ],
)
def test_integer_out_of_range_is_one_error_at_the_value(
    lo: int | None, hi: int | None, written: str, message: str
) -> None:
    fields, log = read(f"title: x\nn: {written}\n")
    assert fields.integer("n", lo, hi) is None
    assert [(i.line, i.severity, i.message) for i in log.items] == [
        (3, "error", message)
    ]


@pytest.mark.parametrize(("lo", "hi"), [(1, 5), (1, None), (None, 5), (5, 5)])
def test_integer_in_range_is_returned(lo: int | None, hi: int | None) -> None:
    fields, log = read("n: 5\n")
    assert fields.integer("n", lo, hi) == 5
    assert log.items == []
