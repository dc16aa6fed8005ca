"""The study clock: one rule credits study time for lessons, quizzes and reviews.

A page that is being studied (a lesson being read, a quiz being answered, the
错题本 being worked through) reports a heartbeat about every 30 seconds while it
is visible. The server credits the real time since that page's previous beat:

- nothing for a page's first beat, or after a pause longer than
  ``beat_gap_seconds``; at most ``beat_cap_seconds`` per beat;
- one page per member at a time, whatever it shows: while one page is beating,
  any other page (another tab, phone, activity) earns nothing. So a member is
  never credited more than wall-clock time, and quiz time never adds to reading
  time;
- each activity has a cap per study day: a lesson twice its expected minutes, a
  quiz attempt its time limit (or ``untimed_quiz_cap_seconds``), reviews
  ``review_cap_seconds``;
- time goes to an open 补学 day instead of today until that day's goal is met.

A beat is one unit of work, decided under the member's clock row lock (PostgreSQL
row lock; SQLite ``BEGIN IMMEDIATE``): advance the clock (1 statement), read what
the credit depends on (1), add to the source and the day (2), and, on a 5-minute
boundary, award the minute point (2). Repeats are made harmless by unique keys
with ``ON CONFLICT``, never by check-then-insert. Rare events (the goal met, a
lesson finished, a day split at midnight) cost a few statements more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union, update
from sqlalchemy.orm import Session

from studyapp.auth import membership
from studyapp.db import insert_ignore, insert_stmt
from studyapp.progress import rules
from studyapp.progress.models import (
    ActivityEvent,
    DailyActivity,
    MakeUp,
    PointsEntry,
    ReadingState,
    StudyTime,
    UserStats,
)
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.stats import refresh_stats
from studyapp.timeutil import day_bounds, study_day


@dataclass(frozen=True)
class Activity:
    """What a beating page is doing, as the credit rules need it."""

    #: ``lesson`` | ``quiz`` | ``review``
    kind: str
    #: The lesson slug, ``attempt:<id>``, or ``review``.
    source: str
    #: Most seconds this source may earn in one study day.
    day_cap_seconds: int
    #: Lessons: the total seconds (over all days) at which it counts as finished.
    finish_seconds: int | None = None

    @classmethod
    def lesson(cls, slug: str, minutes: int) -> Activity:
        return cls(
            "lesson",
            slug,
            2 * minutes * 60,
            math.ceil(minutes * 60 * rules.FINISH_SHARE),
        )


@dataclass(frozen=True)
class Beat:
    credited_seconds: int
    minutes_today: int
    goal_met: bool


@dataclass
class _Day:
    """A day's figures as read before this beat, and what the beat adds."""

    day: date
    exists: bool
    study_seconds: int
    goal_met: bool
    lessons_finished: int
    lessons_opened: int
    daily_quiz_done: bool
    source_seconds: int
    made_up_pending: bool  # an open 补学 targets this day
    #: The activity's seconds over all days (lessons: whether it is finished).
    source_total: int


