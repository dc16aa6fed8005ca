"""Published content: lessons, banks, questions with revisions, quiz definitions, media.

The Markdown files are the source; these rows are the published copy. Every item
keeps its stable external ``slug`` (the front-matter or ``{#id}`` id), so history
survives edits. Nothing is deleted: an item missing from the files is retired.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.db import Base, intpk

if TYPE_CHECKING:
    from studyapp.content.quiz_settings import QuizSettings

#: Item states. ``retired``: gone from the files. ``withdrawn``: hidden by an admin
#: (a later publish of the files does not bring it back; an admin restores it).
ACTIVE, RETIRED, WITHDRAWN = "active", "retired", "withdrawn"


class Lesson(Base):
    __tablename__ = "lesson"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    series: Mapped[str | None] = mapped_column(String(100), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Expected reading time; credited study time is capped at twice this.
    minutes: Mapped[int]
    body_html: Mapped[str] = mapped_column(Text)
    #: Title and body as plain text, for search (Chinese has no word breaks).
    search_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: 1 at first publish, +1 each time what a reader sees changes.
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE, index=True)
    #: Members see the lesson from this instant on (None: at once).
    publish_at: Mapped[datetime | None]
    #: ``"all"`` or a list of unit codes whose subtrees may see it.
    audience: Mapped[Any] = mapped_column(JSON, default="all")
    source_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)


class QuestionBank(Base):
    __tablename__ = "question_bank"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    lesson_slug: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    source_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Question(Base):
    """A question's identity and metadata; what is asked lives in its revisions."""

    __tablename__ = "question"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    #: The bank it belongs to; None for a quiz's own fixed paper.
    bank_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_bank.id", ondelete="RESTRICT"), index=True
    )
    #: The quiz definition whose fixed paper holds it, if any.
    quiz_slug: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    difficulty: Mapped[int | None]
    source_lesson: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE, index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_revision.id", use_alter=True, ondelete="SET NULL")
    )
    source_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    bank: Mapped[QuestionBank | None] = relationship()
    current: Mapped[QuestionRevision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )


class QuestionRevision(Base):
    """What was asked, exactly: attempts point here, so edits never rewrite history."""

    __tablename__ = "question_revision"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[intpk]
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(10))
    #: Sanitised HTML; 填空 blanks are placeholders, never the answers.
    stem_html: Mapped[str] = mapped_column(Text)
    #: ``[{"key": "A", "html": "…"}, …]`` in authored order.
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: The key: "A"; ["A", "C"]; true/false; or [[accepted…] per blank].
    answer: Mapped[Any] = mapped_column(JSON)
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]

    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class QuizDefinition(Base):
    """A published quiz definition file (its settings as the checker read them)."""

    __tablename__ = "quiz_definition"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), index=True)
    #: Every setting of the file (schedule, window, draw, limits…), JSON-safe.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    source_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def config(self) -> QuizSettings:
        """The settings, typed (parsed once per loaded row and settings value)."""
        from studyapp.content.quiz_settings import QuizSettings

        cached = self.__dict__.get("_config")
        if cached is None or cached[0] is not self.settings:
            cached = (self.settings, QuizSettings.model_validate(self.settings))
            self.__dict__["_config"] = cached
        return cached[1]


class MediaFile(Base):
    """An image used by content, stored by its SHA-256 so every app node serves it."""

    __tablename__ = "media_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
