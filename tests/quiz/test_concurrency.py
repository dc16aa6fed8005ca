"""Two devices submitting one attempt at the same moment grade it once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.progress.models import PointsEntry
from studyapp.quiz import service
from studyapp.quiz.models import ReviewLog
from studyapp.timeutil import utcnow
from tests.quiz.test_service import WRONG, answers_for


def test_concurrent_submits_grade_once(app, quiz_site, settings):
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.username == "13800000001"))
        attempt = service.start_attempt(
            session, user, "practice", now=utcnow(), settings=settings
        )
        answers = answers_for(session, attempt, WRONG | {"q-single": "A"})
        session.commit()
        attempt_id, user_id = attempt.id, user.id

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with app.app_context():
                barrier.wait(10)  # both start together; the database orders them
                s = get_session()
                member = s.get(User, user_id)
                service.submit_attempt(
                    s, member, attempt_id, answers, now=utcnow(), settings=settings
                )
                s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with app.app_context():
        s = get_session()
        assert (
            s.scalar(
                select(func.count(PointsEntry.id)).where(PointsEntry.rule == "quiz")
            )
            == 1
        )
        assert (
            s.scalar(select(func.count(ReviewLog.id))) == 3
        )  # three wrong, graded once
