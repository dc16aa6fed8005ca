"""The English UI has no Chinese left: every member, secretary and admin page,
rendered in English over data written in English, must contain no CJK text
(in its text or its attributes, which scripts show later) apart from the
language switch's own 「中文」 and 「语言」."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from studyapp.auth.roles import Role
from studyapp.content.format.checker import check_tree
from studyapp.content.models import Question, QuizDefinition
from studyapp.content.publishing import publish_report
from studyapp.org.models import UnitKind
from studyapp.progress.models import DailyActivity
from studyapp.quiz.models import GRADED, Attempt, AttemptAnswer, QuizOccurrence
from studyapp.timeutil import study_day, utcnow
from tests.conftest import csrf_token
from tests.content_helpers import write
from tests.factories import PASSWORD, make_unit, make_user

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")
#: The language switch names each language in its own script, on purpose.
ALLOWED = {"中文", "语言"}

LESSON = """---
id: {id}
title: {title}
series: Party basics
tags: [basics]
minutes: 3
---
# {title}

Members meet in branch meetings and study together. {body}
"""
BANK = """---
id: basics
title: Basics bank
tags: [basics]
lesson: meetings
---

## Which meeting is held every month? {#b-001}
- A. The branch committee meeting
- B. A national congress
答案：A
解析：The branch committee meets every month.
"""
DAILY = """---
id: daily
title: Daily practice
kind: daily
count: 1
---
One question a day.
"""

MEMBER = ["/", "/lessons", "/lessons/meetings", "/quizzes", "/quizzes/daily", "/me",
          "/books", "/me/password", "/inbox", "/review", "/leaderboard"]  # fmt: skip
SECRETARY = ["/branch", "/units/EN1", "/units/EN1/today", "/units/EN1/members",
             "/units/EN1/quizzes", "/units/EN1/items", "/units/EN1/trends",
             "/units/EN1/ranking", "/members/m_en"]  # fmt: skip
ADMIN = ["/admin/", "/admin/content/", "/admin/jobs", "/units/ROOT/branches",
         "/units/ROOT/ranking"]  # fmt: skip


@pytest.fixture
def english_world(db, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "en-content"
    write(root, "lessons/meetings.md", LESSON.format(
        id="meetings", title="Branch meetings", body="Each month."))  # fmt: skip
    write(root, "lessons/lectures.md", LESSON.format(
        id="lectures", title="Party lectures", body="Each quarter."))  # fmt: skip
    write(root, "quizzes/basics.md", BANK)
    write(root, "quizzes/daily.md", DAILY)
    with db() as s:
        top = make_unit(s, "ROOT", kind=UnitKind.COMMITTEE, name="County committee")
        branch = make_unit(s, "EN1", parent=top, name="First branch")
        make_user(s, branch, "m_en", name="Li Ming")
        make_user(s, branch, "s_en", name="Zhang Wei", role=Role.SECRETARY)
        make_user(s, top, "a_en", name="Wang Fang", role=Role.ADMIN)
        now = utcnow()
        report = check_tree([root])
        assert report.ok, report
        publish_report(s, report, content_root=root, scope=[root], now=now)
        _graded_weekly(s, now)


def _graded_weekly(s, now):  # type: ignore[no-untyped-def]
    """A weekly quiz that Li Ming took, so the 支部 quiz and item pages have rows."""
    from studyapp.auth.models import User

    member = s.query(User).filter_by(username="m_en").one()
    s.add(DailyActivity(user_id=member.id, study_day=study_day(now), points=2,
                        branch_id=member.branch_id, study_seconds=600))  # fmt: skip
    definition = QuizDefinition(
        slug="weekly", title="Weekly test", kind="weekly",
        settings={"pass_score": 60, "audience": "all", "schedule": "0 8 * * mon",
                  "open_for_seconds": 7 * 86400}, content_hash="h",
        source_path="w.md", created_at=now, updated_at=now,
    )  # fmt: skip
    s.add(definition)
    s.flush()
    occ = QuizOccurrence(
        definition_id=definition.id, key="2026-11-30T08:00",
        opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=5),
        created_at=now - timedelta(days=2),
    )  # fmt: skip
    s.add(occ)
    s.flush()
    question = s.query(Question).filter_by(slug="b-001").one()
    attempt = Attempt(
        occurrence_id=occ.id, user_id=member.id, number=1, seed="s", state=GRADED,
        started_at=now - timedelta(days=1), deadline=now - timedelta(hours=23),
        submitted_at=now - timedelta(days=1), correct_count=0, question_count=1,
        score=0.0,
    )  # fmt: skip
    s.add(attempt)
    s.flush()
    s.add(AttemptAnswer(attempt_id=attempt.id, position=0, question_id=question.id,
                        revision_id=question.current_revision_id, response="B",
                        is_correct=False))  # fmt: skip


def chinese_left(html: str) -> list[str]:
    """CJK runs in the page, except the language switch's own names."""
    return sorted({run for run in CJK.findall(html) if run not in ALLOWED})


def english_client(app, username):  # type: ignore[no-untyped-def]
    client = app.test_client()
    token = csrf_token(client)
    client.post("/lang", data={"lang": "en", "csrf_token": token})
    token = csrf_token(client)
    form = {"username": username, "password": PASSWORD, "csrf_token": token}
    resp = client.post("/login", data=form)
    assert resp.status_code == 302
    return client


@pytest.mark.parametrize(
    ("username", "paths"),
    [("m_en", MEMBER), ("s_en", SECRETARY), ("a_en", ADMIN)],
    ids=["member", "secretary", "admin"],
)
def test_english_pages_have_no_chinese_left(app, english_world, username, paths):
    client = english_client(app, username)
    left = {}
    for path in paths:
        resp = client.get(path)
        assert resp.status_code == 200, path
        html = resp.get_data(as_text=True)
        assert '<html lang="en"' in html, path
        if found := chinese_left(html):
            left[path] = [_context(html, run) for run in found]
    assert left == {}, "\n".join(f"{p}: {c}" for p, c in left.items())


def _context(html: str, run: str) -> str:
    at = html.index(run)
    return html[max(0, at - 60) : at + len(run) + 20].replace("\n", " ")


def test_the_login_and_offline_pages_have_no_chinese_left(app):
    client = app.test_client()
    client.post("/lang", data={"lang": "en", "csrf_token": csrf_token(client)})
    for path in ("/login", "/offline"):
        assert chinese_left(client.get(path).get_data(as_text=True)) == [], path


def test_the_check_finds_chinese_when_there_is_some():
    assert chinese_left('<p title="今日已学">Read</p>') == ["今日已学"]
    assert chinese_left("<button>中文</button> Language 语言") == []
