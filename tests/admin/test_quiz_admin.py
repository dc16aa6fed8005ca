"""管理 › 测验: occurrences in words with their figures, closing and extending
(audited, enforced on the server), the year-end exam's results; scope."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.content.format.checker import check_tree
from studyapp.content.models import QuizDefinition
from studyapp.content.publishing import publish_report
from studyapp.errors import Conflict, ValidationFailed
from studyapp.quiz import actions, wording
from studyapp.quiz.models import GRADED, OPEN, Attempt, QuizOccurrence
from studyapp.quiz.payloads import ExtendIn, SubmitIn
from studyapp.timeutil import local, utcnow
from tests.conftest import csrf_token
from tests.content_helpers import lesson, write
from tests.factories import keyed, make_tree, make_user
from tests.html import text_of
from tests.quiz.conftest import BANK, fmt

RIGHT = {"q-single": "A", "q-multi": ["A", "B"], "q-tf": True, "q-fill": ["组织"]}
WRONG = {"q-single": "B", "q-multi": ["A"], "q-tf": False, "q-fill": ["群众"]}


def quiz_file(
    slug: str,
    title: str,
    audience: str,
    kind: str = "exam",
    review: str = "after_submit",
) -> str:
    now = utcnow()
    return f"""---
id: {slug}
title: {title}
kind: {kind}
opens_at: "{fmt(now - timedelta(days=1))}"
closes_at: "{fmt(now + timedelta(days=1))}"
draw:
  - {{bank: bank, count: 4}}
attempts: 1
pass_score: 60
review: {review}
audience: {audience}
---
年终考试。
"""


WEEKLY = """---
id: zhouce
title: 每周一测
kind: weekly
schedule: "0 8 * * mon"
open_for: 2d
draw:
  - {bank: bank, count: 4}
