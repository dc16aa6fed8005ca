"""Attempts: start, resume, save, submit once, deadlines, attempts, the 错题本."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.auth.models import User
from studyapp.errors import Conflict, ValidationFailed
from studyapp.progress.models import PointsEntry
from studyapp.quiz import prompts, results, review, service
from studyapp.quiz.models import GRADED, Attempt, ReviewCard
from studyapp.timeutil import utcnow
from tests.factories import keyed

RIGHT = {"q-single": "A", "q-multi": ["A", "B"], "q-tf": True, "q-fill": ["党组织"]}
WRONG = {"q-single": "B", "q-multi": ["A"], "q-tf": False, "q-fill": ["人民"]}


def member(session):  # type: ignore[no-untyped-def]
    return session.scalar(select(User).where(User.username == "13800000001"))


def slugs(session, attempt):  # type: ignore[no-untyped-def]
    return [p.id for p in prompts.build(prompts.attempt_rows(session, attempt.id))]


def answers_for(session, attempt, table):  # type: ignore[no-untyped-def]
    return keyed(session, {slug: table[slug] for slug in slugs(session, attempt)})


def sit(session, settings, table, *, slug="practice", now=None, overrides=None):  # type: ignore[no-untyped-def]
    """Start an attempt for the member and hand it in with answers from ``table``."""
    user, now = member(session), now or utcnow()
    attempt = service.start_attempt(session, user, slug, now=now, settings=settings)
    answers = answers_for(session, attempt, table) | (overrides or {})
    service.submit_attempt(
        session, user, attempt.id, answers, now=now, settings=settings
    )
    return user, now, attempt


def test_start_draws_without_repeats_and_resumes(session, quiz_site, settings):
    user, now = member(session), utcnow()
    first = service.start_attempt(session, user, "practice", now=now, settings=settings)
    assert sorted(slugs(session, first)) == sorted(RIGHT)
    again = service.start_attempt(session, user, "practice", now=now, settings=settings)
    assert again.id == first.id  # resumed, not a new draw


def test_same_seed_same_paper(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(session, user, "daily", now=now, settings=settings)
    from studyapp.quiz import drawing
    from studyapp.quiz.catalog import find_definition

    definition = find_definition(session, "daily")
    # Redrawing from the stored seed gives the same questions (before any are seen).
    ids = [a.question_id for a in attempt.answers]
    session.query(Attempt).filter_by(id=attempt.id).delete()
    session.flush()
    assert drawing.paper(session, definition, user.id, attempt.seed, now) == ids


def test_submit_grades_once_and_scores_once(session, quiz_site, settings):
    user, now, attempt = sit(session, settings, RIGHT)
    assert attempt.state == GRADED and attempt.score == 100.0
    points = session.scalar(select(func.sum(PointsEntry.points)))
    repeat = service.submit_attempt(
        session,
        user,
        attempt.id,
        answers_for(session, attempt, WRONG),
        now=now,
        settings=settings,
    )
    assert repeat.score == 100.0  # the repeat returns the stored result
    assert session.scalar(select(func.sum(PointsEntry.points))) == points


def test_fill_in_accepts_alternatives_and_full_width(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    answers = answers_for(session, attempt, RIGHT) | {"q-fill": ["　组织 "]}
    service.submit_attempt(
        session, user, attempt.id, answers, now=now, settings=settings
    )
    assert attempt.correct_count == 4


def test_a_late_submit_is_graded_as_of_the_deadline(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "special", now=now, settings=settings
    )
    assert attempt.deadline == now + timedelta(minutes=20)
    first = slugs(session, attempt)[0]
    service.save_answers(
        session,
        user,
        attempt.id,
        keyed(session, {first: RIGHT[first]}),
        now=now + timedelta(minutes=5),
    )
    late = now + timedelta(minutes=30)
    with pytest.raises(Conflict):
        service.save_answers(
            session, user, attempt.id, keyed(session, {first: WRONG[first]}), now=late
        )
    service.submit_attempt(
        session,
        user,
        attempt.id,
        answers_for(session, attempt, RIGHT),
        now=late,
        settings=settings,
    )
    assert attempt.correct_count == 1  # only what was saved by the deadline
    assert attempt.submitted_at == attempt.deadline


def test_attempt_limit_is_enforced(session, quiz_site, settings):
    user, now = member(session), utcnow()
    for _ in range(2):
        a = service.start_attempt(session, user, "special", now=now, settings=settings)
        service.submit_attempt(session, user, a.id, {}, now=now, settings=settings)
    with pytest.raises(Conflict):
        service.start_attempt(session, user, "special", now=now, settings=settings)


def test_a_bad_response_names_the_question_and_saves_nothing(
    session, quiz_site, settings
):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    with pytest.raises(ValidationFailed) as exc:
        service.save_answers(
            session,
            user,
            attempt.id,
            keyed(session, {"q-single": "A", "q-multi": ["Z"]}),
            now=now,
        )
    assert exc.value.field == "q-multi"
    assert all(a.response is None for a in attempt.answers)


def test_someone_elses_attempt_is_not_found(session, quiz_site, settings):
    from studyapp.errors import NotFound
    from tests.factories import make_user

    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    other = make_user(session, user.branch, "13800000002")
    with pytest.raises(NotFound):
        service.submit_attempt(
            session, other, attempt.id, {}, now=now, settings=settings
        )


def test_wrong_answers_enter_the_review_book(session, quiz_site, settings):
    user, now, attempt = sit(session, settings, WRONG)
    assert session.scalar(select(func.count(ReviewCard.id))) == 4
    due = review.due_cards(session, user.id, now + timedelta(minutes=2))
    assert len(due) == 4


def test_review_right_is_good_and_scores_within_the_cap(session, quiz_site, settings):
    user, now, attempt = sit(session, settings, WRONG)
    later = now + timedelta(minutes=2)
    outcome = review.answer_review(
        session,
        user,
        "q-single",
        keyed(session, {"q-single": "A"})["q-single"],
        now=later,
        settings=settings,
    )
    assert outcome.correct and outcome.points == 1
    assert "解析-7f3a" in outcome.explanation_html and outcome.source_lesson == "sanhui"
    assert review.due_count(session, user.id, later) == 3


def test_a_card_forgotten_eight_times_is_a_leech(session, quiz_site, settings):
    user, now, attempt = sit(session, settings, WRONG)
    at = now
    for _ in range(8):
        at += timedelta(days=30)
        outcome = review.answer_review(
            session, user, "q-tf", False, now=at, settings=settings
        )
    assert outcome.is_leech


def test_daily_quiz_puts_due_reviews_first(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    service.submit_attempt(
        session,
        user,
        attempt.id,
        answers_for(session, attempt, RIGHT) | {"q-tf": False},
        now=now,
        settings=settings,
    )
    daily = service.start_attempt(
        session, user, "daily", now=now + timedelta(minutes=5), settings=settings
    )
    assert slugs(session, daily)[0] == "q-tf"


def test_after_close_hides_answers_until_the_quiz_closes(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "special", now=now, settings=settings
    )
    service.submit_attempt(
        session,
        user,
        attempt.id,
        answers_for(session, attempt, WRONG),
        now=now,
        settings=settings,
    )
    definition = service.occurrence_definition(session, attempt.occurrence)
    hidden = results.build(session, attempt, definition, now).model_dump()
    first = hidden["results"][0]
    assert "解析-7f3a" not in str(hidden)
    assert first["correct"] is None and first["answer"] is None
    after = attempt.occurrence.closes_at + timedelta(seconds=1)
    shown = results.build(session, attempt, definition, after).model_dump()
    assert shown["results"][0]["correct"] is False
    assert shown["results"][0]["answer"] is not None


def test_expired_attempts_are_graded_by_the_job(session, quiz_site, settings):
    user, now = member(session), utcnow()
    attempt = service.start_attempt(
        session, user, "special", now=now, settings=settings
    )
    assert service.expire_attempts(session, now, settings) == 0
    assert service.expire_attempts(session, now + timedelta(hours=1), settings) == 1
    assert attempt.state == GRADED
    assert service.expire_attempts(session, now + timedelta(hours=2), settings) == 0


def test_a_quiz_that_is_not_open_cannot_be_started(session, quiz_site, settings):
    user = member(session)
    with pytest.raises(Conflict):
        service.start_attempt(
            session,
            user,
            "special",
            now=utcnow() + timedelta(days=3),
            settings=settings,
        )


def test_any_aware_time_zone_is_accepted_by_the_review_book(
    session, quiz_site, settings
):
    # py-fsrs accepts UTC only; the domain takes any aware datetime.
    from studyapp.timeutil import APP_TZ

    user, now = member(session), utcnow().astimezone(APP_TZ)
    attempt = service.start_attempt(
        session, user, "practice", now=now, settings=settings
    )
    service.submit_attempt(
        session,
        user,
        attempt.id,
        answers_for(session, attempt, WRONG),
        now=now,
        settings=settings,
    )
    assert session.scalar(select(func.count(ReviewCard.id))) == 4
