"""Answers sent from a phone that lost its connection: numbered saves, replays,
answers out of order, and two copies of one save arriving at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.errors import Conflict
from studyapp.quiz import service
from studyapp.quiz.models import AttemptAnswer
from studyapp.timeutil import utcnow
from tests.factories import keyed
from tests.quiz.test_service import RIGHT, WRONG, member


def stored(session, attempt_id, slug):  # type: ignore[no-untyped-def]
    from studyapp.content.models import Question

    session.expire_all()
    return session.execute(
        select(AttemptAnswer.response, AttemptAnswer.client_seq)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(AttemptAnswer.attempt_id == attempt_id, Question.slug == slug)
    ).one()


@pytest.fixture
def open_attempt(session, quiz_site, settings):  # type: ignore[no-untyped-def]
    user = member(session)
    attempt = service.start_attempt(
        session, user, "practice", now=utcnow(), settings=settings
    )
    session.commit()
    return user, attempt


def test_the_highest_sequence_number_wins_whatever_the_arrival_order(
    session, open_attempt, key
):
    user, attempt = open_attempt
    now = utcnow()
    save = service.save_answers
    save(session, user, attempt.id, {"q-single": key["C"]}, now=now, seq=7)
    save(
        session, user, attempt.id, {"q-single": key["B"]}, now=now, seq=5
    )  # older, late
    save(session, user, attempt.id, {"q-single": key["C"]}, now=now, seq=7)  # a replay
    assert tuple(stored(session, attempt.id, "q-single")) == (key["C"], 7)
    save(session, user, attempt.id, {"q-single": key["A"]}, now=now, seq=8)
    assert tuple(stored(session, attempt.id, "q-single")) == (key["A"], 8)


def test_a_save_without_a_number_always_applies(session, open_attempt):
    user, attempt = open_attempt
    now = utcnow()
    service.save_answers(session, user, attempt.id, {"q-tf": False}, now=now, seq=3)
    service.save_answers(session, user, attempt.id, {"q-tf": True}, now=now)
    assert tuple(stored(session, attempt.id, "q-tf")) == (True, 3)


def test_a_replay_after_the_deadline_is_refused_and_changes_nothing(
    session, open_attempt, key
):
    user, attempt = open_attempt
    service.save_answers(
        session, user, attempt.id, {"q-single": key["B"]}, now=utcnow(), seq=1
    )
    late = attempt.deadline + timedelta(seconds=1)
    with pytest.raises(Conflict):
        service.save_answers(
            session, user, attempt.id, {"q-single": key["A"]}, now=late, seq=2
        )
    assert tuple(stored(session, attempt.id, "q-single")) == (key["B"], 1)


def test_graded_with_the_last_answer_given(session, open_attempt, settings):
    user, attempt = open_attempt
    now = utcnow()
    for seq, slug in enumerate(RIGHT, start=1):  # right answers, numbered 1..4
        service.save_answers(
            session,
            user,
            attempt.id,
            keyed(session, {slug: RIGHT[slug]}),
            now=now,
            seq=seq,
        )
    for slug in RIGHT:  # the wrong ones were given first, and arrive last
        service.save_answers(
            session,
            user,
            attempt.id,
            keyed(session, {slug: WRONG[slug]}),
            now=now,
            seq=1,
        )
    service.submit_attempt(session, user, attempt.id, None, now=now, settings=settings)
    assert attempt.correct_count == 4


def test_an_answer_shown_at_once_is_locked(session, drill, settings, key):
    user = member(session)
    attempt = service.start_attempt(
        session, user, "drill", now=utcnow(), settings=settings
    )
    now = utcnow()
    service.save_answers(
        session, user, attempt.id, {"q-single": key["B"]}, now=now, seq=4
    )
    # the same save again (its reply was lost): accepted, nothing changes
    service.save_answers(
        session, user, attempt.id, {"q-single": key["B"]}, now=now, seq=4
    )
    with pytest.raises(Conflict, match="不能再改"):
        service.save_answers(
            session, user, attempt.id, {"q-single": key["A"]}, now=now, seq=5
        )
    with pytest.raises(Conflict):
        service.save_answers(session, user, attempt.id, {"q-single": key["A"]}, now=now)
    # the same answer from a form sent twice (no number): no change, no error
    service.save_answers(session, user, attempt.id, {"q-single": key["B"]}, now=now)
    assert tuple(stored(session, attempt.id, "q-single")) == (key["B"], 4)


def _at_once(app, user_id, attempt_id, saves):  # type: ignore[no-untyped-def]
    """Run each (answers, seq) save in its own thread and transaction, together."""
    barrier = threading.Barrier(len(saves))
    errors: list[BaseException] = []

    def run(answers, seq):  # type: ignore[no-untyped-def]
        try:
            with app.app_context():
                s = get_session()
                barrier.wait(10)
                service.save_answers(
                    s, s.get(User, user_id), attempt_id, answers, now=utcnow(), seq=seq
                )
                s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=save) for save in saves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_concurrent_replays_keep_the_highest_number(app, session, open_attempt, key):
    user, attempt = open_attempt
    saves = [({"q-single": key[letter]}, seq)
             for letter, seq in (("C", 9), ("C", 9), ("B", 8), ("A", 3))]  # fmt: skip
    assert _at_once(app, user.id, attempt.id, saves) == []
    assert tuple(stored(session, attempt.id, "q-single")) == (key["C"], 9)


def test_concurrent_different_answers_to_a_locked_question_keep_one(
    app, session, drill, settings, key
):
    user = member(session)
    attempt = service.start_attempt(
        session, user, "drill", now=utcnow(), settings=settings
    )
    session.commit()
    saves = [({"q-single": key["B"]}, 1), ({"q-single": key["C"]}, 2)]
    errors = _at_once(app, user.id, attempt.id, saves)
    response, seq = stored(session, attempt.id, "q-single")
    # One of them was given first and is kept; the other was told it is locked.
    assert (response, seq) in ((key["B"], 1), (key["C"], 2))
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