---
每周。
"""


@pytest.fixture
def site(db, app):  # type: ignore[no-untyped-def]
    root = Path(app.config["CONTENT_DIR"])
    write(root, "lessons/sanhui.md", lesson())
    write(root, "quizzes/bank.md", BANK.format(secret="解析"))
    write(root, "quizzes/quizzes/exam.md", quiz_file("nianzhong", "年终考试", "all"))
    write(root, "quizzes/quizzes/gen.md", quiz_file("zongzhi", "总支竞赛", "[GEN]"))
    write(root, "quizzes/quizzes/c.md", quiz_file("bingzhi", "丙支部测验", "[C]"))
    later = quiz_file("jingsai", "竞赛", "all", "special", review="after_close")
    write(root, "quizzes/quizzes/later.md", later)
    write(root, "quizzes/quizzes/weekly.md", WEEKLY)
    daily = "---\nid: daily\ntitle: 每日答题\nkind: daily\ncount: 3\n---\n每天。\n"
    write(root, "quizzes/quizzes/daily.md", daily)
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        tree = make_tree(s)
        # Admins are left out of the figures (exempt), so the counts are members'.
        make_user(s, tree["root"], "admin", role=Role.ADMIN, exempt_reason="管理员")
        make_user(s, tree["gen"], "genadmin", role=Role.ADMIN, exempt_reason="管理员")
        for name, unit in (("aa1", "a"), ("aa2", "a"), ("bb1", "b"), ("cc1", "c")):
            make_user(s, tree[unit], name, name=f"党员{name[1:]}")
        make_user(s, tree["a"], "sick", exempt_reason="长期病假")
    return tree


def actor(s, username):  # type: ignore[no-untyped-def]
    return Actor.of(s.scalar(select(User).where(User.username == username)))


def take(db, username, slug="nianzhong", answers=RIGHT, submit=True, now=None):  # type: ignore[no-untyped-def]
    with db() as s:
        who = actor(s, username)
        view = actions.start_attempt(s, who, slug, now or utcnow())
        asked = {q.id for q in view.questions}
        answers = keyed(s, {k: v for k, v in answers.items() if k in asked})
        if submit:
            actions.submit(s, who, view.attempt_id, SubmitIn(answers=answers),
                           now or utcnow())  # fmt: skip
        return view.attempt_id


def occurrence_id(db, slug="nianzhong"):  # type: ignore[no-untyped-def]
    with db() as s:
        definition = s.scalar(
            select(QuizDefinition.id).where(QuizDefinition.slug == slug)
        )
        return s.scalar(
            select(QuizOccurrence.id).where(QuizOccurrence.definition_id == definition)
        )


def post(client, url, **data):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/admin/quizzes/")
    return client.post(url, data={"csrf_token": token, **data})


def test_the_list_names_occurrences_in_words_with_their_figures(site, login_as, db):
    take(db, "aa1")
    take(db, "aa2", submit=False)
    take(db, "cc1", answers=WRONG)
    page = login_as("admin").get("/admin/quizzes/").get_data(as_text=True)
    card = text_of(page, "quiz-nianzhong")
    today = local(utcnow())
    assert f"{today.month}月" in card and "once" not in page and "T08:00" not in page
    assert "参加 3 人，交卷 2 人，共 4 人" in card
    assert "平均 50.0 分" in card and "通过率 50%" in card
    assert "考试" in card and "全体党员" in card


def test_an_admin_of_a_subtree_sees_only_it(site, login_as, db):
    take(db, "aa1")
    take(db, "cc1", answers=WRONG)
    client = login_as("genadmin")
    page = client.get("/admin/quizzes/").get_data(as_text=True)
    assert "参加 1 人，交卷 1 人，共 3 人" in text_of(page, "quiz-nianzhong")
    assert "丙支部测验" not in page and "总支竞赛" in page
    assert client.get("/admin/quizzes/bingzhi").status_code == 404
    occ = occurrence_id(db)
    results = client.get(f"/admin/quizzes/occurrences/{occ}/results").get_data(
        as_text=True
    )
    assert "党员a1" in results and "党员c1" not in results
    assert (
        client.get(f"/admin/quizzes/occurrences/{occ}/members/cc1").status_code == 404
    )
    sheet = client.get(f"/admin/quizzes/occurrences/{occ}/results.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.values)
    assert {r[3] for r in rows[2:]} == {"aa1", "aa2", "bb1"}


def test_closing_now_hands_in_open_sheets_and_refuses_new_answers(site, login_as, db):
    take(db, "aa1")
    open_id = take(db, "aa2", submit=False)
    occ = occurrence_id(db)
    client = login_as("admin")
    resp = post(client, f"/admin/quizzes/occurrences/{occ}/close")
    assert resp.status_code == 302
    assert "已结束" in text_of(client.get("/admin/quizzes/nianzhong").get_data(
        as_text=True), f"occurrence-{occ}")  # fmt: skip
    with db() as s:
        assert s.get(Attempt, open_id).state == GRADED
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.close"))
        assert event is not None and event.target == "quiz:nianzhong"
        assert event.detail["key"] == "once" and event.detail["attempts"] == 1
        with pytest.raises(Conflict):
            actions.start_attempt(s, actor(s, "bb1"), "nianzhong", utcnow())
        cards = actions.quiz_cards(s, actor(s, "bb1"), utcnow())
        assert "nianzhong" not in {c.id for c in cards}
    again = post(client, f"/admin/quizzes/occurrences/{occ}/close")
    assert again.status_code == 409


def test_extending_gives_members_and_open_sheets_the_new_deadline(site, login_as, db):
    graded = take(db, "aa1")
    open_id = take(db, "aa2", submit=False)
    occ = occurrence_id(db)
    with db() as s:
        before = s.get(Attempt, graded).deadline
        old_close = s.get(QuizOccurrence, occ).closes_at
    new = local(old_close + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client = login_as("admin")
    resp = post(client, f"/admin/quizzes/occurrences/{occ}/extend", closes_at=new)
    assert resp.status_code == 302
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert f"的截止时间从 {local(old_close):%Y-%m-%d %H:%M} 延长到 " in audit
    assert "年终考试（" in audit
    later = old_close + timedelta(hours=1)  # the file's closing time has passed
    with db() as s:
        assert s.get(QuizOccurrence, occ).closes_at == old_close + timedelta(days=2)
        assert s.get(Attempt, open_id).deadline == old_close + timedelta(days=2)
        assert s.get(Attempt, graded).deadline == before
        card = next(c for c in actions.quiz_cards(s, actor(s, "bb1"), later)
                    if c.id == "nianzhong")  # fmt: skip
        assert card.closes_at == old_close + timedelta(days=2)
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.extend"))
    take(db, "bb1", now=later)  # still open for members after the file's time
    with db() as s:
        assert s.scalar(select(Attempt.state).where(Attempt.id == open_id)) == OPEN


def test_an_earlier_deadline_is_refused_with_the_field_named(site, login_as, db):
    take(db, "aa1")
    occ = occurrence_id(db)
    resp = post(login_as("admin"), f"/admin/quizzes/occurrences/{occ}/extend",
                closes_at="2020-01-01T08:00")  # fmt: skip
    assert resp.status_code == 400 and "新的截止时间要晚于" in resp.get_data(
        as_text=True
    )


def test_only_an_admin_holding_the_whole_audience_closes_or_extends(site, login_as, db):
    take(db, "aa1")
    take(db, "aa1", slug="zongzhi")
    client = login_as("genadmin")
    whole = occurrence_id(db)
    assert post(client, f"/admin/quizzes/occurrences/{whole}/close").status_code == 403
    ours = occurrence_id(db, "zongzhi")
    assert post(client, f"/admin/quizzes/occurrences/{ours}/close").status_code == 302


def test_the_daily_quiz_cannot_be_closed(site, db):
    take(db, "aa1", slug="daily")
    with db() as s:
        occ = s.scalar(select(QuizOccurrence).where(
            QuizOccurrence.definition_id == s.scalar(select(QuizDefinition.id).where(
                QuizDefinition.kind == "daily"))))  # fmt: skip
        with pytest.raises(Conflict):
            actions.close_occurrence(s, actor(s, "admin"), occ.id, utcnow())


def test_results_by_branch_member_and_question_and_a_printable_sheet(
    site, login_as, db
):
    take(db, "aa1")
    take(db, "aa2", answers=WRONG)
    take(db, "bb1", answers={**WRONG, "q-single": "A", "q-tf": True})
    occ = occurrence_id(db)
    client = login_as("admin")
    page = client.get(f"/admin/quizzes/occurrences/{occ}/results").get_data(
        as_text=True
    )
    assert "交卷 2 / 2 人 · 通过 1 人 · 通过率 50%" in text_of(page, "branch-A")
    assert "交卷 0 / 1 人" in text_of(page, "branch-C")
    assert "100.0 分 · 通过" in text_of(page, "member-aa1")
    assert "未交卷" in text_of(page, "member-cc1")
    weakest = text_of(page, "weakest-questions")
    assert weakest.index("q-multi") < weakest.index("q-single")
    only_a = client.get(f"/admin/quizzes/occurrences/{occ}/results?branch=A")
    assert "党员b1" not in only_a.get_data(as_text=True)
    sheet = client.get(f"/admin/quizzes/occurrences/{occ}/members/aa2")
    text = sheet.get_data(as_text=True)
    assert "党员a2" in text and "0.0 分（答对 0 / 4 题），未通过" in text_of(
        text, "sheet-score"
    )
    assert text_of(text, "sheet-answers").count("✗ 错") == 4
    assert "组织" not in text_of(text, "sheet-answers")  # no answers on the sheet


def test_results_are_paged(site, db, login_as):
    with db() as s:
        for n in range(55):
            make_user(s, site["b"], f"many{n:02d}", name=f"乙{n:02d}")
    occ_client = login_as("admin")
    take(db, "aa1")
    occ = occurrence_id(db)
    first = occ_client.get(f"/admin/quizzes/occurrences/{occ}/results")
    second = occ_client.get(f"/admin/quizzes/occurrences/{occ}/results?page=2")
    one, two = first.get_data(as_text=True), second.get_data(as_text=True)
    assert "共 59 人，第 1 页" in one and "下一页" in one
    rows = [len(re.findall(r'id="member-(?!results)', p)) for p in (one, two)]
    assert rows == [50, 9]


def test_the_api_lists_closes_and_extends(site, login_as, db):
    take(db, "aa1")
    occ = occurrence_id(db)
    client = login_as("admin")
    listing = client.get("/api/v1/admin/quizzes").get_json()
    exam = next(q for q in listing["quizzes"] if q["id"] == "nianzhong")
    assert exam["occurrences"][0]["handed_in"] == 1 and exam["can_run"]
    token = csrf_token(client, "/admin/quizzes/")
    later = (utcnow() + timedelta(days=3)).isoformat()
    resp = client.post(
        f"/api/v1/admin/quiz-occurrences/{occ}/extend",
        json={"closes_at": later},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 200
    assert resp.get_json()["occurrence"]["scheduled_closes_at"] is not None
    closed = client.post(f"/api/v1/admin/quiz-occurrences/{occ}/close",
                         headers={"X-CSRFToken": token})  # fmt: skip
    assert (
        closed.status_code == 200
        and closed.get_json()["occurrence"]["state"] == "closed"
    )
    results = client.get(f"/api/v1/admin/quiz-occurrences/{occ}/results").get_json()
    assert results["member_count"] == 4 and results["members"][0]["username"] == "aa1"


def test_members_and_secretaries_are_refused(site, login_as):
    assert login_as("aa1").get("/admin/quizzes/").status_code == 403


def test_a_closed_quiz_whose_answers_were_shown_cannot_be_reopened(site, db):
    take(db, "aa1", slug="jingsai")
    occ = occurrence_id(db, "jingsai")
    with db() as s:
        admin = actor(s, "admin")
        actions.close_occurrence(s, admin, occ, utcnow())
        later = ExtendIn(closes_at=utcnow() + timedelta(days=1))
        with pytest.raises(Conflict):
            actions.extend_occurrence(s, admin, occ, later, utcnow())


def test_a_weekly_quiz_is_extended_only_until_the_next_one_opens(site, db):
    today = local(utcnow()).replace(hour=9, minute=0, second=0, microsecond=0)
    monday = today - timedelta(days=today.weekday())  # 09:00 on this week's Monday
    take(db, "aa1", slug="zhouce", now=monday)
    occ = occurrence_id(db, "zhouce")
    with db() as s:
        admin = actor(s, "admin")
        too_late = ExtendIn(closes_at=monday + timedelta(days=7))
        with pytest.raises(ValidationFailed, match="下一次开放"):
            actions.extend_occurrence(s, admin, occ, too_late, monday)
        fine = ExtendIn(closes_at=monday + timedelta(days=5))
        done = actions.extend_occurrence(s, admin, occ, fine, monday)
        assert done.occurrence.title == wording.occurrence_title(
            monday, monday + timedelta(days=5), monday
        )


def test_a_branch_sheet_lists_every_member_of_that_branch(site, login_as, db):
    take(db, "aa1")
    occ = occurrence_id(db)
    client = login_as("genadmin")
    page = client.get(f"/admin/quizzes/occurrences/{occ}/branches/A")
    table = text_of(page.get_data(as_text=True), "branch-sheet-members")
    assert "党员a1100.0通过" in table and "党员a2—未交卷" in table
    assert table.count("党员") == 2  # not B's, nor the exempt member
    assert client.get(f"/admin/quizzes/occurrences/{occ}/branches/C").status_code == 404


def test_a_closing_time_without_a_time_zone_is_a_400(site, login_as, db):
    take(db, "aa1")
    occ = occurrence_id(db)
    client = login_as("admin")
    token = csrf_token(client, "/admin/quizzes/")
    resp = client.post(
        f"/api/v1/admin/quiz-occurrences/{occ}/extend",
        json={"closes_at": "2099-01-01T08:00:00"},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "closes_at"
