"""Results of one occurrence for an admin's members: scores per member (paged),
per branch, the weakest questions, and one member's 成绩单.

Eligible members (active, not exempt) of the subtree in the quiz's audience
count; a member's result is their best graded attempt (ties: the earliest).
A member who never handed in is listed with no score. Weakest questions: the
lowest share of right answers among graded attempts, then most answered, then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import Question, QuestionRevision
from studyapp.content.publishing import plain_text
from studyapp.org.models import OrgUnit
from studyapp.progress.participation import eligible_user
from studyapp.quiz.models import GRADED, Attempt, AttemptAnswer


@dataclass(frozen=True)
class MemberRow:
    username: str
    name: str
    branch_code: str
    branch_name: str
    score: float | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class BranchRow:
    code: str
    name: str
    eligible: int
    handed_in: int
    passed: int
    avg_score: float | None


@dataclass(frozen=True)
class WeakRow:
    question_id: str
    text: str
    answered: int
    correct: int


def _best(occurrence_id: int):  # type: ignore[no-untyped-def]
    return (
        select(
            Attempt.user_id.label("uid"),
            func.max(Attempt.score).label("score"),
            func.min(Attempt.submitted_at).label("at"),
        )
        .where(Attempt.occurrence_id == occurrence_id, Attempt.state == GRADED)
        .group_by(Attempt.user_id)
        .subquery()
    )


def member_rows(
    session: Session,
    occurrence_id: int,
    where: ColumnElement[bool],
    *,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[MemberRow], int]:
    """Members by branch (tree order) then name, with their best score; and
    how many there are."""
    best = _best(occurrence_id)
    base = (
        select(User.username, User.name, OrgUnit.code, OrgUnit.name,
               best.c.score, best.c.at)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .outerjoin(best, best.c.uid == User.id)
        .where(eligible_user(), where)
    )  # fmt: skip
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    stmt = base.order_by(OrgUnit.path, User.name, User.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [MemberRow(u, n, c, b, float(s) if s is not None else None, at)
            for u, n, c, b, s, at in session.execute(stmt)]  # fmt: skip
    return rows, total


def branch_rows(
    session: Session, occurrence_id: int, where: ColumnElement[bool], mark: float
) -> list[BranchRow]:
    """Every branch with eligible members: handed in, passed, average best score."""
    best = _best(occurrence_id)
    stmt = (
        select(
            OrgUnit.code, OrgUnit.name, func.count(User.id), func.count(best.c.score),
            func.sum(case((best.c.score >= mark, 1), else_=0)), func.avg(best.c.score),
        )
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .outerjoin(best, best.c.uid == User.id)
        .where(eligible_user(), where)
        .group_by(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.path)
        .order_by(OrgUnit.path)
    )  # fmt: skip
    return [
        BranchRow(code, name, n, handed, int(passed or 0),
                  round(float(avg), 1) if avg is not None else None)
        for code, name, n, handed, passed, avg in session.execute(stmt)
    ]  # fmt: skip


def weakest(
    session: Session, occurrence_id: int, where: ColumnElement[bool], limit: int = 10
) -> list[WeakRow]:
    """The questions my members got wrong most often in this occurrence."""
    right = func.sum(case((AttemptAnswer.is_correct.is_(True), 1), else_=0))
    stmt = (
        select(Question.slug, func.max(AttemptAnswer.revision_id), func.count(), right)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(Attempt.occurrence_id == occurrence_id, Attempt.state == GRADED,
               eligible_user(), where)
        .group_by(Question.slug)
        .order_by((right * 1.0 / func.count()).asc(), func.count().desc(),
                  Question.slug)
        .limit(limit)
    )  # fmt: skip
    rows = session.execute(stmt).all()
    stems = dict(session.execute(
        select(QuestionRevision.id, QuestionRevision.stem_html)
        .where(QuestionRevision.id.in_([r[1] for r in rows]))
    ).all())  # fmt: skip
    return [WeakRow(slug, plain_text(stems.get(rev, ""))[:80], n, int(ok or 0))
            for slug, rev, n, ok in rows]  # fmt: skip


def member_in_scope(
    session: Session, username: str, where: ColumnElement[bool]
) -> tuple[User, OrgUnit] | None:
    """The eligible member ``username`` when ``where`` covers their branch."""
    row = session.execute(
        select(User, OrgUnit).join(OrgUnit, OrgUnit.id == User.branch_id)
        .where(User.username == username, where)
    ).first()  # fmt: skip
    return (row[0], row[1]) if row else None


def best_attempt(session: Session, occurrence_id: int, user_id: int) -> Attempt | None:
    """The member's best graded attempt (ties: the earliest)."""
    return session.scalar(
        select(Attempt)
        .where(Attempt.occurrence_id == occurrence_id, Attempt.user_id == user_id,
               Attempt.state == GRADED)
        .order_by(Attempt.score.desc(), Attempt.submitted_at, Attempt.id)
        .limit(1)
    )  # fmt: skip


def sheet_answers(session: Session, attempt_id: int) -> list[tuple[str, str, bool]]:
    """(question id, question text, right) of an attempt, in the order asked."""
    stmt = (
        select(Question.slug, QuestionRevision.stem_html, AttemptAnswer.is_correct)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .join(QuestionRevision, QuestionRevision.id == AttemptAnswer.revision_id)
        .where(AttemptAnswer.attempt_id == attempt_id)
        .order_by(AttemptAnswer.position)
    )
    return [(s, plain_text(h), bool(ok)) for s, h, ok in session.execute(stmt)]
