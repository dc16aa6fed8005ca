"""A small world for report tests: a committee, a general branch with branches A
and B, branch C; secretaries, admins, members; today's activity; one weekly
quiz with graded attempts; a clock fixed at Friday 2026-11-20 12:00 Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.content.models import Question, QuestionRevision, QuizDefinition
from studyapp.progress.models import BookLog, DailyActivity
from studyapp.quiz.models import GRADED, Attempt, AttemptAnswer, QuizOccurrence
from tests.factories import make_tree, make_user

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
JOINED = datetime(2026, 1, 1, tzinfo=UTC)
OPTIONS = [{"key": k, "html": f"<p>选项{k}</p>"} for k in "ABCD"]


@dataclass
class World:
    occurrence_id: int
    question_ids: list[int]


@pytest.fixture(autouse=True)
def clock():  # type: ignore[no-untyped-def]
    """Every report test runs on Friday 2026-11-20, 12:00 in Shanghai."""
    with time_machine.travel(NOW, tick=False):
        yield


def person(s, unit, username, *, role=Role.MEMBER, name=None, exempt=None):  # type: ignore[no-untyped-def]
    user = make_user(s, unit, username, role=role, name=name, exempt_reason=exempt)
    user.created_at = JOINED
    return user


def activity(s, user, day=TODAY, *, minutes=0, met=False, points=0):  # type: ignore[no-untyped-def]
    s.add(
        DailyActivity(
            user_id=user.id, study_day=day, branch_id=user.branch_id,
            study_seconds=minutes * 60, goal_met=met, points=points,
            lessons_opened=1 if minutes else 0,
        )
    )  # fmt: skip


def question(s, slug, answer, qtype="single", lesson="sanhui"):  # type: ignore[no-untyped-def]
    q = Question(
        slug=slug, type=qtype, tags=[], source_lesson=lesson, source_path="b.md",
        created_at=JOINED, updated_at=JOINED,
    )  # fmt: skip
    s.add(q)
    s.flush()
    rev = QuestionRevision(
        question_id=q.id, number=1, content_hash="h", type=qtype,
        stem_html=f"<p>题目 {slug}</p>", options=OPTIONS, answer=answer,
        created_at=JOINED,
    )  # fmt: skip
    s.add(rev)
    s.flush()
    q.current_revision_id = rev.id
    return q, rev


def sitting(s, occurrence, user, answers, *, number=1):  # type: ignore[no-untyped-def]
    """A graded attempt: answers = [(question, revision, response, correct)]."""
    right = sum(ok for *_, ok in answers)
    attempt = Attempt(
        occurrence_id=occurrence.id, user_id=user.id, number=number, seed="s",
        state=GRADED, started_at=NOW - timedelta(days=2),
        deadline=NOW - timedelta(days=1), submitted_at=NOW - timedelta(days=2),
        correct_count=right, question_count=len(answers),
        score=round(100 * right / len(answers), 1),
    )  # fmt: skip
    s.add(attempt)
    s.flush()
    for n, (q, rev, response, ok) in enumerate(answers):
        s.add(
            AttemptAnswer(attempt_id=attempt.id, position=n, question_id=q.id,
                          revision_id=rev.id, response=response, is_correct=ok)
        )  # fmt: skip
    return attempt


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """People (usernames below), today's activity and a graded weekly quiz."""
    with db() as s:
        units = make_tree(s)
        person(s, units["a"], "sec_a", role=Role.SECRETARY, name="甲书记")
        person(s, units["b"], "sec_b", role=Role.SECRETARY, name="乙书记")
        person(s, units["gen"], "admin_gen", role=Role.ADMIN, name="总支管理员")
        person(s, units["root"], "admin_root", role=Role.ADMIN, name="县管理员")
        a1 = person(s, units["a"], "am1", name="张三")
        a2 = person(s, units["a"], "am2", name="李四")
        a3 = person(s, units["a"], "am3", name="王五")
        person(s, units["a"], "a_exempt", name="赵老", exempt="年老体弱")
        b1 = person(s, units["b"], "bm1", name="乙支部党员")
        person(s, units["c"], "cm1", name="丙支部党员")
        s.flush()
        activity(s, a1, minutes=35, met=True, points=8)
        activity(s, a2, minutes=10, points=2)
        activity(s, b1, minutes=40, met=True, points=9)
        s.add(BookLog(user_id=a1.id, month="2026-11", title="中国共产党简史",
                      progress_percent=40, created_at=NOW, updated_at=NOW))  # fmt: skip
        definition = QuizDefinition(
            slug="weekly", title="每周一测", kind="weekly",
            settings={"pass_score": 60, "audience": "all", "schedule": "0 8 * * mon",
                      "open_for_seconds": 7 * 86400}, content_hash="h",
            source_path="w.md", created_at=JOINED, updated_at=JOINED,
        )  # fmt: skip
        s.add(definition)
        s.flush()
        occ = QuizOccurrence(
            definition_id=definition.id, key="2026-11-16T08:00",
            opens_at=NOW - timedelta(days=4), closes_at=NOW + timedelta(days=3),
            created_at=NOW - timedelta(days=4),
        )  # fmt: skip
        s.add(occ)
        q1, r1 = question(s, "q1", "A")
        q2, r2 = question(s, "q2", ["A", "B"], "multiple")
        q3, r3 = question(s, "q3", True, "judge", lesson=None)
        s.flush()
        # a1: all right (100); a2: q1 wrong with C, q2 wrong with A+C, q3 right
        # (33.3); a3: q1 wrong with C, q2 right, q3 wrong (33.3); b1 (branch B).
        sitting(s, occ, a1, [(q1, r1, "A", True), (q2, r2, ["A", "B"], True),
                             (q3, r3, True, True)])  # fmt: skip
        sitting(s, occ, a2, [(q1, r1, "C", False), (q2, r2, ["A", "C"], False),
                             (q3, r3, True, True)])  # fmt: skip
        sitting(s, occ, a3, [(q1, r1, "C", False), (q2, r2, ["A", "B"], True),
                             (q3, r3, False, False)])  # fmt: skip
        sitting(s, occ, b1, [(q1, r1, "B", False), (q2, r2, ["A"], False),
                             (q3, r3, False, False)])  # fmt: skip
        s.flush()
        return World(occ.id, [q1.id, q2.id, q3.id])


@pytest.fixture
def yesterday(world, db):  # type: ignore[no-untyped-def]
    """Thursday: 张三 and 李四 met the goal in A (2 of 4), 乙支部党员 in B (1 of 2)."""
    with db() as s:
        for username, points in (("am1", 6), ("am2", 2), ("bm1", 3)):
            user = s.scalar(select(User).where(User.username == username))
            s.add(
                DailyActivity(
                    user_id=user.id, study_day=TODAY - timedelta(days=1),
                    branch_id=user.branch_id, goal_met=True, points=points,
                )
            )  # fmt: skip
