"""Start, save, submit and expire attempts. Flush, never commit.

The server owns the clock: an attempt's ``deadline`` is fixed when it starts
(time limit, or the quiz closing), answers after it are ignored, and a late
attempt is graded with what was saved by then. Grading happens once: a repeat
submit, a double tap or a second device gets the stored result.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import QuestionRevision, QuizDefinition
from studyapp.errors import Conflict, NotFound
from studyapp.org.unit_settings import effective
from studyapp.progress import service as progress
from studyapp.progress.clock import Activity
from studyapp.progress.settings import ProgressSettings, overlay
from studyapp.quiz import catalog, drawing, grading, review, selection
from studyapp.quiz.answers import answer_reveals, store_answers
from studyapp.quiz.models import GRADED, OPEN, Attempt, AttemptAnswer, QuizOccurrence
from studyapp.timeutil import study_day


def attempts_used(session: Session, occurrence_id: int, user_id: int) -> int:
    return session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.occurrence_id == occurrence_id, Attempt.user_id == user_id
        )
    )


def attempts_left(definition: QuizDefinition, used: int) -> int | None:
    """None means unlimited."""
    limit = definition.config.attempts
    return None if limit is None else max(limit - used, 0)


def open_attempt(session: Session, occurrence_id: int, user_id: int) -> Attempt | None:
    stmt = select(Attempt).where(
        Attempt.occurrence_id == occurrence_id,
        Attempt.user_id == user_id,
        Attempt.state == OPEN,
    )
    return session.scalar(stmt)


def start_attempt(
    session: Session,
    user: User,
    slug: str,
    *,
    now: datetime,
    settings: ProgressSettings,
) -> Attempt:
    """Start an attempt at the quiz ``slug`` that is open now, or resume the open one.

    Raises NotFound (no such quiz, or not for this member), Conflict (not open
    now, or no attempts left).
    """
    definition = catalog.find_definition(session, slug)
    if definition is None or not catalog.audience_ok(
        session, definition, user.branch.path
    ):
        raise NotFound("没有这个测验")
    window = catalog.open_window(session, definition, now)
    if window is None:
        raise Conflict("这个测验现在没有开放")
    occurrence = catalog.ensure_occurrence(session, definition, window, now)
    current = open_attempt(session, occurrence.id, user.id)
    if current is not None and now < current.deadline:
        return current
    if current is not None:
        grade_attempt(session, user, current, now=now, settings=settings)
    used = attempts_used(session, occurrence.id, user.id)
    if attempts_left(definition, used) == 0:
        raise Conflict("这个测验的作答次数已用完")
    return _new_attempt(session, user, definition, occurrence, used + 1, now)


def _new_attempt(session, user, definition, occurrence, number, now) -> Attempt:  # type: ignore[no-untyped-def]
    seed = selection.make_seed(definition.slug, occurrence.key, user.id, number)
    ids = drawing.paper(session, definition, user.id, seed, now)
    if not ids:
        raise Conflict("题库里暂时没有可用的题目")
    limit = definition.config.time_limit_seconds
    deadline = occurrence.closes_at
    if limit:
        deadline = min(deadline, now + timedelta(seconds=limit))
    attempt = Attempt(
        occurrence_id=occurrence.id,
        user_id=user.id,
        number=number,
        definition_revision=definition.revision,
        seed=seed,
        state=OPEN,
        started_at=now,
        deadline=deadline,
        question_count=len(ids),
    )
    session.add(attempt)
    session.flush()
    revisions = drawing.current_revisions(session, ids)
    for position, qid in enumerate(ids, start=1):
        revision = revisions[qid]
        keys = [o["key"] for o in revision.options]
        shuffle = selection.should_shuffle([o["html"] for o in revision.options])
        order = selection.option_order(keys, f"{seed}:{qid}", shuffle=shuffle)
        session.add(
            AttemptAnswer(
                attempt_id=attempt.id,
                position=position,
                question_id=qid,
                revision_id=revision.id,
                option_order=list(order),
            )
        )
    session.flush()
    return attempt


def get_attempt(
    session: Session, user: User, attempt_id: int, *, lock: bool | str = False
) -> Attempt:
    """The member's own attempt (NotFound for anyone else's).

    ``lock=True`` takes the row for update (grading); ``lock="share"`` takes it
    for share, so saves run side by side but never while it is being graded.
    """
    stmt = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)
    if lock:
        stmt = stmt.with_for_update(read=lock == "share").execution_options(
            populate_existing=True
        )
    attempt = session.scalar(stmt)
    if attempt is None:
        raise NotFound("没有这次作答")
    return attempt


def _locked_with_rows(
    session: Session, user: User, attempt_id: int
) -> tuple[Attempt, dict[str, tuple[AttemptAnswer, QuestionRevision]]]:
    """The member's attempt, locked, with its answers and the revisions asked, in
    one query (held for the result page of the same request)."""
    from studyapp.content.models import Question
    from studyapp.quiz.prompts import remember_lessons, remember_rows

    stmt = (
        select(
            Attempt,
            AttemptAnswer,
            QuestionRevision,
            Question.slug,
            Question.source_lesson,
        )
        .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
        .join(QuestionRevision, QuestionRevision.id == AttemptAnswer.revision_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(Attempt.id == attempt_id, Attempt.user_id == user.id)
        .order_by(AttemptAnswer.position)
        .with_for_update(of=Attempt)
        .execution_options(populate_existing=True)
    )
    found = session.execute(stmt).all()
    if not found:  # no such attempt of mine (or, oddly, no questions)
        attempt = get_attempt(session, user, attempt_id, lock=True)
        return attempt, _answer_rows(session, attempt)
    remember_rows(session, attempt_id, [(a, r, slug) for _t, a, r, slug, _l in found])
    remember_lessons(
        session, {a.question_id: lesson for _t, a, _r, _s, lesson in found}
    )
    return found[0][0], {slug: (a, r) for _t, a, r, slug, _l in found}


def _answer_rows(
    session: Session, attempt: Attempt
) -> dict[str, tuple[AttemptAnswer, QuestionRevision]]:
    from studyapp.quiz.prompts import attempt_rows

    return {slug: (a, r) for a, r, slug in attempt_rows(session, attempt.id)}


def save_answers(
    session: Session,
    user: User,
    attempt_id: int,
    answers: dict[str, Any],
    *,
    now: datetime,
    seq: int | None = None,
) -> Attempt:
    """Save responses (question slug → response) while the attempt is open.

    Every response is validated first; on any error nothing is saved and
    ValidationFailed names the question. An empty response clears the answer.
    ``seq`` is the phone's sequence number of these responses: an answer keeps
    the response with the highest number that reached the server before the
    deadline, so a replay or a late, older save changes nothing (saves without
    a number, from a form, always apply). Where the quiz shows each answer
    right after it is given (``after_answer``), an answered question is locked:
    the same save again is accepted, a different one is a Conflict. Raises
    Conflict after the deadline or once handed in.
    """
    attempt = get_attempt(session, user, attempt_id, lock="share")
    save_loaded(session, attempt, answers, now=now, seq=seq)
    return attempt


def save_loaded(
    session: Session,
    attempt: Attempt,
    answers: dict[str, Any],
    *,
    now: datetime,
    seq: int | None = None,
) -> None:
    """:func:`save_answers` for an attempt the caller already holds, read with
    ``get_attempt(..., lock="share")`` in this transaction (the page that posts an
    answer renders from the same rows instead of reading them again)."""
    locked = answer_reveals(definition_of(session, attempt))
    rows = _answer_rows(session, attempt)
    store_answers(session, attempt, rows, answers, now, seq, locked)
    session.flush()


def submit_attempt(
    session: Session,
    user: User,
    attempt_id: int,
    answers: dict[str, Any] | None,
    *,
    now: datetime,
    settings: ProgressSettings,
) -> Attempt:
    """Save any final answers and grade, once. A repeat returns the graded attempt.

    The attempt row is locked first, so two concurrent submits grade once.
    Answers arriving after the deadline are ignored; the attempt is graded as
    of the deadline with what was saved.
    """
    attempt, rows = _locked_with_rows(session, user, attempt_id)
    if attempt.state == GRADED:
        return attempt
    if answers and now < attempt.deadline:
        locked = answer_reveals(definition_of(session, attempt))
        store_answers(session, attempt, rows, answers, now, locked=locked)
    grade_attempt(session, user, attempt, now=now, settings=settings, rows=rows)
    return attempt


def grade_attempt(
    session: Session,
    user: User,
    attempt: Attempt,
    *,
    now: datetime,
    settings: ProgressSettings,
    rows: dict[str, tuple[AttemptAnswer, QuestionRevision]] | None = None,
) -> None:
    """Grade an open attempt, record points, quiz time and 错题本 cards."""
    ended = min(now, attempt.deadline)
    graded = []
    for answer, revision in (rows or _answer_rows(session, attempt)).values():
        result = grading.grade(revision.type, revision.answer, answer.response)
        graded.append((answer, result.correct))
    definition = definition_of(session, attempt)
    # The graded answers and the attempt are written by the one flush at the
    # end (nothing below reads them back), not by autoflushes on the way.
    with session.no_autoflush:
        _grade_rows(session, user, attempt, graded, definition, ended, now)
        _award(session, user, attempt, definition, ended, settings)
    session.flush()


def _grade_rows(  # type: ignore[no-untyped-def]
    session: Session, user, attempt: Attempt, graded, definition, ended, now
) -> None:
    # The 错题本 first: it flushes its cards to number their logs, and nothing of
    # the attempt is changed yet, so the attempt is written once, at the end.
    if review.book_may_show(attempt.occurrence, definition, now):
        book = [(a.question_id, ok, a.response) for a, ok in graded]
        review.after_answers(
            session, user.id, book, now=ended, via=f"attempt:{attempt.id}"
        )
        attempt.in_review_book = True
    for answer, correct in graded:
        answer.is_correct = correct
    correct = sum(1 for _a, ok in graded if ok)
    attempt.state, attempt.submitted_at = GRADED, ended
    attempt.correct_count = correct
    attempt.score = grading.score_percent(correct, attempt.question_count)
    session.info.setdefault("studyapp.graded", set()).add(attempt.id)


def graded_here(session: Session, attempt: Attempt) -> bool:
    """Whether ``attempt`` was graded by this Session (this request), not before."""
    return attempt.id in session.info.get("studyapp.graded", ())


def _award(  # type: ignore[no-untyped-def]
    session: Session, user, attempt: Attempt, definition, ended, settings
) -> None:
    correct = attempt.correct_count or 0
    attempt.points_awarded = progress.record_quiz(
        session,
        user,
        daily=definition.kind == "daily",
        source=f"attempt:{attempt.id}",
        correct=correct,
        score=attempt.score,
        points=definition.config.points,
        now=ended,
        settings=settings,
        refresh=False,
    )
    progress.refresh_day(session, user, study_day(ended), settings)


def beat_activity(
    session: Session,
    user: Any,
    attempt_id: int,
    now: datetime,
    settings: ProgressSettings,
) -> Activity:
    """The study-clock activity of the member's open attempt: quiz time counts
    while its page is visible, up to the time limit. Conflict once it is over."""
    attempt = get_attempt(session, user, attempt_id)
    if attempt.state != OPEN or now >= attempt.deadline:
        raise Conflict("这次作答已经结束")
    definition = occurrence_definition(session, attempt.occurrence)
    cap = definition.config.time_limit_seconds or settings.untimed_quiz_cap_seconds
    return Activity("quiz", f"attempt:{attempt.id}", cap)


def expire_attempts(session: Session, now: datetime, settings: ProgressSettings) -> int:
    """Grade every open attempt whose deadline has passed; returns how many.
    ``settings`` are the deployment's; each member's units overlay them."""
    stmt = select(Attempt).where(Attempt.state == OPEN, Attempt.deadline <= now)
    count = 0
    for attempt in session.scalars(stmt).all():
        user = session.get(User, attempt.user_id)
        mine = overlay(settings, effective(session, user.branch.path))
        grade_attempt(session, user, attempt, now=now, settings=mine)
        count += 1
    return count


def definition_of(session: Session, attempt: Attempt) -> QuizDefinition:
    """The attempt's definition: this process's copy when it is the revision the
    attempt started under (its rules apply), else read."""
    held = session.info.setdefault("studyapp.definitions", {})
    definition_id = attempt.occurrence.definition_id
    if definition_id not in held:
        copy = catalog.cached_definition(session, definition_id)
        if copy is not None and copy.revision == attempt.definition_revision:
            held[definition_id] = copy
    return occurrence_definition(session, attempt.occurrence)


def occurrence_definition(
    session: Session, occurrence: QuizOccurrence
) -> QuizDefinition:
    """The occurrence's definition, held for the Session's lifetime (the identity
    map alone would forget it between calls and read it again)."""
    held = session.info.setdefault("studyapp.definitions", {})
    found = held.get(occurrence.definition_id)
    if found is None:
        found = held[occurrence.definition_id] = session.get_one(
            QuizDefinition, occurrence.definition_id
        )
    return found
