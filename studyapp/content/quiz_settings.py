"""QuizSettings: a published quiz definition's settings, typed.

The publisher writes them from the checked ``QuizDoc`` (``QuizSettings.of_doc``)
as JSON on ``quiz_definition.settings``; every reader takes them through
``QuizDefinition.config``. The defaults are the content format's
(``content.format.docs``), written once there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from studyapp.content.format.docs import (
    DEFAULT_ATTEMPTS,
    DEFAULT_PASS_SCORE,
    DEFAULT_POINTS,
    QuizDoc,
    ReviewPolicy,
)


class DrawSpec(BaseModel):
    """Draw ``count`` questions: from ``bank`` if given, with one of ``tags`` and
    one of ``types`` if given."""

    model_config = ConfigDict(frozen=True)

    count: int
    bank: str | None = None
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


class QuizSettings(BaseModel):
    """Everything a quiz file says besides its id, title, kind and intro."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    #: Cron (Asia/Shanghai) of a weekly quiz: each firing opens an occurrence.
    schedule: str | None = None
    open_for_seconds: int | None = None
    #: The window of a special or exam quiz (aware datetimes).
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    #: Questions per day of the daily quiz (when it has no draw rules).
    count: int | None = None
    #: Per attempt; None is untimed.
    time_limit_seconds: int | None = None
    #: Attempts per occurrence; None is unlimited.
    attempts: int | None = DEFAULT_ATTEMPTS
    #: Percent needed to pass.
    pass_score: int = DEFAULT_PASS_SCORE
    #: Points at full marks, scaled by the score (not for the daily quiz).
    points: int = DEFAULT_POINTS
    review: ReviewPolicy = "after_submit"
    audience: Literal["all"] | tuple[str, ...] = "all"
    lesson: str | None = None
    tags: tuple[str, ...] = ()
    draw: tuple[DrawSpec, ...] = ()
    #: Question ids of a fixed paper (then ``draw`` is empty).
    questions: tuple[str, ...] = ()

    @property
    def time_limit(self) -> timedelta | None:
        s = self.time_limit_seconds
        return timedelta(seconds=s) if s else None

    @property
    def open_for(self) -> timedelta | None:
        s = self.open_for_seconds
        return timedelta(seconds=s) if s else None

    @classmethod
    def of_doc(cls, doc: QuizDoc) -> QuizSettings:
        """The settings of a checked quiz file."""

        def secs(value: timedelta | None) -> int | None:
            return int(value.total_seconds()) if value is not None else None

        return cls(
            schedule=doc.schedule,
            open_for_seconds=secs(doc.open_for),
            opens_at=doc.opens_at,
            closes_at=doc.closes_at,
            count=doc.count,
            time_limit_seconds=secs(doc.time_limit),
            attempts=doc.attempts,
            pass_score=doc.pass_score,
            points=doc.points,
            review=doc.review,
            audience=doc.audience,
            lesson=doc.lesson,
            tags=doc.tags,
            draw=tuple(
                DrawSpec(count=r.count, bank=r.bank, tags=r.tags, types=r.types)
                for r in doc.draw
            ),
            questions=tuple(q.id for q in doc.questions),
        )
