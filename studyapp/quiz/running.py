"""Running quizzes (管理 › 测验): which definitions an admin's subtree sees, the
figures of each occurrence for the members there, closing early and extending.

Figures count eligible members (active, not exempt) of the admin's subtree who
are in the quiz's audience; a member's result is their best graded attempt.
Closing or extending an occurrence changes it for its whole audience, so only an
admin whose subtree holds the whole audience may do it. Flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from studyapp.auth.actor import UnitRef
from studyapp.auth.models import User
from studyapp.content.models import RETIRED, QuizDefinition
from studyapp.errors import Conflict, ValidationFailed
from studyapp.org.models import OrgUnit
from studyapp.progress.participation import eligible_user
from studyapp.progress.settings import ProgressSettings
from studyapp.quiz import schedule, service
from studyapp.quiz.models import GRADED, OPEN, Attempt, QuizOccurrence
from studyapp.timeutil import local


@dataclass(frozen=True)
class Scope:
    """The subtrees an admin manages (a global admin's root covers everything)."""

    roots: tuple[UnitRef, ...]
    is_global: bool


@dataclass(frozen=True)
class Figures:
    eligible: int
    started: int
    handed_in: int
    passed: int
    avg_score: float | None


def audience_paths(session: Session, definition: QuizDefinition) -> list[str] | None:
    """Tree paths of the quiz's audience units; None for ``all``."""
    audience = definition.config.audience
    if audience == "all":
        return None
    return list(session.scalars(select(OrgUnit.path).where(OrgUnit.code.in_(audience))))


def sees(scope: Scope, audience: list[str] | None) -> bool:
    """The audience reaches into the admin's subtree."""
    if audience is None or scope.is_global:
        return True
    return any(
        a.startswith(r.path) or r.path.startswith(a)
        for a in audience
        for r in scope.roots
    )


def may_run(scope: Scope, audience: list[str] | None) -> bool:
    """The admin's subtree holds the whole audience (close or extend it)."""
    if scope.is_global:
        return True
    return audience is not None and all(
        any(a.startswith(r.path) for r in scope.roots) for a in audience
    )


def visible_definitions(session: Session, scope: Scope) -> list[QuizDefinition]:
    """Quiz definitions (retired ones left out) whose audience reaches the scope."""
    rows = session.scalars(
        select(QuizDefinition)
        .where(QuizDefinition.status != RETIRED)
        .order_by(QuizDefinition.kind, QuizDefinition.slug)
    ).all()
    return [d for d in rows if sees(scope, audience_paths(session, d))]


def member_filter(scope: Scope, audience: list[str] | None) -> ColumnElement[bool]:
    """SQL on OrgUnit (the member's branch): in the scope and in the audience."""
    inside = true() if scope.is_global else or_(
        *(OrgUnit.path.startswith(r.path, autoescape=True) for r in scope.roots)
    )  # fmt: skip
    if audience is None:
        return inside
    return and_(inside, or_(*(OrgUnit.path.startswith(a, autoescape=True)
                              for a in audience)))  # fmt: skip


def eligible_count(session: Session, where: ColumnElement[bool]) -> int:
    """Eligible members matching ``where`` (on their branch)."""
    stmt = (
        select(func.count(User.id))
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .where(eligible_user(), where)
    )
    return session.scalar(stmt) or 0


def figures(
    session: Session,
    occurrence_ids: list[int],
    where: ColumnElement[bool],
    eligible: int,
    pass_score: float,
) -> dict[int, Figures]:
    """Started / handed in / passed / average best score per occurrence."""
    best = (
        select(
            Attempt.occurrence_id.label("occ"),
            Attempt.user_id.label("uid"),
            func.max(case((Attempt.state == GRADED, Attempt.score))).label("best"),
        )
        .join(User, User.id == Attempt.user_id)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .where(Attempt.occurrence_id.in_(occurrence_ids), eligible_user(), where)
        .group_by(Attempt.occurrence_id, Attempt.user_id)
        .subquery()
    )
    stmt = select(
        best.c.occ,
        func.count(),
        func.count(best.c.best),
        func.sum(case((best.c.best >= pass_score, 1), else_=0)),
        func.avg(best.c.best),
    ).group_by(best.c.occ)
    out = {}
    for occ, started, handed, passed, avg in session.execute(stmt):
        mean = round(float(avg), 1) if avg is not None else None
        out[occ] = Figures(eligible, started, handed, int(passed or 0), mean)
    return out


def occurrences(
    session: Session, definition_id: int, *, limit: int, offset: int = 0
) -> tuple[list[QuizOccurrence], int]:
    """A definition's occurrences, newest first, and how many there are."""
    where = QuizOccurrence.definition_id == definition_id
    total = session.scalar(select(func.count(QuizOccurrence.id)).where(where)) or 0
    rows = session.scalars(
        select(QuizOccurrence).where(where)
        .order_by(QuizOccurrence.opens_at.desc(), QuizOccurrence.id.desc())
        .limit(limit).offset(offset)
    ).all()  # fmt: skip
    return list(rows), total


def close(
    session: Session,
    occurrence: QuizOccurrence,
    definition: QuizDefinition,
    now: datetime,
    settings: ProgressSettings,
) -> tuple[datetime, int]:
    """Close now: open attempts are handed in with what was saved; returns the
    old closing time and how many were handed in. Conflict for the daily quiz
    or one already closed."""
    _adjustable(definition)
    if now >= occurrence.closes_at:
        raise Conflict("这次测验已经结束")
    old = _adjust(occurrence, now)
    attempts = _open_attempts(session, occurrence.id)
    for attempt in attempts:
        attempt.deadline = min(attempt.deadline, now)
        service.grade_attempt(session, session.get(User, attempt.user_id), attempt,
                              now=now, settings=settings)  # fmt: skip
    session.flush()
    return old, len(attempts)


def extend(
    session: Session,
    occurrence: QuizOccurrence,
    definition: QuizDefinition,
    closes_at: datetime,
    now: datetime,
) -> tuple[datetime, int]:
    """Move the closing time later; open attempts get the new deadline (within
    their time limit), graded ones are untouched. Returns the old closing time
    and how many open attempts there were.

    ValidationFailed (``closes_at``) when it is not later than now and than the
    current closing time, or (weekly) after the next occurrence opens; Conflict
    for the daily quiz, or a closed one whose answers were shown at closing.
    """
    _adjustable(definition)
    if closes_at <= max(now, occurrence.closes_at):
        raise ValidationFailed(
            "新的截止时间要晚于现在和原来的截止时间", field="closes_at"
        )
    cfg = definition.config
    if now >= occurrence.closes_at and cfg.review == "after_close":
        raise Conflict("这次测验已经结束并公布了答案，不能再延长")
    if cfg.schedule:
        following = schedule.next_opening(cfg.schedule, occurrence.opens_at)
        if following is not None and closes_at > following:
            raise ValidationFailed(
                f"不能晚于下一次开放的时间（北京时间 {local(following):%m-%d %H:%M}）",
                field="closes_at",
            )
    old = _adjust(occurrence, closes_at)
    limit = cfg.time_limit
    attempts = _open_attempts(session, occurrence.id)
    for attempt in attempts:
        attempt.deadline = closes_at if limit is None else min(
            closes_at, attempt.started_at + limit
        )  # fmt: skip
    session.flush()
    return old, len(attempts)


def _adjustable(definition: QuizDefinition) -> None:
    if definition.kind == "daily":
        raise Conflict("每日一练每天自动开放和结束，不能关闭或延长")


def _adjust(occurrence: QuizOccurrence, closes_at: datetime) -> datetime:
    old = occurrence.closes_at
    if occurrence.scheduled_closes_at is None:
        occurrence.scheduled_closes_at = old
    occurrence.closes_at = closes_at
    return old


def _open_attempts(session: Session, occurrence_id: int) -> list[Attempt]:
    stmt = (
        select(Attempt)
        .where(Attempt.occurrence_id == occurrence_id, Attempt.state == OPEN)
        .with_for_update()
    )
    return list(session.scalars(stmt))


def audience_words(session: Session, definition: QuizDefinition) -> str:
    """「全体党员」, or the audience units' names."""
    audience = definition.config.audience
    if audience == "all":
        return "全体党员"
    names = session.scalars(select(OrgUnit.name).where(OrgUnit.code.in_(audience)))
    return "、".join(names) or "、".join(audience)


def find(session: Session, slug: str) -> QuizDefinition | None:
    """A definition by id, withdrawn ones too (not retired)."""
    return session.scalar(
        select(QuizDefinition).where(
            QuizDefinition.slug == slug, QuizDefinition.status != RETIRED
        )
    )
