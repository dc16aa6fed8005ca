"""check_tree: walking a tree, cross-file checks, and the ``python -m`` entry point."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.content.format.checker import Report, check_sources, check_tree, main

DATA = Path(__file__).parents[2] / "data" / "content"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def bank(bank_id: str, *questions: str, extra: str = "") -> str:
    return f"---\nid: {bank_id}\ntitle: {bank_id}\n{extra}---\n\n" + "\n".join(
        questions
    )


def tf(qid: str, stem: str | None = None, extra: str = "") -> str:
    """A true/false question: 4 lines (heading, answer, explanation, blank)."""
    return f"## {stem or '题目' + qid} {{#{qid}}}\n答案：对\n解析：x\n{extra}"


def found(report: Report, root: Path) -> list[tuple[str, int, str, str]]:
    return [
        (Path(i.path).relative_to(root).as_posix(), i.line, i.severity, i.message)
        for i in report.issues
    ]


def test_valid_fixture_tree_is_clean() -> None:
    report = check_tree([DATA / "valid"])
    assert report.issues == ()
    assert report.ok
    assert sorted(d.id for d in report.lessons) == ["dangshi-yida", "sanhui-yike"]
    assert sorted(d.id for d in report.banks) == ["dangjian-jichu", "dangshi"]
    assert sorted(d.id for d in report.quizzes) == ["daily", "exam-2026", "weekly"]
    assert len(report.questions) == 11  # 10 in banks + the exam's fixed paper
    assert report.files == 7  # README.md is skipped
    assert report.summary() == (
        "检查了 7 个文件：2 篇课程、2 个题库（10 题）、3 个测验；0 个错误，0 个警告"
    )


def test_broken_fixture_tree_reports_every_problem_at_its_line() -> None:
    report = check_tree([DATA / "broken"])
    got = [(p, line, sev) for p, line, sev, _ in found(report, DATA / "broken")]
    assert got == [
        ("lessons/bad-yaml.md", 3, "error"),  # unquoted ": " in title
        ("lessons/same-a.md", 2, "error"),  # duplicate lesson id
        ("lessons/same-a.md", 5, "error"),  # missing image
        ("lessons/same-b.md", 2, "error"),  # duplicate lesson id
        ("lessons/same-b.md", 4, "error"),  # 2026-02-30
        ("quizzes/bank.md", 4, "error"),  # unknown lesson
        ("quizzes/bank.md", 12, "error"),  # 答案 E
        ("quizzes/bank.md", 18, "error"),  # 单选 with AB
        ("quizzes/bank.md", 21, "error"),  # no id
        ("quizzes/bank.md", 25, "error"),  # duplicate question id
        ("quizzes/bank.md", 28, "error"),  # unknown 出处
        ("quizzes/bank.md", 30, "warning"),  # no explanation
        ("quizzes/bank.md", 30, "warning"),  # duplicate stem
        ("quizzes/gbk.md", 3, "error"),  # not UTF-8
        ("quizzes/other.md", 7, "error"),  # duplicate question id
        ("quizzes/other.md", 11, "warning"),  # duplicate stem
        ("quizzes/unclosed.md", 1, "error"),
        ("quizzes/weekly.md", 5, "error"),  # numeric day of week
        ("quizzes/weekly.md", 7, "error"),  # unknown bank
        ("quizzes/weekly.md", 8, "error"),  # cannot draw 5 from 2
    ]
    assert not report.ok
    assert len(report.errors) == 17 and len(report.warnings) == 3


def test_duplicate_ids_name_the_other_place(tmp_path: Path) -> None:
    write(tmp_path, "lessons/a.md", "---\nid: same\ntitle: a\n---\n正文\n")
    write(tmp_path, "lessons/sub/b.md", "---\ntitle: b\nid: same\n---\n正文\n")
    write(tmp_path, "quizzes/x.md", bank("x", tf("q1"), tf("q2")))
    write(tmp_path, "quizzes/y.md", bank("x", tf("q9"), tf("q1")))
    report = check_tree([tmp_path])
    assert [i for i in found(report, tmp_path) if i[2] == "error"] == [
        (
            "lessons/a.md",
            2,
            "error",
            f"课程 id “same” 重复：另见 {tmp_path}/lessons/sub/b.md:3",
        ),
        (
            "lessons/sub/b.md",
            3,
            "error",
            f"课程 id “same” 重复：另见 {tmp_path}/lessons/a.md:2",
        ),
        (
            "quizzes/x.md",
            2,
            "error",
            f"题库/测验 id “x” 重复：另见 {tmp_path}/quizzes/y.md:2",
        ),
        (
            "quizzes/x.md",
            6,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/y.md:10",
        ),
        (
            "quizzes/y.md",
            2,
            "error",
            f"题库/测验 id “x” 重复：另见 {tmp_path}/quizzes/x.md:2",
        ),
        (
            "quizzes/y.md",
            10,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/x.md:6",
        ),
    ]


def test_quiz_fixed_paper_ids_share_the_question_namespace(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/b.md", bank("b", tf("q1")))
    exam = "---\ntitle: 考试\nkind: exam\nopens_at: 2026-12-01\ncloses_at: 2026-12-02 00:00\n---\n"
    write(tmp_path, "quizzes/exam.md", exam + tf("q1", "另一题"))
    report = check_tree([tmp_path])
    assert [(i[0], i[1]) for i in found(report, tmp_path)] == [
        ("quizzes/b.md", 6),
        ("quizzes/exam.md", 7),
    ]


def test_duplicate_id_is_reported_even_when_a_copy_has_another_error(
    tmp_path: Path,
) -> None:
    # q1 in b.md has no answer: it is left out of the bank, but its id still counts.
    write(tmp_path, "quizzes/a.md", bank("a", tf("q1")))
    write(tmp_path, "quizzes/b.md", bank("b", "## 没有答案 {#q1}\n解析：x\n"))
    report = check_tree([tmp_path])
    assert [i for i in found(report, tmp_path) if i[2] == "error"] == [
        (
            "quizzes/a.md",
            6,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/b.md:6",
        ),
        ("quizzes/b.md", 6, "error", "缺少答案：写“答案：A”，判断题写“答案：正确”"),
        (
            "quizzes/b.md",
            6,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/a.md:6",
        ),
    ]


def test_duplicate_ids_among_broken_questions_of_one_file(tmp_path: Path) -> None:
    body = (
        "## 没有答案 {#q1}\n解析：x\n\n"
        "## 答案不在选项中 {#q1}\n- A. 甲\n- B. 乙\n答案：C\n解析：x\n"
    )
    write(tmp_path, "quizzes/a.md", bank("a", body))
    report = check_tree([tmp_path])
    assert found(report, tmp_path) == [
        ("quizzes/a.md", 6, "error", "缺少答案：写“答案：A”，判断题写“答案：正确”"),
        (
            "quizzes/a.md",
            6,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/a.md:9",
        ),
        (
            "quizzes/a.md",
            9,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/a.md:6",
        ),
        ("quizzes/a.md", 12, "error", "答案 C 不在选项 A、B 中"),
    ]


def test_dropped_quiz_still_claims_its_id_and_its_questions_ids(
    tmp_path: Path,
) -> None:
    # kind: monthly is invalid, so the quiz is left out; its ids still count.
    write(tmp_path, "quizzes/weekly.md", bank("weekly", tf("q1")))
    quiz = "---\nid: weekly\ntitle: 月测\nkind: monthly\n---\n\n" + tf("q1")
    write(tmp_path, "quizzes/monthly.md", quiz)
    report = check_tree([tmp_path])
    assert [i for i in found(report, tmp_path) if i[2] == "error"] == [
        (
            "quizzes/monthly.md",
            2,
            "error",
            f"题库/测验 id “weekly” 重复：另见 {tmp_path}/quizzes/weekly.md:2",
        ),
        (
            "quizzes/monthly.md",
            4,
            "error",
            "kind 不能是 monthly（可用：daily、weekly、special、exam）",
        ),
        (
            "quizzes/monthly.md",
            7,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/weekly.md:6",
        ),
        (
            "quizzes/weekly.md",
            2,
            "error",
            f"题库/测验 id “weekly” 重复：另见 {tmp_path}/quizzes/monthly.md:2",
        ),
        (
            "quizzes/weekly.md",
            6,
            "error",
            f"题目 id “q1” 重复：另见 {tmp_path}/quizzes/monthly.md:7",
        ),
    ]


def test_dropped_questions_count_for_duplicates_in_uploads_too() -> None:
    sources = [
        ("up/quizzes/a.md", bank("a", tf("q1"))),
        ("up/quizzes/b.md", bank("b", "## 题 {#q1}\n答案：也许\n解析：x\n")),
    ]
    report = check_sources(sources)
    assert [(i.path, i.line, i.message) for i in report.errors] == [
        ("up/quizzes/a.md", 6, "题目 id “q1” 重复：另见 up/quizzes/b.md:6"),
        ("up/quizzes/b.md", 6, "题目 id “q1” 重复：另见 up/quizzes/a.md:6"),
        ("up/quizzes/b.md", 7, "无法识别答案 “也许”：判断题写 正确/错误、对/错 或 √/×"),
    ]


def test_invalid_question_ids_are_not_compared(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", "## 题一 {#bad id}\n答案：对\n解析：x\n"))
    write(tmp_path, "quizzes/b.md", bank("b", "## 题二 {#bad id}\n答案：对\n解析：x\n"))
    report = check_tree([tmp_path])
    assert [i[3] for i in found(report, tmp_path)] == [
        "题目 id “bad id” 无效：只能用字母、数字、- 和 _",
        "题目 id “bad id” 无效：只能用字母、数字、- 和 _",
    ]


def test_unknown_lesson_references(tmp_path: Path) -> None:
    write(tmp_path, "lessons/known.md", "---\ntitle: 已有\n---\n正文\n")
    write(
        tmp_path,
        "quizzes/b.md",
        bank(
            "b",
            tf("q1", extra="出处：known\n"),
            tf("q2", extra="出处：ghost\n"),
            extra="lesson: nowhere\n",
        ),
    )
    assert found(check_tree([tmp_path]), tmp_path) == [
        ("quizzes/b.md", 4, "error", "lesson “nowhere” 没有对应的课程"),
        ("quizzes/b.md", 15, "error", "出处 “ghost” 没有对应的课程"),
    ]


WEEKLY_HEAD = '---\ntitle: 周测\nkind: weekly\nschedule: "0 8 * * mon"\ndraw:\n'


def test_unknown_bank_in_draw(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/b.md", bank("b", tf("q1")))
    write(tmp_path, "quizzes/w.md", WEEKLY_HEAD + "  - {bank: ghost, count: 1}\n---\n")
    assert found(check_tree([tmp_path]), tmp_path) == [
        ("quizzes/w.md", 6, "error", "draw 中的题库 “ghost” 不存在")
    ]


def _pool(tmp_path: Path) -> None:
    # bank a: 3 党史 true/false + 1 党章; bank b: 2 党史 single choice.
    write(tmp_path, "quizzes/a.md", bank(
        "a", *(tf(f"a{i}", extra="标签：党史\n") for i in range(3)), tf("a9", extra="标签：党章\n")
    ))  # fmt: skip
    choice = "## 选择{n} {{#b{n}}}\n- A. 甲\n- B. 乙\n答案：A\n解析：x\n标签：党史\n"
    write(tmp_path, "quizzes/b.md", bank("b", *(choice.format(n=n) for n in range(2))))


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("  - {bank: a, count: 4}\n", []),
        ("  - {bank: a, count: 5}\n", [(6, "抽题规则（bank=a）要 5 题，但符合条件的只有 4 题")]),
        ("  - {tags: [党史], count: 5}\n", []),
        ("  - {tags: [党史, 党章], count: 6}\n", []),
        ("  - {tags: [党史], types: [single], count: 3}\n",
         [(6, "抽题规则（tags=党史，types=single）要 3 题，但符合条件的只有 2 题")]),
        ("  - {count: 7}\n", [(6, "抽题规则（全部题库）要 7 题，但符合条件的只有 6 题")]),
        ("  - {bank: a, count: 3}\n  - {tags: [党史], count: 3}\n", []),
        ("  - {bank: a, count: 4}\n  - {tags: [党史], count: 3}\n",
         [(6, "第 6、7 行的抽题规则共要 7 题，但符合条件的不同题目只有 6 题（同一次测验不重复出题）")]),
        ("  - {bank: b, count: 2}\n  - {bank: a, tags: [党史], count: 3}\n"
         "  - {tags: [党史], count: 1}\n",
         [(6, "第 6、7、8 行的抽题规则共要 6 题，但符合条件的不同题目只有 5 题（同一次测验不重复出题）")]),
    ],
)  # fmt: skip
def test_draws_that_can_never_be_filled(
    tmp_path: Path, rules: str, expected: list[tuple[int, str]]
) -> None:
    _pool(tmp_path)
    write(tmp_path, "quizzes/w.md", WEEKLY_HEAD + rules + "---\n")
    got = [
        (line, msg)
        for path, line, _, msg in found(check_tree([tmp_path]), tmp_path)
        if path == "quizzes/w.md"
    ]
    assert got == expected


def test_bank_tags_count_for_draws(tmp_path: Path) -> None:
    write(
        tmp_path, "quizzes/a.md", bank("a", tf("q1"), tf("q2"), extra="tags: [党史]\n")
    )
    write(tmp_path, "quizzes/w.md", WEEKLY_HEAD + "  - {tags: [党史], count: 2}\n---\n")
    assert check_tree([tmp_path]).issues == ()


def test_daily_count_against_all_bank_questions(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", tf("q1"), tf("q2")))
    write(
        tmp_path, "quizzes/daily.md", "---\ntitle: 每日\nkind: daily\ncount: 3\n---\n"
    )
    assert found(check_tree([tmp_path]), tmp_path) == [
        ("quizzes/daily.md", 4, "error", "daily 测验每天抽 3 题，但题库中一共只有 2 题")
    ]


def test_only_one_daily_quiz(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", *(tf(f"q{i}") for i in range(5))))
    write(tmp_path, "quizzes/d1.md", "---\ntitle: 每日\nkind: daily\n---\n")
    write(tmp_path, "quizzes/d2.md", "---\ntitle: 每日二\nkind: daily\n---\n")
    assert found(check_tree([tmp_path]), tmp_path) == [
        (
            "quizzes/d2.md",
            3,
            "error",
            f"只能有一个 daily 测验：已在 {tmp_path}/quizzes/d1.md:3 定义",
        )
    ]


def test_duplicate_question_text_is_a_warning_at_both(tmp_path: Path) -> None:
    write(
        tmp_path,
        "quizzes/a.md",
        bank("a", tf("q1", "党员应当按期交纳党费。"), tf("q2", "别的题")),
    )
    write(tmp_path, "quizzes/b.md", bank("b", tf("q3", "党员应当 按期交纳党费")))
    assert found(check_tree([tmp_path]), tmp_path) == [
        ("quizzes/a.md", 6, "warning", f"题干与 {tmp_path}/quizzes/b.md:6（q3）重复"),
        ("quizzes/b.md", 6, "warning", f"题干与 {tmp_path}/quizzes/a.md:6（q1）重复"),
    ]


def test_missing_images_are_errors_at_their_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "lessons/l.md",
        "---\ntitle: 课\n---\n第一段\n\n![有](img/ok.png)\n\n![无](img/no.png)\n",
    )
    (tmp_path / "lessons/img").mkdir()
    (tmp_path / "lessons/img/ok.png").write_bytes(b"png")
    write(
        tmp_path,
        "quizzes/a.md",
        bank("a", "## 看图 ![图](q.png) {#q1}\n答案：对\n解析：x\n"),
    )
    assert found(check_tree([tmp_path]), tmp_path) == [
        ("lessons/l.md", 8, "error", "图片不存在：img/no.png"),
        ("quizzes/a.md", 6, "error", "图片不存在：q.png"),
    ]


@pytest.mark.parametrize("given", ["root", "content", "lessons", "file"])
def test_paths_may_be_a_repo_root_content_dir_subdir_or_file(
    tmp_path: Path, given: str
) -> None:
    content = tmp_path / "content"
    write(content, "lessons/l.md", "---\ntitle: 课\n---\n正文\n")
    write(content, "quizzes/a.md", bank("a", tf("q1")))
    write(tmp_path, "README.md", "# 项目说明\n")
    write(tmp_path, "docs/guide.md", "# 指南\n")
    write(content, "quizzes/.drafts/x.md", "垃圾")
    target = {
        "root": tmp_path,
        "content": content,
        "lessons": content / "lessons",
        "file": content / "lessons" / "l.md",
    }[given]
    report = check_tree([target])
    assert report.issues == ()
    assert report.files == (2 if given in ("root", "content") else 1)


def test_files_given_twice_are_checked_once(tmp_path: Path) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", tf("q1")))
    report = check_tree([tmp_path, tmp_path / "quizzes" / "a.md"])
    assert (report.files, report.issues) == (1, ())


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    report = check_tree([tmp_path / "nope"])
    assert [(i.line, i.message) for i in report.errors] == [(1, "路径不存在")]


def test_main_prints_issues_and_summary_and_exits_1_on_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", "## 题 {#q1}\n答案：也许\n"))
    assert main([str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    path = tmp_path / "quizzes" / "a.md"
    assert lines == [
        f"{path}:6: warning: 缺少解析：建议写“解析：…”，帮助党员理解",
        f"{path}:7: error: 无法识别答案 “也许”：判断题写 正确/错误、对/错 或 √/×",
        "检查了 1 个文件：0 篇课程、1 个题库（0 题）、0 个测验；1 个错误，1 个警告",
    ]


def test_main_exits_0_with_only_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "quizzes/a.md", bank("a", "## 题 {#q1}\n答案：对\n"))
    assert main([str(tmp_path)]) == 0
    assert "0 个错误，1 个警告" in capsys.readouterr().out


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "studyapp.content.format.checker", str(DATA / "broken")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        lines[-1]
        == "检查了 8 个文件：3 篇课程、2 个题库（4 题）、1 个测验；17 个错误，3 个警告"
    )
    assert (
        f"{DATA / 'broken' / 'quizzes' / 'bank.md'}:12: error: 答案 E 不在选项 A–D 中"
        in lines
    )


def test_check_sources_checks_uploaded_texts_without_disk() -> None:
    sources = [
        ("upload/lessons/l.md", "---\ntitle: 课\n---\n![图](a.png) ![图](b.png)\n"),
        (
            "upload/quizzes/b.md",
            bank("b", tf("q1", extra="出处：l\n"), tf("q1", "另一题")),
        ),
    ]
    report = check_sources(sources, exists=lambda name: name == "upload/lessons/a.png")
    assert [(i.path, i.line, i.message) for i in report.issues] == [
        ("upload/lessons/l.md", 4, "图片不存在：b.png"),
        ("upload/quizzes/b.md", 6, "题目 id “q1” 重复：另见 upload/quizzes/b.md:11"),
        ("upload/quizzes/b.md", 11, "题目 id “q1” 重复：另见 upload/quizzes/b.md:6"),
    ]
    assert check_sources(sources[:1]).issues == ()  # images unchecked without exists
