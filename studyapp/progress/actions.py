"""What a member does with their own progress: study time, 补学, books, history.

Each action is ``(session, actor, [input,] now) -> result``: it resolves what
the request names within the actor's own data (a lesson they may read, their
own attempt, their own book), calls the domain, and returns a typed result that
the HTML views render and the API serialises. Actions flush; the edge commits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.content import queries as content_queries
from studyapp.errors import NotFound, ValidationFailed
from studyapp.progress import books as book_log
from studyapp.progress import days, queries
from studyapp.progress.clock import Activity, credit_beat
from studyapp.progress.models import BookLog
from studyapp.progress.payloads import (
    Book,
    BookIn,
    BookProgressIn,
    Books,
    BookSaved,
    DayFigures,
    HeartbeatIn,
    HeartbeatOut,
    History,
    MakeUpIn,
    MakeUpOut,
    MakeUpState,
    PointsLine,
    Today,
)
from studyapp.progress.settings import for_actor
from studyapp.quiz import service as quiz_service
from studyapp.timeutil import month_key, study_day


def heartbeat(
    session: Session, actor: Actor, beat: HeartbeatIn, now: datetime
) -> HeartbeatOut:
    """A visible lesson, quiz or 错题本 page reports that it is being studied.

    The server decides what counts (``progress.clock``). Raises NotFound for a
    lesson the member may not read, Conflict for an attempt no longer open.
    """
    targets = (beat.lesson_id is not None) + (beat.attempt_id is not None) + beat.review
    if targets != 1:
        raise ValidationFailed(
            "请给出一个：lesson_id、attempt_id 或 review", field="lesson_id"
        )
    settings = for_actor(session, actor)
    if beat.lesson_id is not None:
        minutes = content_queries.lesson_minutes(
            session, beat.lesson_id, now, unit_path=actor.branch.path
        )
        if minutes is None:
            raise NotFound("没有这篇课文", field="lesson_id")
        activity = Activity.lesson(beat.lesson_id, minutes)
    elif beat.attempt_id is not None:
        activity = quiz_service.beat_activity(
            session, actor, beat.attempt_id, now, settings
        )
    else:
        activity = Activity("review", "review", settings.review_cap_seconds)
    page = beat.page_id or f"api:{(actor.auth_token or '')[:16]}"
    result = credit_beat(
        session, actor, activity, page_id=page, now=now, settings=settings
    )
    return HeartbeatOut(
        credited_seconds=result.credited_seconds,
        minutes_today=result.minutes_today,
        goal_met=result.goal_met,
    )


def today(session: Session, actor: Actor, now: datetime) -> Today:
    """Today's goal, streak and points."""
    settings = for_actor(session, actor)
    return queries.today_summary(
        session, actor.id, study_day(now), settings.goal_minutes, settings.tracking
    )


def home(
    session: Session, actor: Actor, now: datetime
) -> tuple[Today, MakeUpState, Book | None]:
    """首页's progress: today, 补学 and this month's book (three queries)."""
    settings, day = for_actor(session, actor), study_day(now)
    rows = queries.home_rows(session, actor.id, day, month_key(day))
    today = queries.summary_of(
        session, rows.days.get(day), rows.stats, day, settings.goal_minutes,
        settings.tracking,
    )  # fmt: skip
    active, options = queries.makeup_of(rows, day, study_day(actor.created_at))
    makeup = MakeUpState(
        active=MakeUpOut.model_validate(_makeup(active)) if active else None,
        options=options,
    )
    return today, makeup, Book.model_validate(rows.book) if rows.book else None


def makeup_state(session: Session, actor: Actor, now: datetime) -> MakeUpState:
    """The 补学 under way, or the missed days that may still be made up."""
    active = queries.active_makeup(session, actor.id)
    if active is not None:
        return MakeUpState(active=MakeUpOut.model_validate(_makeup(active)), options=[])
    options = queries.makeup_options(
        session, actor.id, study_day(now), study_day(actor.created_at)
    )
    return MakeUpState(active=None, options=options)


def start_makeup(
    session: Session, actor: Actor, body: MakeUpIn, now: datetime
) -> MakeUpOut:
    """Start 补学 for a missed day (yesterday or the day before, once each)."""
    row = days.start_makeup(session, actor, body.day, now=now)
    return MakeUpOut.model_validate(_makeup(row))


def _makeup(row: object) -> dict[str, object]:
    return {"day": row.study_day, "started_at": row.started_at}  # type: ignore[attr-defined]


def books(session: Session, actor: Actor, now: datetime) -> Books:
    """月读一本书: my books, newest month first."""
    rows = queries.books(session, actor.id)
    return Books(
        month=month_key(study_day(now)),
        books=[Book.model_validate(b) for b in rows],
    )


def add_book(session: Session, actor: Actor, body: BookIn, now: datetime) -> Book:
    """Log a book for this month."""
    row = book_log.add_book(
        session, actor, title=body.title, author=body.author, now=now
    )
    return Book.model_validate(row)


def update_book(
    session: Session, actor: Actor, book_id: int, body: BookProgressIn, now: datetime
) -> BookSaved:
    """Save progress and a note on one of my books; 100 % finishes it (+5, once)."""
    row = session.scalar(
        select(BookLog).where(BookLog.id == book_id, BookLog.user_id == actor.id)
    )
    if row is None:
        raise NotFound("没有这本书")
    earned = book_log.update_book(
        session,
        actor,
        row,
        progress_percent=body.progress_percent,
        note=body.note,
        now=now,
        settings=for_actor(session, actor),
    )
    return BookSaved(book=Book.model_validate(row), points_earned=earned)


def history(session: Session, actor: Actor, now: datetime) -> History:
    """我的: today, the last 30 days (oldest first) and my latest points."""
    figures = recent_days(session, actor.id, study_day(now))
    return History(
        today=today(session, actor, now),
        days=figures,
        goal_days=sum(f.goal_met for f in figures),
        points=[
            PointsLine(
                rule=p.rule, source=p.source, points=p.points, day=p.study_day, at=p.at
            )
            for p in queries.points_history(session, actor.id)
        ],  # fmt: skip
    )


def recent_days(
    session: Session, user_id: int, today: date, days: int = 30
) -> list[DayFigures]:
    """A member's last ``days`` days ending ``today``, oldest first (a day
    without activity has zeros)."""
    return [
        DayFigures(
            day=getattr(r, "study_day", r),
            minutes=getattr(r, "study_seconds", 0) // 60,
            goal_met=bool(getattr(r, "goal_met", False)),
            excused=bool(getattr(r, "excused", False)),
            points=getattr(r, "points", 0),
        )
        for r in queries.history(session, user_id, today, days)
    ]