def credit_beat(
    session: Session,
    user: Any,
    activity: Activity,
    *,
    page_id: str,
    now: datetime,
    settings: ProgressSettings,
) -> Beat:
    """Credit one heartbeat of ``activity`` from page ``page_id`` (see module doc).

    ``user`` is the Actor (or User): its ``id`` and ``branch_id`` are used.
    """
    elapsed, first = _advance(session, user.id, activity, page_id, now, settings)
    today = study_day(now)
    parts = _split(now - timedelta(seconds=elapsed), now) if elapsed else []
    days = _read_days(session, user.id, activity, {today, *(d for d, _ in parts)})
    makeup = _open_makeup(session, user.id, days, today, now)
    credited = 0
    if first and activity.kind == "lesson":
        _opened(session, user, activity, days[today], now, settings)
    if settings.tracking:
        for day, seconds in parts:
            target = days.get(makeup) if makeup else days[day]
            credited += _credit(session, user, activity, target, seconds, now, settings)
    t = days[today]
    return Beat(credited, t.study_seconds // 60, t.goal_met)


def _advance(
    session: Session,
    user_id: int,
    activity: Activity,
    page_id: str,
    now: datetime,
    settings: ProgressSettings,
) -> tuple[int, bool]:
    """Move the member's clock to this beat; (seconds to credit, first beat?).

    One UPDATE locks the row, keeps the previous beat in ``prev_*`` and takes
    the clock over only for the page that owns it (or any page once the owner
    has gone quiet); RETURNING gives the previous beat.
    """
    stale = now - timedelta(seconds=settings.beat_gap_seconds)
    rs = ReadingState.__table__.c
    owns = (rs.page_id == page_id) | (rs.last_beat_at <= stale)

    stmt = (
        update(ReadingState)
        .where(rs.user_id == user_id)
        .values(
            prev_page_id=rs.page_id,
            prev_beat_at=rs.last_beat_at,
            page_id=_case(owns, page_id, rs.page_id),
            lesson_slug=_case(owns, activity.source[:100], rs.lesson_slug),
            last_beat_at=_case(owns, now, rs.last_beat_at),
        )
        .returning(rs.prev_page_id, rs.prev_beat_at)
    )
    row = session.execute(stmt, execution_options={"synchronize_session": False})
    found = row.first()
    if found is None:
        insert_ignore(
            session,
            ReadingState,
            {
                "user_id": user_id,
                "lesson_slug": activity.source[:100],
                "page_id": page_id,
                "last_beat_at": now,
            },
            ("user_id",),
        )
        return 0, True
    prev_page, prev_at = found
    gap = (now - prev_at).total_seconds()
    if prev_page != page_id:
        return 0, gap >= settings.beat_gap_seconds  # not the owner, or took over
    if gap <= 0 or gap >= settings.beat_gap_seconds:
        return 0, gap >= settings.beat_gap_seconds
    return int(min(gap, settings.beat_cap_seconds)), False


def _case(cond: Any, new: Any, old: Any) -> Any:
    return case((cond, new), else_=old)


def _split(start: datetime, end: datetime) -> list[tuple[date, int]]:
    """Seconds between two instants, split at Asia/Shanghai midnight."""
    first, last = study_day(start), study_day(end)
    if first == last:
        return [(last, round((end - start).total_seconds()))]
    midnight = day_bounds(last)[0]
    return [
        (first, round((midnight - start).total_seconds())),
        (last, round((end - midnight).total_seconds())),
    ]


def _read_days(
    session: Session, user_id: int, activity: Activity, wanted: set[date]
) -> dict[date, _Day]:
    """One query: each wanted day (and an open 补学 day) with its figures and the
    activity's seconds that day."""
    st, da, mu = StudyTime, DailyActivity, MakeUp
    candidates = union(
        *(select(literal(d, type_=da.study_day.type).label("day")) for d in wanted),
        select(mu.study_day.label("day")).where(
            mu.user_id == user_id, mu.completed_at.is_(None)
        ),
    ).subquery()
    total = (
        select(func.coalesce(func.sum(st.seconds), 0))
        .where(
            st.user_id == user_id,
            st.kind == activity.kind,
            st.source == activity.source,
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            candidates.c.day,
            da.id,
            da.study_seconds,
            da.goal_met,
            da.lessons_finished,
            da.lessons_opened,
            da.daily_quiz_done,
            st.seconds,
            mu.id,
            total,
        )
        .select_from(candidates)
        .outerjoin(da, and_(da.user_id == user_id, da.study_day == candidates.c.day))
        .outerjoin(
            st,
            and_(
                st.user_id == user_id,
                st.study_day == candidates.c.day,
                st.kind == activity.kind,
                st.source == activity.source,
            ),
        )
        .outerjoin(
            mu,
            and_(
                mu.user_id == user_id,
                mu.study_day == candidates.c.day,
                mu.completed_at.is_(None),
            ),
        )
    )
    out = {}
    for day, da_id, secs, met, fin, opened, quiz, source, mu_id, tot in session.execute(
        stmt
    ):
        out[day] = _Day(
            day, da_id is not None, secs or 0, bool(met), fin or 0, opened or 0,
            bool(quiz), source or 0, mu_id is not None, tot or 0,
        )  # fmt: skip
    return out


def _open_makeup(
    session: Session, user_id: int, days: dict[date, _Day], today: date, now: datetime
) -> date | None:
    """The 补学 day time goes to now, closing one that is made up or too late."""
    pending = next((d for d in days.values() if d.made_up_pending), None)
    if pending is None:
        return None
    if today - pending.day <= timedelta(days=2) and not pending.goal_met:
        return pending.day
    session.execute(
        update(MakeUp)
        .where(MakeUp.user_id == user_id, MakeUp.completed_at.is_(None))
        .values(completed_at=now),
        execution_options={"synchronize_session": False},
    )
    return None


def _credit(
    session: Session,
    user: Any,
    activity: Activity,
    day: _Day,
    seconds: int,
    now: datetime,
    settings: ProgressSettings,
) -> int:
    """Add up to ``seconds`` of ``activity`` to ``day``; returns what was credited."""
    allowed = max(min(seconds, activity.day_cap_seconds - day.source_seconds), 0)
    if not allowed:
        return 0
    _add_source(session, user.id, activity, day.day, allowed, now)
    before = day.study_seconds
    day.study_seconds += allowed
    day.source_seconds += allowed
    points = _minute_points(session, user.id, day, before, now, settings)
    finished, bonus = _maybe_finished(
        session, user, activity, day, allowed, now, settings
    )
    day.source_total += allowed
    points += bonus
    was_met = day.goal_met
    day.goal_met = _goal(day, settings)
    _add_day(session, user, day, allowed, points, finished_delta=finished)
    day.lessons_finished += finished
    if points:
        _add_total(session, user.id, points)
    if day.goal_met != was_met:
        refresh_stats(session, user.id)  # the streak changes: once a day
    return allowed


def _add_source(
    session: Session,
    user_id: int,
    activity: Activity,
    day: date,
    seconds: int,
    now: datetime,
) -> None:
    stmt = insert_stmt(session, StudyTime).values(
        user_id=user_id,
        study_day=day,
        kind=activity.kind,
        source=activity.source,
        seconds=seconds,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "study_day", "kind", "source"],
        set_={"seconds": StudyTime.seconds + stmt.excluded.seconds, "updated_at": now},
    )
    session.execute(stmt)


