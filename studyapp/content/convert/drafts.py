"""PURE: a question as a reader found it (cells or paragraphs), and as converted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from studyapp.content.convert.issues import Place
from studyapp.content.format.docs import Answer, QuestionType

#: ``progress(done, total)``: called now and then during long work (rows, paragraphs).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Part:
    """A piece of text (already trimmed) and the row or paragraph it came from."""

    text: str
    line: int


@dataclass(frozen=True)
class DraftOption:
    """An option as written: its letter (``A``…), text, row or paragraph."""

    letter: str
    text: str
    line: int


@dataclass
class Draft:
    """One question before any check: what a reader took from the file.

    ``stem`` and ``explanation`` are paragraphs (a cell's lines, or Word
    paragraphs); ``kind`` is the 题型 as written; ``section_type`` is the type a
    Word section heading gives (「一、单选题」).
    """

    place: Place
    stem: list[Part] = field(default_factory=list)
    options: list[DraftOption] = field(default_factory=list)
    kind: Part | None = None
    section_type: QuestionType | None = None
    answer: Part | None = None
    explanation: list[Part] = field(default_factory=list)
    difficulty: Part | None = None
    tags: Part | None = None
    source: Part | None = None
    given_id: Part | None = None


@dataclass
class Section:
    """Questions under one heading: a Word 题型 section, or one worksheet.

    ``title`` is written as a level-1 heading (``# 一、单选题``); None for the
    questions before any heading, and for a workbook with one question sheet.
    """

    title: str | None
    drafts: list[Draft] = field(default_factory=list)
    #: The worksheet's name (None for a Word section).
    sheet: str | None = None


@dataclass(frozen=True)
class Question:
    """A checked question, ready to be written: exactly what the parser reads back.

    ``stem_md`` holds 填空 answers as ``{{a|b}}``; ``options`` are the texts of
    A, B, …; ``source`` is the 出处 written on the question (None: the bank's).
    """

    place: Place
    type: QuestionType
    stem_md: str
    answer: Answer
    options: tuple[str, ...] = ()
    explanation_md: str = ""
    tags: tuple[str, ...] = ()
    difficulty: int | None = None
    source: str | None = None
    given_id: str | None = None
