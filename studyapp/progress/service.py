"""Credit study time, award points, record facts; keep the day and stats caches.

Every function takes ``(session, …, now, settings)``, flushes and never commits.
Repeating an action never scores twice: the ledgers have unique keys per
(member, rule, source) and (member, kind, source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.progress import rules
from studyapp.progress.models import (
    ActivityEvent,
    DailyActivity,
    MakeUp,
    PointsEntry,
    ReadingState,
    StudyTime,
)
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.stats import refresh_day, refresh_stats, study_seconds
from studyapp.timeutil import day_bounds, study_day


@dataclass(frozen=True)
class BeatResult:
    credited_seconds: int
    minutes_today: int
    goal_met: bool


def credit_heartbeat(
    session: Session,
    user: User,
    *,
    lesson_slug: str,
    lesson_minutes: int,
    page_id: str,
    now: datetime,
    settings: ProgressSettings,
) -> BeatResult:
    """Credit reading time for a heartbeat from a visible lesson page.

    The server credits the real time since this page's previous beat, at most
    ``beat_cap_seconds``; nothing for a page's first beat or after a pause
    longer than ``beat_gap_seconds``. Only one page per member earns: a beat from
    another page while the first is still beating earns nothing. One lesson
    earns at most twice its ``minutes`` per day.
    """
    today = study_day(now)
    state = session.get(ReadingState, user.id, with_for_update=True)
    elapsed = _elapsed(state, page_id, now, settings)
    if elapsed is None:  # another page is the active one
        return BeatResult(
            0, _minutes(session, user.id, today), _met(session, user.id, today)
        )
    _take_over(session, state, user.id, lesson_slug, page_id, now)
    credited = 0
    if elapsed and settings.tracking:
        makeup_day = _makeup_day(session, user.id, now)
        for day, seconds in split_by_day(now - timedelta(seconds=elapsed), now):
            credited += _credit_lesson(
                session,
                user,
                lesson_slug,
                lesson_minutes,
                seconds,
                makeup_day or day,
                now,
                settings,
            )
    return BeatResult(
        credited, _minutes(session, user.id, today), _met(session, user.id, today)
    )


def _elapsed(state, page_id, now, settings) -> int | None:  # type: ignore[no-untyped-def]
    """Seconds to credit (0 = start), or None when another live page owns reading."""
    if state is None:
        return 0
    gap = (now - state.last_beat_at).total_seconds()
    if state.page_id != page_id:
        return None if 0 <= gap < settings.beat_gap_seconds else 0
    if gap <= 0 or gap >= settings.beat_gap_seconds:
        return 0
    return int(min(gap, settings.beat_cap_seconds))


def _take_over(session, state, user_id, slug, page_id, now) -> None:  # type: ignore[no-untyped-def]
    if state is None:
        session.add(
            ReadingState(
                user_id=user_id, lesson_slug=slug, page_id=page_id, last_beat_at=now
            )
        )
    else:
        state.lesson_slug, state.page_id, state.last_beat_at = slug, page_id, now
    session.flush()


def _credit_lesson(session, user, slug, minutes, seconds, day, now, settings) -> int:  # type: ignore[no-untyped-def]
    spent = study_seconds(session, user.id, day=day, kind="lesson", source=slug)
    allowed = max(min(seconds, 2 * minutes * 60 - spent), 0)
    if allowed:
        add_time(
            session,
            user,
            kind="lesson",
            source=slug,
            seconds=allowed,
            day=day,
            now=now,
            settings=settings,
        )
        _maybe_finished(session, user, slug, minutes, day, now, settings)
    return allowed


def add_time(
    session: Session,
    user: User,
    *,
    kind: str,
    source: str,
    seconds: int,
    day: date,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> None:
    """Add credited seconds to the ledger and the day; award the minute points.

    ``refresh=False`` leaves the day's cache to the caller (one refresh for
    several facts recorded together).
    """
    row = session.scalar(
        select(StudyTime).where(
            StudyTime.user_id == user.id,
            StudyTime.study_day == day,
            StudyTime.kind == kind,
            StudyTime.source == source,
        )
    )
    if row is None:
        row = StudyTime(
            user_id=user.id,
            study_day=day,
            kind=kind,
            source=source,
            seconds=0,
            updated_at=now,
        )
        session.add(row)
    row.seconds += seconds
    row.updated_at = now
    session.flush()
    total = _day_seconds(session, user.id, day)
    block = rules.MINUTES_PER_POINT * 60
    for n in range((total - seconds) // block + 1, total // block + 1):
        award(
            session,
            user,
            rule="study_minutes",
            source=f"{day.isoformat()}:{n}",
            points=settings.rules["study_minutes"].points,
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    if refresh:
        refresh_day(session, user, day, settings)


def credit_activity_time(
    session: Session,
    user: User,
    *,
    kind: str,
    source: str,
    started_at: datetime,
    ended_at: datetime,
    max_seconds: int,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> int:
    """Credit time spent in a quiz or review (server-measured, capped), once."""
    if not settings.tracking:
        return 0
    seconds = int(min(max((ended_at - started_at).total_seconds(), 0), max_seconds))
    day = study_day(ended_at)
    exists = session.scalar(
        select(StudyTime.id).where(
            StudyTime.user_id == user.id,
            StudyTime.kind == kind,
            StudyTime.source == source,
        )
    )
    if exists or not seconds:
        return 0
    add_time(
        session,
        user,
        kind=kind,
        source=source,
        seconds=seconds,
        day=day,
        now=now,
        settings=settings,
        refresh=refresh,
    )
    return seconds


def _maybe_finished(session, user, slug, minutes, day, now, settings) -> None:  # type: ignore[no-untyped-def]
    total = study_seconds(session, user.id, kind="lesson", source=slug)
    if total < minutes * 60 * rules.FINISH_SHARE:
        return
    if record_event(
        session, user, kind="lesson_finished", source=slug, day=day, now=now
    ):
        award(
            session,
            user,
            rule="lesson_finished",
            source=slug,
            points=settings.rules["lesson_finished"].points,
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )


def record_event(
    session: Session,
    user: User,
    *,
    kind: str,
    source: str,
    day: date,
    now: datetime,
    score: float | None = None,
) -> bool:
    """Record a one-time fact; False when it was already recorded."""
    exists = session.scalar(
        select(ActivityEvent.id).where(
            ActivityEvent.user_id == user.id,
            ActivityEvent.kind == kind,
            ActivityEvent.source == source,
        )
    )
    if exists:
        return False
    session.add(
        ActivityEvent(
            user_id=user.id,
            kind=kind,
            source=source,
            score=score,
            study_day=day,
            at=now,
        )
    )
    session.flush()
    return True


def award(
    session: Session,
    user: User,
    *,
    rule: str,
    source: str,
    points: int,
    day: date,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> int:
    """Add points once per (member, rule, source), within the rule's daily cap.

    Returns the points actually added (0 when repeated or capped).
    """
    exists = session.scalar(
        select(PointsEntry.id).where(
            PointsEntry.user_id == user.id,
            PointsEntry.rule == rule,
            PointsEntry.source == source,
        )
    )
    if exists:
        return 0
    earned = session.scalar(
        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
            PointsEntry.user_id == user.id,
            PointsEntry.rule == rule,
            PointsEntry.study_day == day,
        )
    )
    granted = rules.capped(points, earned, settings.rules[rule])
    if granted <= 0:
        return 0
    session.add(
        PointsEntry(
            user_id=user.id,
            rule=rule,
            source=source,
            points=granted,
            study_day=day,
            at=now,
        )
    )
    session.flush()
    if refresh:
        refresh_day(session, user, day, settings)
    return granted


def lesson_opened(
    session: Session,
    user: User,
    slug: str,
    *,
    now: datetime,
    settings: ProgressSettings,
) -> None:
    """Note that a member opened a lesson today (counts when time tracking is off)."""
    day = study_day(now)
    if record_event(
        session, user, kind="lesson_opened", source=f"{day}:{slug}", day=day, now=now
    ):
        refresh_day(session, user, day, settings)


def record_quiz(
    session: Session,
    user: User,
    *,
    daily: bool,
    source: str,
    correct: int,
    score: float,
    points: int,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> int:
    """Record a graded quiz attempt once; returns the points it earned.

    Daily quiz: +1 per correct answer (capped); other quizzes: ``points × score``
    (score in percent), rounded.
    """
    day = study_day(now)
    kind = "daily_quiz" if daily else "quiz"
    if not record_event(
        session, user, kind=kind, source=source, day=day, now=now, score=score
    ):
        return 0
    if daily:
        earned = award(
            session,
            user,
            rule="daily_quiz",
            source=source,
            points=correct * settings.rules["daily_quiz"].points,
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    else:
        earned = award(
            session,
            user,
            rule="quiz",
            source=source,
            points=round(points * score / 100),
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    if refresh:
        refresh_day(session, user, day, settings)
    return earned


def record_review(
    session: Session,
    user: User,
    *,
    source: str,
    right: bool,
    now: datetime,
    settings: ProgressSettings,
) -> int:
    """A 错题本 review answered; +1 when right (capped). Returns points earned."""
    day = study_day(now)
    record_event(session, user, kind="review", source=source, day=day, now=now)
    if not right:
        refresh_day(session, user, day, settings)
        return 0
    return award(
        session,
        user,
        rule="review_right",
        source=source,
        points=settings.rules["review_right"].points,
        day=day,
        now=now,
        settings=settings,
    )


def split_by_day(start: datetime, end: datetime) -> list[tuple[date, int]]:
    """Seconds between two instants, split at Asia/Shanghai midnight."""
    first, last = study_day(start), study_day(end)
    if first == last:
        return [(last, round((end - start).total_seconds()))]
    midnight = day_bounds(last)[0]
    return [
        (first, round((midnight - start).total_seconds())),
        (last, round((end - midnight).total_seconds())),
    ]


def _makeup_day(session: Session, user_id: int, now: datetime) -> date | None:
    """The missed day an open 补学 make-up is still filling, else None."""
    makeup = session.scalar(
        select(MakeUp).where(MakeUp.user_id == user_id, MakeUp.completed_at.is_(None))
    )
    if makeup is None:
        return None
    late = study_day(now) - makeup.study_day > timedelta(days=2)
    if late or _met(session, user_id, makeup.study_day):
        makeup.completed_at = now  # made up, or the window closed unfinished
        return None
    return makeup.study_day


def _day_seconds(session: Session, user_id: int, day: date) -> int:
    return study_seconds(session, user_id, day=day)


def _minutes(session: Session, user_id: int, day: date) -> int:
    return _day_seconds(session, user_id, day) // 60


def _met(session: Session, user_id: int, day: date) -> bool:
    return bool(
        session.scalar(
            select(DailyActivity.goal_met).where(
                DailyActivity.user_id == user_id, DailyActivity.study_day == day
            )
        )
    )


def user_refresh(
    session: Session, user: User, day: date, settings: ProgressSettings
) -> None:
    """Recompute one day and the member's stats (after an excuse or a make-up)."""
    refresh_day(session, user, day, settings)
    refresh_stats(session, user.id)
