"""Thirty days of plausible study history for the demo (SPEC §6), reproducibly.

Members study in the evening with a branch-dependent habit, read lessons, take
the daily quiz and the weekly quiz; everything goes through the same domain
functions as real use, so ledgers, streaks, points and branch figures agree.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import ACTIVE, Lesson
from studyapp.errors import DomainError
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress import service as progress
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.settlement import settle
from studyapp.quiz import prompts
from studyapp.quiz import service as quiz
from studyapp.timeutil import APP_TZ, study_day


def _members(session: Session) -> list[User]:
    stmt = (
        select(User)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .where(User.is_active, OrgUnit.kind == UnitKind.BRANCH.value)
        .order_by(User.id)
    )
    return list(session.scalars(stmt))


def _answers(
    session: Session, attempt_id: int, rng: random.Random, skill: float
) -> dict:  # type: ignore[type-arg]
    answers = {}
    for _row, revision, slug in prompts.attempt_rows(session, attempt_id):
        right = rng.random() < skill
        if revision.type == "fill":
            answers[slug] = [alts[0] if right else "不知道" for alts in revision.answer]
        elif revision.type == "truefalse":
            answers[slug] = revision.answer if right else not revision.answer
        elif revision.type == "multiple":
            answers[slug] = revision.answer if right else revision.answer[:1]
        else:
            keys = [o["key"] for o in revision.options]
            wrong = [k for k in keys if k != revision.answer]
            answers[slug] = revision.answer if right else rng.choice(wrong)
    return answers


def _take(session, user, slug, at, rng, skill, settings) -> None:  # type: ignore[no-untyped-def]
    try:
        attempt = quiz.start_attempt(session, user, slug, now=at, settings=settings)
    except DomainError:
        return  # not open then, or already taken
    finish = at + timedelta(minutes=rng.randint(2, 6))
    quiz.submit_attempt(
        session,
        user,
        attempt.id,
        _answers(session, attempt.id, rng, skill),
        now=finish,
        settings=settings,
    )


def _study(session, user, lessons, day_start, rng, settings) -> None:  # type: ignore[no-untyped-def]
    at = day_start + timedelta(minutes=rng.randint(0, 120))
    wanted = rng.choice([10, 18, 25, 31, 33, 36, 40, 45]) * 60
    for slug, minutes in rng.sample(lessons, k=min(3, len(lessons))):
        seconds = min(wanted, 2 * minutes * 60)
        progress.add_time(
            session,
            user,
            kind="lesson",
            source=slug,
            seconds=seconds,
            day=study_day(at),
            now=at,
            settings=settings,
            refresh=False,
        )
        progress.lesson_opened(session, user, slug, now=at, settings=settings)
        if seconds >= minutes * 60 * 0.8 and progress.record_event(
            session,
            user,
            kind="lesson_finished",
            source=slug,
            day=study_day(at),
            now=at,
        ):
            progress.award(
                session,
                user,
                rule="lesson_finished",
                source=slug,
                points=1,
                day=study_day(at),
                now=at,
                settings=settings,
                refresh=False,
            )
        wanted -= seconds
        at += timedelta(seconds=seconds)
        if wanted <= 0:
            break


def seed_history(
    session: Session, settings: ProgressSettings, now: datetime, days: int = 30
) -> int:
    """Create ``days`` days of history before today; returns member-days studied."""
    rng = random.Random(2026)
    lessons = [
        (slug, minutes)
        for slug, minutes in session.execute(
            select(Lesson.slug, Lesson.minutes).where(
                Lesson.status == ACTIVE,
                Lesson.publish_at.is_(None) | (Lesson.publish_at <= now),
            )
        )
    ]
    members = _members(session)
    habit = {u.branch_id: rng.uniform(0.45, 0.9) for u in members}
    skill = {u.id: rng.uniform(0.55, 0.95) for u in members}
    today = study_day(now)
    studied = 0
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        evening = datetime.combine(day, time(19, 0), tzinfo=APP_TZ)
        for user in members:
            keen = habit[user.branch_id] * (0.5 if user.is_exempt else 1.0)
            if rng.random() > keen:
                continue
            studied += 1
            _study(session, user, lessons, evening, rng, settings)
            if rng.random() < 0.75:
                _take(
                    session,
                    user,
                    "daily",
                    evening + timedelta(hours=2),
                    rng,
                    skill[user.id],
                    settings,
                )
            if day.weekday() == 0 and rng.random() < 0.7:
                _take(
                    session,
                    user,
                    "weekly",
                    evening + timedelta(hours=1),
                    rng,
                    skill[user.id],
                    settings,
                )
            progress.user_refresh(session, user, day, settings)
    settle(session, now, today)
    return studied