def _minute_points(
    session: Session,
    user_id: int,
    day: _Day,
    before: int,
    now: datetime,
    settings: ProgressSettings,
) -> int:
    """+1 for each 5 credited minutes of the day, within the rule's daily cap.

    The day's minute points follow from its seconds alone, so the cap needs no
    query: block ``n`` scores while ``n × points`` is within the cap.
    """
    rule = settings.rules["study_minutes"]
    block = rules.MINUTES_PER_POINT * 60
    after = day.study_seconds
    cap_blocks = (
        (rule.daily_cap // rule.points if rule.points else 0)
        if rule.daily_cap is not None
        else after // block
    )
    new = range(before // block + 1, min(after // block, cap_blocks) + 1)
    if not new or rule.points <= 0:
        return 0
    stmt = (
        insert_stmt(session, PointsEntry)
        .values(
            [
                {
                    "user_id": user_id,
                    "rule": "study_minutes",
                    "source": f"{day.day.isoformat()}:{n}",
                    "points": rule.points,
                    "study_day": day.day,
                    "at": now,
                }
                for n in new
            ]
        )
        .on_conflict_do_nothing(index_elements=["user_id", "rule", "source"])
        .returning(PointsEntry.points)
    )
    return sum(p for (p,) in session.execute(stmt))


def _maybe_finished(
    session: Session,
    user: Any,
    activity: Activity,
    day: _Day,
    allowed: int,
    now: datetime,
    settings: ProgressSettings,
) -> tuple[int, int]:
    """A lesson read for its expected time (over all days): the event once, and
    +1 within the rule's daily cap. Returns (lessons finished, points)."""
    line = activity.finish_seconds
    if line is None or not day.source_total < line <= day.source_total + allowed:
        return 0, 0
    if not insert_ignore(
        session,
        ActivityEvent,
        {
            "user_id": user.id,
            "kind": "lesson_finished",
            "source": activity.source,
            "study_day": day.day,
            "at": now,
        },
        ("user_id", "kind", "source"),
    ):
        return 0, 0
    rule = settings.rules["lesson_finished"]
    granted = rules.capped(rule.points, day.lessons_finished * rule.points, rule)
    if granted and insert_ignore(
        session,
        PointsEntry,
        {
            "user_id": user.id,
            "rule": "lesson_finished",
            "source": activity.source,
            "points": granted,
            "study_day": day.day,
            "at": now,
        },
        ("user_id", "rule", "source"),
    ):
        return 1, granted
    return 1, 0


def _goal(day: _Day, settings: ProgressSettings) -> bool:
    return rules.goal_met(
        study_seconds=day.study_seconds,
        goal_minutes=settings.goal_minutes,
        tracking=settings.tracking,
        lessons_opened=day.lessons_opened,
        daily_quiz_done=day.daily_quiz_done,
    )


def _branch_on(session: Session, user: Any, day: date) -> int:
    """The branch ``day`` counts for: the current one, unless the day is before
    the member moved (a 补学 of the day before a move: the old branch's day)."""
    since = user.branch_since
    if since is None or day >= since:
        return int(user.branch_id)
    return membership.branch_on(session, user, day)


def _add_day(
    session: Session,
    user: Any,
    day: _Day,
    seconds: int,
    points: int,
    *,
    finished_delta: int = 0,
    opened_delta: int = 0,
) -> None:
    """Add to the member's DailyActivity row (created on first use)."""
    made_up = day.goal_met and day.made_up_pending
    stmt = insert_stmt(session, DailyActivity).values(
        user_id=user.id,
        study_day=day.day,
        branch_id=_branch_on(session, user, day.day),
        study_seconds=seconds,
        lessons_finished=finished_delta,
        lessons_opened=opened_delta,
        daily_quiz_done=False,
        quizzes_done=0,
        points=points,
        goal_met=day.goal_met,
        excused=False,
        made_up=made_up,
    )
    da = DailyActivity
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "study_day"],
        set_={
            "study_seconds": da.study_seconds + seconds,
            "points": da.points + points,
            "lessons_finished": da.lessons_finished + finished_delta,
            "lessons_opened": da.lessons_opened + opened_delta,
            "goal_met": day.goal_met,
            "made_up": or_(da.made_up, made_up),
        },
    )
    session.execute(stmt)
    day.exists = True


def _add_total(session: Session, user_id: int, points: int) -> None:
    stmt = insert_stmt(session, UserStats).values(
        user_id=user_id, current_streak=0, best_streak=0, total_points=points
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id"],
        set_={"total_points": UserStats.total_points + points},
    )
    session.execute(stmt)


def _opened(
    session: Session,
    user: Any,
    activity: Activity,
    day: _Day,
    now: datetime,
    settings: ProgressSettings,
) -> None:
    """A lesson page's first beat today: the member opened it (counts for the
    goal when time tracking is off)."""
    if not insert_ignore(
        session,
        ActivityEvent,
        {
            "user_id": user.id,
            "kind": "lesson_opened",
            "source": f"{day.day}:{activity.source}",
            "study_day": day.day,
            "at": now,
        },
        ("user_id", "kind", "source"),
    ):
        return
    day.lessons_opened += 1
    was_met = day.goal_met
    day.goal_met = _goal(day, settings)
    _add_day(session, user, day, 0, 0, opened_delta=1)
    if day.goal_met != was_met:
        refresh_stats(session, user.id)
