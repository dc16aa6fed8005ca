"""What the quiz and digest jobs do (each also runs twice with effect once)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.notify.actions import send_weekly_digest
from studyapp.notify.models import Notification
from studyapp.progress.settings import defaults
from studyapp.quiz import service
from studyapp.quiz.jobs import close_attempts, open_occurrences
from studyapp.quiz.models import GRADED, QuizOccurrence
from studyapp.timeutil import utcnow

#: Monday 2026-11-23, 08:00 in Shanghai: the week before is the world's week.
MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_open_quizzes_get_their_occurrence_once(jobs_app, quiz_site, db):
    now = utcnow()
    with db() as s:
        first = open_occurrences(s, now)
        second = open_occurrences(s, now)
    assert sorted(first["opened"]) == ["practice@once", "special@once"]
    assert second == {"opened": []}
    with db() as s:
        assert len(s.scalars(select(QuizOccurrence)).all()) == 2


def test_overdue_attempts_are_graded_once(jobs_app, quiz_site, db):
    now = utcnow()
    with db() as s:
        user = s.scalar(select(User).where(User.username == quiz_site))
        settings = defaults(s)
        attempt = service.start_attempt(s, user, "special", now=now, settings=settings)
        attempt_id = attempt.id
    later = now + timedelta(hours=1)  # past the 20-minute limit
    with db() as s:
        assert close_attempts(s, now)["graded"] == 0
        assert close_attempts(s, later)["graded"] == 1
        assert close_attempts(s, later)["graded"] == 0
    with jobs_app.app_context():
        from studyapp.quiz.models import Attempt

        assert get_session().get(Attempt, attempt_id).state == GRADED


def _digests(app) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = get_session().execute(
            select(User.username, Notification.title, Notification.body)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "digest")
        )
        return {u: (t, b) for u, t, b in rows}


def test_secretaries_get_last_weeks_digest_once(jobs_app, world, db):
    with db() as s:
        first = send_weekly_digest(s, MONDAY)
        second = send_weekly_digest(s, MONDAY)
    assert first == {"week": "2026-W47", "sent": 2, "already_sent": 0}
    assert second["sent"] == 0 and second["already_sent"] == 2
    digests = _digests(jobs_app)
    assert set(digests) == {"sec_a", "sec_b"}
    title, body = digests["sec_a"]
    assert title == "上周学习周报（11月16日—11月22日）"
    assert "【甲支部】上周参与率" in body and "乙支部" not in body
    assert "测验《每周一测》3/4 人参加" in body
    assert "最需要巩固的题目" in body and "题目 q" in body
