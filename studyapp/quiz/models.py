"""Occurrences, attempts with their answers (snapshotted revisions), review cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.db import Base, intpk
from studyapp.quiz import schedule

#: Attempt states.
OPEN, GRADED = "open", "graded"


class QuizOccurrence(Base):
    """One opening of a quiz definition: a day (daily), a firing (weekly), or once."""

    __tablename__ = "quiz_occurrence"
    __table_args__ = (UniqueConstraint("definition_id", "key"),)

    id: Mapped[intpk]
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_definition.id", ondelete="CASCADE")
    )
    #: Stable key of the window: ``2026-11-22`` (daily), ``2026-11-23T08:00``
    #: (a weekly firing, Shanghai time), ``once`` (special, exam).
    key: Mapped[str] = mapped_column(String(40))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    #: The schedule's ``closes_at`` once an admin closed the occurrence early or
    #: extended it; then this row's ``closes_at`` decides (not the schedule).
    #: None: never adjusted.
    scheduled_closes_at: Mapped[datetime | None]

    @property
    def adjusted(self) -> bool:
        return self.scheduled_closes_at is not None

    def window(self) -> schedule.Window:
        return schedule.Window(self.key, self.opens_at, self.closes_at)


class Attempt(Base):
    """A member's sitting of one occurrence; graded exactly once."""

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "user_id", "number"),
        Index("ix_attempt_user_state", "user_id", "state"),
    )

    id: Mapped[intpk]
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_occurrence.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: 1 for the first attempt at this occurrence, 2 for the next…
    number: Mapped[int] = mapped_column(default=1)
    #: The definition's revision when the attempt started (its rules applied).
    definition_revision: Mapped[int] = mapped_column(default=1)
    #: Reproduces the draw and the option order.
    seed: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(10), default=OPEN)
    started_at: Mapped[datetime]
    #: Answers saved after this are ignored (time limit or the quiz closing).
    deadline: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    correct_count: Mapped[int | None]
    question_count: Mapped[int] = mapped_column(default=0)
    #: Percent, one decimal.
    score: Mapped[float | None]
    points_awarded: Mapped[int | None]
    #: The graded answers are in the member's 错题本. Set at grading when the
    #: quiz's review policy already shows answers; for ``after_close`` when the
    #: occurrence has closed; never for ``never`` (the book would show the key).
    in_review_book: Mapped[bool] = mapped_column(default=False, server_default=false())

    occurrence: Mapped[QuizOccurrence] = relationship(lazy="joined", innerjoin=True)
    answers: Mapped[list[AttemptAnswer]] = relationship(
        order_by="AttemptAnswer.position",
        cascade="all, delete-orphan",
        back_populates="attempt",
    )


class AttemptAnswer(Base):
    """One question of an attempt: the exact revision asked, and the response."""

    __tablename__ = "attempt_answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_id"),
        Index("ix_attempt_answer_question", "question_id", "is_correct"),
    )

    id: Mapped[intpk]
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="RESTRICT")
    )
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("question_revision.id", ondelete="RESTRICT")
    )
    #: Option keys in the order shown to this member (keys themselves are stable).
    option_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The member's response in canonical form (SPEC §7), None until answered.
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    answered_at: Mapped[datetime | None]
    #: The phone's sequence number of the saved response: a save whose number is
    #: not higher is a replay or arrived out of order, and changes nothing.
    client_seq: Mapped[int | None]
    #: Set when graded.
    is_correct: Mapped[bool | None]

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class ReviewCard(Base):
    """错题本: a question the member got wrong, scheduled with FSRS."""

    __tablename__ = "review_card"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_card_user_due", "user_id", "due_at"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE")
    )
    #: py-fsrs ``Card.to_dict()``.
    fsrs: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime]
    reviews: Mapped[int] = mapped_column(default=0)
    #: Times forgotten (answered wrong after it entered the book).
    lapses: Mapped[int] = mapped_column(default=0)
    #: Forgotten 8 times: the member is sent back to the lesson.
    is_leech: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    last_review_at: Mapped[datetime | None]


class ReviewLog(Base):
    """Each review of a card (from the review page or the daily quiz)."""

    __tablename__ = "review_log"

    id: Mapped[intpk]
    card_id: Mapped[int] = mapped_column(
        ForeignKey("review_card.id", ondelete="CASCADE"), index=True
    )
    correct: Mapped[bool]
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    #: ``review`` page or ``attempt:<id>``.
    via: Mapped[str] = mapped_column(String(40))
    reviewed_at: Mapped[datetime]
