"""Property tests: parse_file never raises, whatever an author (or a fuzzer) writes."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.content.format.docs import Issue
from studyapp.content.format.parser import parse_file

PATHS = st.sampled_from(
    ["content/lessons/a.md", "content/quizzes/b.md", "content/other/c.md"]
)
FRONTS = st.sampled_from(
    [
        "---\ntitle: 题库\n---\n",
        "---\nid: x\ntitle: 课\ntags: [a]\n---\n",
        '---\ntitle: 周测\nkind: weekly\nschedule: "0 8 * * mon"\ndraw: [{bank: b, count: 2}]\n---\n',
        "---\ntitle: 考试\nkind: exam\nopens_at: 2026-12-01\ncloses_at: 2026-12-02\n---\n",
        "---\ntitle: 每日\nkind: daily\n---\n",
    ]
)
#: Fragments of the question syntax, so random bodies hit the interesting paths.
PIECES = st.sampled_from(
    ["## ", "{#q1}", "{#", "}", "{{", "}}", "|", "- A. ", "A、", "（A）", "- [x] ", "- [ ] ",
     "答案：", "【答案】", "解析：", "> ", "标签：", "难度：", "出处：", "【单选题】", "[多选]",
     "【判断题】", "【填空题】", "正确", "×", "AB", "E", "\n", "\n\n", "```", "# ", "---\n",
     "![x](../a.png)", "<script>", "\r\n", "\x00", "\ufeff", "\t"]
)  # fmt: skip
BODIES = st.lists(PIECES | st.text(max_size=8), max_size=40).map("".join)


def _check(issues: list[Issue], path: str) -> None:
    assert all(i.path == path and i.line >= 1 for i in issues)
    assert all(i.severity in ("error", "warning") and i.message for i in issues)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(PATHS, st.text())
def test_parse_file_never_raises_on_arbitrary_text(path: str, text: str) -> None:
    _, issues = parse_file(path, text)
    _check(issues, path)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(PATHS, FRONTS, BODIES)
def test_parse_file_never_raises_after_a_valid_front_matter(
    path: str, front: str, body: str
) -> None:
    _, issues = parse_file(path, front + body)
    _check(issues, path)
    lines = (front + body).replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(i.line <= lines for i in issues)


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_arbitrary_yaml_front_matter_never_raises(front: str) -> None:
    _, issues = parse_file("content/lessons/a.md", f"---\n{front}\n---\n正文\n")
    _check(issues, "content/lessons/a.md")
