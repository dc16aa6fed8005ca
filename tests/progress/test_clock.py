"""One rule for study time across lessons, quizzes and the 错题本 (progress.clock).

These go through ``progress.actions.heartbeat``, as the web page and the API do.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.db import get_engine, get_session
from studyapp.errors import Conflict
from studyapp.progress import actions
from studyapp.progress.models import DailyActivity, ReadingState, StudyTime
from studyapp.progress.payloads import HeartbeatIn
from studyapp.progress.settings import for_actor
from studyapp.quiz import actions as quiz
from studyapp.quiz.payloads import SubmitIn
from studyapp.timeutil import utcnow
from tests.quiz.conftest import quiz_site  # noqa: F401  (fixture)


def actor(session) -> Actor:  # type: ignore[no-untyped-def]
    return Actor.of(session.scalar(select(User).where(User.username == "13800000001")))


def beat(session, who, at, **target):  # type: ignore[no-untyped-def]
    page = target.pop("page", "p1")
    return actions.heartbeat(session, who, HeartbeatIn(page_id=page, **target), at)


def beats(session, who, start, seconds, step=30, **target):  # type: ignore[no-untyped-def]
    return sum(
        beat(session, who, start + timedelta(seconds=n), **target).credited_seconds
        for n in range(0, seconds + 1, step)
    )


def credited(session, kind: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(func.coalesce(func.sum(StudyTime.seconds), 0)).where(
            StudyTime.kind == kind
        )
    )


def test_a_quiz_page_earns_study_time_while_it_beats(session, quiz_site):  # noqa: F811
    who, now = actor(session), utcnow()
    view = quiz.start_attempt(session, who, "practice", now)
    earned = beats(session, who, now, 300, attempt_id=view.attempt_id)
    assert earned == 300 and credited(session, "quiz") == 300


def test_quiz_time_is_not_added_on_top_of_reading(session, quiz_site):  # noqa: F811
    # Two pages beat side by side for 48 s: one is the lesson, one the quiz.
    who, now = actor(session), utcnow()
    view = quiz.start_attempt(session, who, "practice", now)
    total = 0
    for n in range(0, 49, 6):
        at = now + timedelta(seconds=n)
        total += beat(session, who, at, lesson_id="sanhui", page="a").credited_seconds
        total += beat(
            session, who, at, attempt_id=view.attempt_id, page="b"
        ).credited_seconds
    assert total == 48


def test_an_untimed_attempt_left_open_earns_nothing_without_beats(
    session,
    quiz_site,  # noqa: F811
):
    who, now = actor(session), utcnow()
    view = quiz.start_attempt(session, who, "practice", now)
    quiz.submit(session, who, view.attempt_id, SubmitIn(), now + timedelta(minutes=31))
    day = session.scalar(select(DailyActivity))
    assert credited(session, "quiz") == 0 and not day.goal_met


def test_a_quiz_earns_at_most_its_time_limit(session, quiz_site):  # noqa: F811
    who, now = actor(session), utcnow()
    view = quiz.start_attempt(session, who, "special", now)  # 20-minute limit
    earned = beats(session, who, now, 19 * 60 + 50, attempt_id=view.attempt_id)
    assert earned <= 20 * 60


def test_a_beat_for_a_handed_in_attempt_is_a_conflict(session, quiz_site):  # noqa: F811
    who, now = actor(session), utcnow()
    view = quiz.start_attempt(session, who, "practice", now)
    quiz.submit(session, who, view.attempt_id, SubmitIn(), now)
    with pytest.raises(Conflict):
        beat(session, who, now + timedelta(seconds=30), attempt_id=view.attempt_id)


def test_review_time_is_capped_per_day(session, quiz_site):  # noqa: F811
    who, now = actor(session), utcnow()
    earned = beats(session, who, now, 20 * 60, review=True)
    assert earned == 15 * 60


def count_statements(engine):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def on_execute(*args):  # type: ignore[no-untyped-def]
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", on_execute)
    return seen, lambda: event.remove(engine, "before_cursor_execute", on_execute)


def test_a_heartbeat_costs_at_most_six_statements(session, quiz_site):  # noqa: F811
    who, now = actor(session), utcnow()
    # The units' settings are read once per process and cached for seconds
    # (org.unit_settings): warm them, so each count is the beat's own.
    for_actor(session, who)
    costs = []
    for n in range(0, 12 * 30, 30):  # crosses a 5-minute point boundary
        seen, stop = count_statements(get_engine())
        beat(session, who, now + timedelta(seconds=n), lesson_id="sanhui")
        stop()
        costs.append(len(seen))
    # A steady beat: move the clock, read the day, add to the lesson and the day.
    # A 5-minute boundary adds the point and the total; the one beat that
    # finishes the lesson records that fact as well.
    assert sorted(costs)[len(costs) // 2] == 4, costs
    assert sorted(costs)[-2] <= 6 and max(costs) <= 7, costs


def test_simultaneous_first_beats_never_fail(app, quiz_site):  # noqa: F811
    # Twelve tabs opened at once: one clock row, no duplicate-key error.
    with app.app_context():
        who = actor(get_session())
    errors: list[BaseException] = []
    start = threading.Barrier(12)
    now = utcnow()

    def tab(n: int) -> None:
        with app.test_request_context(method="POST"):
            s = get_session()
            try:
                start.wait()
                beat(s, who, now, lesson_id="sanhui", page=f"tab-{n}")
                s.commit()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        assert len(get_session().scalars(select(ReadingState)).all()) == 1
