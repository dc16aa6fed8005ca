"""PURE: frozen dataclasses for parsed content files and the issues found in them.

These are the contract between the parser/checker and the importer. All datetimes are
aware UTC; all sequences are tuples so that documents are immutable and hashable-ish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal, TypeAlias

Severity = Literal["error", "warning"]
QuestionType = Literal["single", "multiple", "truefalse", "fill"]
QuizKind = Literal["daily", "weekly", "special", "exam"]
ReviewPolicy = Literal["after_answer", "after_submit", "after_close", "never"]
#: "all", or unit codes whose subtrees may see the item.
Audience: TypeAlias = "Literal['all'] | tuple[str, ...]"
#: single: "A"; multiple: ("A", "C") sorted; truefalse: bool;
#: fill: one tuple of accepted strings per blank, e.g. (("组织", "党组织"),).
Answer: TypeAlias = "str | tuple[str, ...] | bool | tuple[tuple[str, ...], ...]"

QUESTION_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "truefalse", "fill")
QUIZ_KINDS: tuple[QuizKind, ...] = ("daily", "weekly", "special", "exam")
REVIEW_POLICIES: tuple[ReviewPolicy, ...] = (
    "after_answer",
    "after_submit",
    "after_close",
    "never",
)

#: A quiz's defaults: the one place they are written (the published settings and
#: every reader of them take these).
DEFAULT_PASS_SCORE = 60
DEFAULT_POINTS = 5
DEFAULT_ATTEMPTS = 1
DAILY_DEFAULT_COUNT = 5

_NO_LINES: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a content file; ``line`` is 1-based in the file as written."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True, kw_only=True)
class _FrontMatterLines:
    #: Front-matter key → 1-based line of that key (for issues found later, e.g. by
    #: the cross-file checks). Keys absent from the file are absent here.
    key_lines: Mapping[str, int] = field(
        default_factory=lambda: _NO_LINES, compare=False, hash=False, repr=False
    )

    def line_of(self, key: str, default: int = 1) -> int:
        """1-based line of front-matter *key*, or *default* when it was not written."""
        return self.key_lines.get(key, default)


@dataclass(frozen=True, kw_only=True)
class LessonDoc(_FrontMatterLines):
    """A lesson file under ``lessons/``.

    ``minutes`` is the front matter value, or (when omitted) the visible length of
    the body at 400 characters per minute, rounded up, at least 1
    (``minutes_estimated`` says which). ``body_html`` is sanitised, with relative
    image paths left relative (re-render ``body_md`` with ``media_url`` to rewrite
    them). ``images`` are those paths, normalised, relative to the file's directory.
    ``content_hash`` is the sha256 of title and body (line endings and trailing
    whitespace normalised): it changes when what a reader sees changes.
    """

    id: str
    title: str
    path: str
    series: str | None = None
    tags: tuple[str, ...] = ()
    minutes: int = 1
    minutes_estimated: bool = False
    publish_at: datetime | None = None
    audience: Audience = "all"
    body_md: str = ""
    body_html: str = ""
    #: File line where ``body_md`` starts (for issues about the body).
    body_line: int = 1
    images: tuple[str, ...] = ()
    content_hash: str = ""


@dataclass(frozen=True)
class Option:
    """One choice: stable ``key`` ("A"…"H"), Markdown text and inline sanitised HTML."""

    key: str
    text_md: str
    html: str


@dataclass(frozen=True, kw_only=True)
class QuestionDoc:
    """One question (a level-2 heading and the lines under it).

    ``stem_md`` is the source text (for 填空 it still contains ``{{answers}}``: never
    send it to a browser). ``stem_html`` shows each blank as
    ``<span class="blank" data-blank="N">（　　）</span>`` and never contains an
    answer. ``tags`` are the bank's tags followed by the question's own 标签.
    ``source_lesson`` is 出处, else the bank's ``lesson``; ``source_lesson_line`` is
    the 出处 line, or None when inherited. ``content_hash`` covers what a member sees
    and is graded on (type, stem, options, answer, explanation): a new hash means a
    new revision. Tags, difficulty and source lesson are metadata outside the hash.
    """

    id: str
    type: QuestionType
    stem_md: str
    stem_html: str
    answer: Answer
    path: str
    line: int
    options: tuple[Option, ...] = ()
    explanation_md: str = ""
    explanation_html: str = ""
    tags: tuple[str, ...] = ()
    difficulty: int | None = None
    source_lesson: str | None = None
    source_lesson_line: int | None = None
    images: tuple[str, ...] = ()
    content_hash: str = ""


@dataclass(frozen=True, kw_only=True)
class BankDoc(_FrontMatterLines):
    """A question bank: a file under ``quizzes/`` whose front matter has no ``kind``."""

    id: str
    title: str
    path: str
    tags: tuple[str, ...] = ()
    lesson: str | None = None
    questions: tuple[QuestionDoc, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DrawRule:
    """Draw ``count`` questions from the published banks.

    A question is eligible when it is in ``bank`` (if given), carries at least one
    of ``tags`` (if given), and has one of ``types`` (if given).
    """

    count: int
    bank: str | None = None
    tags: tuple[str, ...] = ()
    types: tuple[QuestionType, ...] = ()
    line: int = 1


@dataclass(frozen=True, kw_only=True)
class QuizDoc(_FrontMatterLines):
    """A quiz definition: a file under ``quizzes/`` whose front matter has ``kind``.

    Defaults: ``id`` the file stem (as for lessons and banks); ``schedule`` None
    (daily: every Asia/Shanghai day); ``open_for`` None (weekly: until the next
    firing); ``count`` 5 for daily and None otherwise;
    ``time_limit`` None (untimed); ``attempts`` 1 for every kind, None means
    unlimited (``attempts: unlimited`` or ``不限``); ``pass_score`` 60;
    ``points`` 5 (0 for daily, which scores +1 per correct answer instead);
    ``review`` after_close for exam, after_submit otherwise; ``audience`` "all".
    A quiz has either ``draw`` rules or its own ``questions`` (a fixed paper);
    daily may have neither and then draws ``count`` from all banks.
    """

    id: str
    title: str
    kind: QuizKind
    path: str
    schedule: str | None = None
    open_for: timedelta | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    count: int | None = None
    draw: tuple[DrawRule, ...] = ()
    time_limit: timedelta | None = None
    attempts: int | None = DEFAULT_ATTEMPTS
    pass_score: int = DEFAULT_PASS_SCORE
    points: int = DEFAULT_POINTS
    review: ReviewPolicy = "after_submit"
    audience: Audience = "all"
    lesson: str | None = None
    tags: tuple[str, ...] = ()
    intro_md: str = ""
    intro_html: str = ""
    questions: tuple[QuestionDoc, ...] = ()


Doc: TypeAlias = "LessonDoc | BankDoc | QuizDoc"

#: The id namespaces: lessons; banks and quizzes (one namespace); questions.
IdKind = Literal["lesson", "bank", "question"]


@dataclass(frozen=True)
class IdUse:
    """An id written in a file, at ``line``, whether or not its doc or question was
    kept: duplicates are reported even when the other copy has errors of its own.
    """

    kind: IdKind
    id: str
    path: str
    line: int


class IssueLog:
    """Collects the issues of one file; parsers report every problem, not the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Issue] = []

    def error(self, line: int, message: str) -> None:
        self.items.append(Issue(self.path, max(line, 1), "error", message))

    def warning(self, line: int, message: str) -> None:
        self.items.append(Issue(self.path, max(line, 1), "warning", message))

    @property
    def has_errors(self) -> bool:
        return self.has_errors_since(0)

    def has_errors_since(self, mark: int) -> bool:
        """True when an error was logged after ``len(items)`` was *mark*."""
        return any(i.severity == "error" for i in self.items[mark:])
