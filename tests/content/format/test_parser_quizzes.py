"""Quiz definitions: kinds, schedules, windows, draws, defaults and their errors."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.content.format.docs import BankDoc, DrawRule, Issue, QuizDoc
from studyapp.content.format.parser import parse_file

PATH = "content/quizzes/weekly.md"

SPEC_WEEKLY = """---
id: weekly
title: 每周一测
kind: weekly              # daily | weekly | special | exam
schedule: "0 8 * * mon"   # cron, Asia/Shanghai: each firing opens one occurrence
open_for: 7d
draw:
  - {bank: dangjian-jichu, count: 5}
  - {tags: [党史], count: 5}
time_limit: 15m           # per attempt; omit for untimed
attempts: 1
pass_score: 60            # percent
points: 5                 # points at full marks, scaled by score
review: after_submit      # when answers + explanations show: after_submit | after_close | never
audience: all
---
Shown before the member starts.
"""

WEEKLY = (
    'title: 周测\nkind: weekly\nschedule: "0 8 * * mon"\ndraw: [{bank: b, count: 1}]\n'
)
SPECIAL = "title: 专题\nkind: special\nopens_at: 2026-12-01 08:00\ncloses_at: 2026-12-08 08:00\n"
SPECIAL += "draw: [{bank: b, count: 1}]\n"


def quiz(front: str, body: str = "") -> tuple[QuizDoc | None, list[Issue]]:
    doc, issues = parse_file(PATH, f"---\n{front}---\n{body}")
    assert doc is None or isinstance(doc, QuizDoc)
    return doc, issues


def errors(issues: list[Issue]) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in issues if i.severity == "error"]


def test_spec_example_weekly_quiz() -> None:
    doc, issues = parse_file(PATH, SPEC_WEEKLY)
    assert issues == []
    assert isinstance(doc, QuizDoc)
    assert (doc.id, doc.title, doc.kind, doc.schedule) == (
        "weekly",
        "每周一测",
        "weekly",
        "0 8 * * mon",
    )
    assert doc.open_for == timedelta(days=7)
    assert doc.draw == (
        DrawRule(bank="dangjian-jichu", count=5, line=8),
        DrawRule(tags=("党史",), count=5, line=9),
    )
    assert doc.time_limit == timedelta(minutes=15)
    assert (doc.attempts, doc.pass_score, doc.points, doc.review, doc.audience) == (
        1,
        60,
        5,
        "after_submit",
        "all",
    )
    assert (doc.opens_at, doc.closes_at, doc.count, doc.questions) == (
        None,
        None,
        None,
        (),
    )
    assert doc.intro_md == "Shown before the member starts."
    assert doc.intro_html == "<p>Shown before the member starts.</p>"


def test_daily_defaults() -> None:
    doc, issues = quiz("title: 每日一练\nkind: daily\n")
    assert issues == []
    assert doc is not None
    assert (doc.id, doc.kind, doc.count, doc.schedule, doc.draw) == (
        "weekly",
        "daily",
        5,
        None,
        (),
    )
    assert (doc.attempts, doc.points, doc.review, doc.time_limit) == (
        1,
        0,
        "after_submit",
        None,
    )


def test_daily_points_are_ignored_with_a_warning() -> None:
    _, issues = quiz("title: 每日一练\nkind: daily\npoints: 3\n")
    assert [(i.line, i.severity) for i in issues] == [(4, "warning")]


def test_special_quiz_window_and_exam_review_default() -> None:
    doc, issues = quiz(SPECIAL)
    assert issues == [] and doc is not None
    assert doc.opens_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert doc.closes_at == datetime(2026, 12, 8, 0, 0, tzinfo=UTC)
    assert doc.review == "after_submit"
    exam, _ = quiz(SPECIAL.replace("special", "exam"))
    assert exam is not None and exam.review == "after_close"


@pytest.mark.parametrize(
    ("written", "expected"), [("unlimited", None), ("不限", None), ("3", 3)]
)
def test_attempts(written: str, expected: int | None) -> None:
    doc, issues = quiz(WEEKLY + f"attempts: {written}\n")
    assert issues == [] and doc is not None and doc.attempts == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("7d", timedelta(days=7)), ("15m", timedelta(minutes=15)), ("1h30m", timedelta(minutes=90)),
     ("90s", timedelta(seconds=90)), ("1d 12h", timedelta(hours=36)), ('"2h"', timedelta(hours=2))],
)  # fmt: skip
def test_valid_durations(written: str, expected: timedelta) -> None:
    doc, issues = quiz(WEEKLY + f"time_limit: {written}\n")
    assert issues == [] and doc is not None and doc.time_limit == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("15", "time_limit：15 缺少单位，例如 15m 或 15d"),
        ("7x", "time_limit：时长格式不对：7x（例如 7d、15m、1h30m）"),
        ("m15", "time_limit：时长格式不对：m15（例如 7d、15m、1h30m）"),
        ("0m", "time_limit：时长必须大于 0：0m"),
        ("1:30", 'time_limit：1:30 被 YAML 读成了数字 90，请加引号："1:30"'),
    ],
)
def test_bad_durations_are_errors_at_their_line(written: str, message: str) -> None:
    _, issues = quiz(WEEKLY + f"time_limit: {written}\n")
    assert errors(issues) == [(6, message)]


def test_unknown_kind_is_an_error_at_its_line() -> None:
    doc, issues = quiz("title: 月测\nkind: monthly\n")
    assert doc is None
    assert errors(issues) == [
        (3, "kind 不能是 monthly（可用：daily、weekly、special、exam）")
    ]


def test_empty_kind_is_an_error() -> None:
    doc, issues = quiz("title: 月测\nkind:\n")
    assert doc is None
    assert errors(issues) == [(3, "kind 不能为空（daily、weekly、special、exam）")]


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        (
            "0 8 * *",
            "schedule：cron 表达式应有 5 段（分 时 日 月 星期），这里有 4 段：0 8 * *",
        ),
        ("61 8 * * mon", "schedule：cron 表达式无效：61 8 * * mon"),
        ("0 8 * * funday", "schedule：cron 表达式无效：0 8 * * funday"),
        ("0 8 * * 1", "schedule：cron 的星期请写英文缩写 mon…sun：0 8 * * 1"),
    ],
)
def test_bad_cron_is_an_error_at_its_line(cron: str, message: str) -> None:
    _, issues = quiz(WEEKLY.replace("0 8 * * mon", cron))
    (issue,) = errors(issues)
    assert issue[0] == 4 and issue[1].startswith(message)


@pytest.mark.parametrize(
    "cron", ["0 8 * * mon", "*/30 9-17 * * mon-fri", "0 20 1 * *", "0 8 * * sun,sat"]
)
def test_valid_cron(cron: str) -> None:
    doc, issues = quiz(WEEKLY.replace("0 8 * * mon", cron))
    assert issues == [] and doc is not None and doc.schedule == cron


def test_weekly_without_schedule_is_an_error_at_kind() -> None:
    _, issues = quiz("title: 周测\nkind: weekly\ndraw: [{bank: b, count: 1}]\n")
    assert errors(issues) == [(3, 'weekly 测验缺少 schedule（cron，如 "0 8 * * mon"）')]


@pytest.mark.parametrize("kind", ["special", "exam"])
def test_special_and_exam_need_both_times(kind: str) -> None:
    _, issues = quiz(f"title: 考试\nkind: {kind}\ndraw: [{{bank: b, count: 1}}]\n")
    assert errors(issues) == [
        (3, f"{kind} 测验缺少 opens_at（如 2026-12-01 08:00）"),
        (3, f"{kind} 测验缺少 closes_at（如 2026-12-01 08:00）"),
    ]


def test_closes_before_opens_is_an_error_at_closes_at() -> None:
    _, issues = quiz(SPECIAL.replace("2026-12-08 08:00", "2026-12-01 07:59"))
    assert errors(issues) == [(5, "closes_at 应晚于 opens_at")]


def test_impossible_dates_are_errors() -> None:
    _, issues = quiz(SPECIAL.replace("2026-12-08 08:00", "2026-02-30 08:00"))
    assert errors(issues) == [(5, "closes_at：日期不存在：2026-02-30 08:00")]


def test_date_only_closes_at_warns_that_it_closes_at_midnight() -> None:
    doc, issues = quiz(SPECIAL.replace("2026-12-08 08:00", "2026-12-08"))
    assert doc is not None and doc.closes_at == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    assert [(i.line, i.severity) for i in issues] == [(5, "warning")]


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("pass_score: 120\n", 6, "pass_score 应在 0–100 之间，这里是 120"),
        ("pass_score: -1\n", 6, "pass_score 应在 0–100 之间，这里是 -1"),
        ("pass_score: 60%\n", 6, "pass_score 应为整数，这里是 60%"),
        (
            "review: later\n",
            6,
            "review 不能是 later（可用：after_answer、after_submit、after_close、never）",
        ),
        ("attempts: 0\n", 6, "attempts 应不小于 1，这里是 0"),
        (
            "count: 5\n",
            6,
            "count 只用于 daily；weekly 测验在 draw 的每条规则里写 count",
        ),
        ("opens_at: 2026-12-01\n", 6, "weekly 测验按 schedule 开放，不用 opens_at"),
        ("points: -1\n", 6, "points 应不小于 0，这里是 -1"),
    ],
)
def test_setting_errors_are_reported_at_their_line(
    extra: str, line: int, message: str
) -> None:
    _, issues = quiz(WEEKLY + extra)
    assert errors(issues) == [(line, message)]


def test_schedule_and_open_for_do_not_apply_to_special() -> None:
    _, issues = quiz(SPECIAL + 'schedule: "0 8 * * mon"\nopen_for: 7d\n')
    assert errors(issues) == [
        (7, "special 测验用 opens_at/closes_at，不用 schedule"),
        (8, "special 测验用 closes_at 结束，不用 open_for"),
    ]


def test_draw_rule_filters() -> None:
    doc, issues = quiz(
        'title: 周测\nkind: weekly\nschedule: "0 8 * * mon"\ndraw:\n'
        "  - bank: dangjian\n    tags: 党史，党章\n    types: [单选, multiple]\n    count: 3\n"
    )
    assert issues == [] and doc is not None
    assert doc.draw == (
        DrawRule(
            bank="dangjian",
            tags=("党史", "党章"),
            types=("single", "multiple"),
            count=3,
            line=6,
        ),
    )


@pytest.mark.parametrize(
    ("draw", "expected"),
    [
        ("draw: {bank: b, count: 1}\n", [(5, "draw 应为列表，每项如 {bank: dangjian-jichu, count: 5}")]),
        ("draw: [b]\n", [(5, "draw 的每一项应为 {bank: …, tags: […], types: […], count: N}")]),
        ("draw:\n  - {bank: b}\n", [(6, "draw 规则缺少 count")]),
        ("draw:\n  - {bank: b, count: 0}\n", [(6, "count 应不小于 1，这里是 0")]),
        ("draw:\n  - {bank: b, count: 2, limit: 3}\n", [(6, "draw 规则不认识 limit（可用：bank、tags、types、count）")]),
        ("draw:\n  - {bank: 党建, count: 2}\n", [(6, "bank “党建” 无效：只能用字母、数字、- 和 _")]),
        ("draw:\n  - {types: [essay], count: 2}\n", [(6, "types 不认识 essay（可用：single、multiple、truefalse、fill）")]),
    ],
)  # fmt: skip
def test_bad_draw_rules_are_errors_at_their_line(
    draw: str, expected: list[tuple[int, str]]
) -> None:
    front = 'title: 周测\nkind: weekly\nschedule: "0 8 * * mon"\n' + draw
    _, issues = quiz(front)
    assert errors(issues)[: len(expected)] == expected


def test_quiz_may_carry_a_fixed_paper() -> None:
    doc, issues = quiz(
        SPECIAL.replace("draw: [{bank: b, count: 1}]\n", "lesson: sanhui\n"),
        "考前须知。\n\n## 题一 {#exam-001}\n答案：对\n解析：x\n",
    )
    assert issues == [] and doc is not None
    assert doc.intro_md == "考前须知。"
    assert [(q.id, q.line, q.source_lesson) for q in doc.questions] == [
        ("exam-001", 10, "sanhui")
    ]


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        ('title: 周测\nkind: weekly\nschedule: "0 8 * * mon"\n', "", (3, "测验没有题目：写 draw 抽题规则，或直接在文件中写题目")),
        (WEEKLY, "## 题 {#q1}\n答案：对\n解析：x\n", (5, "固定题目（文件中的 ## 题）和 draw 只能二选一")),
        ("title: 每日\nkind: daily\n", "## 题 {#q1}\n答案：对\n解析：x\n", (3, "daily 测验每天为每人抽题，不能写固定题目")),
        ("title: 每日\nkind: daily\ncount: 3\ndraw: [{bank: b, count: 3}]\n", "", (4, "daily 测验的 count 和 draw 只能写一个")),
    ],
)  # fmt: skip
def test_paper_errors(front: str, body: str, expected: tuple[int, str]) -> None:
    _, issues = quiz(front, body)
    assert errors(issues) == [expected]


def test_bank_with_quiz_settings_but_no_kind_is_an_error() -> None:
    doc, issues = parse_file(
        PATH,
        '---\ntitle: x\nschedule: "0 8 * * mon"\n---\n## 题 {#q1}\n答案：对\n解析：x\n',
    )
    assert isinstance(doc, BankDoc)
    assert errors(issues) == [
        (
            3,
            "写了 schedule 却没有 kind：测验定义要写 kind（daily、weekly、special、exam）",
        )
    ]


def test_unknown_quiz_key_is_a_warning() -> None:
    _, issues = quiz(WEEKLY + "shedule: x\n")
    assert [(i.line, i.severity) for i in issues] == [(6, "warning")]


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (WEEKLY + "pass_score: 101\n", 6, "pass_score 应在 0–100 之间，这里是 101"),
        (WEEKLY + "pass_score: -5\n", 6, "pass_score 应在 0–100 之间，这里是 -5"),
        (WEEKLY + "attempts: 0\n", 6, "attempts 应不小于 1，这里是 0"),
        (WEEKLY + "attempts: -3\n", 6, "attempts 应不小于 1，这里是 -3"),
        (WEEKLY + "points: -1\n", 6, "points 应不小于 0，这里是 -1"),
        ("title: 每日一练\nkind: daily\ncount: 0\n", 4, "count 应不小于 1，这里是 0"),
        ('title: 周测\nkind: weekly\nschedule: "0 8 * * mon"\ndraw:\n  - {bank: b, count: -2}\n', 6, "count 应不小于 1，这里是 -2"),
    ],
)  # fmt: skip
def test_range_messages_read_naturally_with_one_or_two_bounds(
    front: str, line: int, message: str
) -> None:
    _, issues = quiz(front)
    assert errors(issues) == [(line, message)]


def test_after_answer_is_allowed_for_an_untimed_practice_quiz() -> None:
    doc, issues = quiz(SPECIAL + "review: after_answer\n")
    assert errors(issues) == [] and doc is not None and doc.review == "after_answer"


@pytest.mark.parametrize(
    ("front", "line", "what"),
    [
        (
            SPECIAL.replace("kind: special", "kind: exam") + "review: after_answer\n",
            7,
            "考试（exam）",
        ),
        (
            WEEKLY + "time_limit: 15m\nreview: after_answer\n",
            7,
            "限时测验（time_limit）",
        ),
    ],
)
def test_after_answer_is_refused_for_exams_and_timed_quizzes(
    front: str, line: int, what: str
) -> None:
    doc, issues = quiz(front)
    assert errors(issues) == [
        (
            line,
            f"review: after_answer 只用于练习，{what}不能答一题就公布答案（可用 after_submit、after_close 或 never）",
        )
    ]
    assert str([i for i in issues if i.is_error][0]).startswith(
        f"{PATH}:{line}: error:"
    )
