"""A converted bank, published, feeds a quiz whose answers are graded right."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.content.convert.converter import convert_file
from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.progress.settings import ProgressSettings
from studyapp.quiz import prompts, service
from studyapp.timeutil import local, utcnow
from tests.content.convert.builders import docx_bytes, xlsx
from tests.content_helpers import write
from tests.factories import keyed, make_unit, make_user

WIDE = ("题型", "题干", *(f"选项{c}" for c in "ABCDEFGH"), "答案", "解析", "编号")


def row(kind: str, stem: str, options: str, answer: str, qid: str) -> list[str]:
    """A row with one option per character of *options* (up to 8)."""
    cells = [*options, *[""] * (8 - len(options))]
    return [kind, stem, *cells, answer, "解析。", qid]


ROWS = [
    row("单选", "「一課」指的是（　）。", "黨團", "A", "q1"),
    row("多选", "五个选项选三个（　）", "甲乙丙丁戊", "A、C、E", "q2"),
    row("单选", "八个选项（　）", "一二三四五六七八", "H", "q3"),
    row("判断", "党小组会一般每月召开一次。", "", "×", "q4"),
    row("填空", "支部委员会由____至（　）人组成。", "", "3|三；5|五", "q5"),
]
RIGHT = {"q1": "A", "q2": ["A", "C", "E"], "q3": "H", "q4": False, "q5": ["三", "5"]}
WRONG = {"q1": "B", "q2": ["A", "C"], "q3": "A", "q4": True, "q5": ["3", "4"]}
PAPER = ["一、单选题", "1．党支部党员大会一般每（　）召开一次。",
         "A．每周　B．每月　C．每季度", "答案：C", "解析：每季度。"]  # fmt: skip


def quiz(draws: str) -> str:
    now = utcnow()
    opens = local(now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    closes = local(now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    return (
        f'---\nid: practice\ntitle: 练习\nkind: special\nopens_at: "{opens}"\n'
        f'closes_at: "{closes}"\ndraw:\n{draws}attempts: unlimited\n'
        "review: after_submit\n---\n练习。\n"
    )


@pytest.fixture
def converted_site(db, app):  # type: ignore[no-untyped-def]
    root = Path(app.config["CONTENT_DIR"])
    sheet = convert_file("题库.xlsx", xlsx(ROWS, WIDE), out_name="tiku.md")
    paper = convert_file("试卷.docx", docx_bytes(PAPER), out_name="shijuan.md")
    assert sheet.ok and paper.ok
    write(root, "quizzes/tiku.md", sheet.markdown)
    write(root, "quizzes/shijuan.md", paper.markdown)
    write(root, "quizzes/quizzes/practice.md", quiz(
        "  - {bank: tiku, count: 5}\n  - {bank: shijuan, count: 1}\n"
    ))  # fmt: skip
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        make_user(s, make_unit(s, "BR"), "13800000001")


def sit(session, table):  # type: ignore[no-untyped-def]
    user = session.scalar(select(User).where(User.username == "13800000001"))
    settings, now = ProgressSettings(), utcnow()
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    slugs = [p.id for p in prompts.build(prompts.attempt_rows(session, attempt.id))]
    answers = keyed(session, {slug: table.get(slug, "C") for slug in slugs})
    service.submit_attempt(
        session, user, attempt.id, answers, now=now, settings=settings
    )
    return attempt, slugs


def test_a_quiz_draws_every_converted_question(session, converted_site):
    _, slugs = sit(session, RIGHT)
    assert sorted(slugs) == ["q1", "q2", "q3", "q4", "q5", "shijuan-001"]


def test_right_answers_score_full_marks(session, converted_site):
    attempt, _ = sit(session, RIGHT)
    assert attempt.correct_count == 6 and attempt.score == 100.0


def test_wrong_answers_score_nothing(session, converted_site):
    attempt, _ = sit(session, WRONG | {"shijuan-001": "A"})
    assert attempt.correct_count == 0 and attempt.score == 0.0
