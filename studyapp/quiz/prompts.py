"""What the quiz-taking pages and API may show: no answer key, by construction.

Templates and JSON for taking a quiz receive only ``payloads.QuestionPrompt`` (which
has no answer field), never ORM Question/QuestionRevision objects (which carry
the answer).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.content.models import Question, QuestionRevision
from studyapp.quiz.models import AttemptAnswer
from studyapp.quiz.payloads import Option, QuestionPrompt


def blank_count(stem_html: str) -> int:
    return stem_html.count('class="blank"')


def shown_options(revision: QuestionRevision, order: list[str]) -> list[Option]:
    """A revision's options in the order this member sees them."""
    html = {o["key"]: o["html"] for o in revision.options}
    return [Option(key=k, html=html[k]) for k in order if k in html]


def build(
    rows: list[tuple[AttemptAnswer, QuestionRevision, str]],
) -> list[QuestionPrompt]:
    """Prompts from (answer row, revision, question slug), in attempt order."""
    return [
        QuestionPrompt(
            id=slug,
            position=answer.position,
            type=revision.type,
            stem_html=revision.stem_html,
            options=shown_options(revision, answer.option_order),
            blanks=blank_count(revision.stem_html),
            response=answer.response,
        )
        for answer, revision, slug in rows
    ]


def remember_rows(session: Session, attempt_id: int, rows: list) -> None:  # type: ignore[type-arg]
    """Hold rows read another way for :func:`attempt_rows` in this Session."""
    session.info.setdefault("studyapp.attempt_rows", {})[attempt_id] = rows


def attempt_rows(
    session: Session, attempt_id: int
) -> list[tuple[AttemptAnswer, QuestionRevision, str]]:
    """An attempt's answers with the revision asked and the question slug (1 query,
    once per Session: grading and the result page of one request share it)."""
    memo = session.info.setdefault("studyapp.attempt_rows", {})
    if attempt_id in memo:
        return memo[attempt_id]
    stmt = (
        select(AttemptAnswer, QuestionRevision, Question.slug, Question.source_lesson)
        .join(QuestionRevision, QuestionRevision.id == AttemptAnswer.revision_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(AttemptAnswer.attempt_id == attempt_id)
        .order_by(AttemptAnswer.position)
    )
    found = session.execute(stmt).all()
    remember_lessons(session, {a.question_id: lesson for a, _r, _s, lesson in found})
    rows = [(a, r, slug) for a, r, slug, _lesson in found]
    if rows:  # an attempt has its answers from the start (none: not yet flushed)
        memo[attempt_id] = rows
    return rows


def remember_lessons(session: Session, lessons: dict[int, str | None]) -> None:
    """Hold each question's lesson (出处), read with the attempt's rows, for
    ``results.lessons_of`` in this Session (a reveal or a result page links it)."""
    session.info.setdefault("studyapp.question_lessons", {}).update(lessons)


def held_lessons(session: Session) -> dict[int, str | None]:
    """The question lessons :func:`remember_lessons` holds in this Session."""
    return session.info.get("studyapp.question_lessons", {})  # type: ignore[no-any-return]
