"""Typed inputs and results of the content actions: what members read (学习),
and what admins manage (管理 › 内容: overview, upload, check, publish, withdraw)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from studyapp.errors import ValidationFailed


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class LessonQuery(Model):
    """Filters of the lesson list: any part of the title or text, a series, a tag."""

    q: str | None = Field(None, max_length=50)
    series: str | None = Field(None, max_length=100)
    tag: str | None = Field(None, max_length=100)
    page: int = Field(1, ge=1, le=10_000)


#: A member's reading of a lesson: 已读, begun, or 未读 (``content.reading``).
Reading = Literal["read", "started", "unread"]


class LessonBrief(Model):
    id: str
    title: str
    series: str | None
    tags: list[str]
    minutes: int
    revision: int
    published_at: datetime
    #: My reading of it: ``read`` (已读), ``started`` or ``unread``.
    reading: Reading = "unread"
    #: Credited reading time as a share of what finishing it needs (100 when read).
    read_percent: int = 0


class NextLesson(Model):
    """A lesson to read next, by title."""

    id: str
    title: str
    series: str | None
    minutes: int
    reading: Reading = "unread"
    read_percent: int = 0
    #: True: the member began it and has not finished (继续阅读).
    continuing: bool = False


class LessonPage(Model):
    """学习: one page of lessons (newest first; title matches first when searching)."""

    lessons: list[LessonBrief]
    page: int
    has_more: bool
    query: LessonQuery
    #: Every series and tag of the visible lessons, for the filter chips.
    all_series: list[str]
    all_tags: list[str]
    #: Lessons I may read now, and how many of them I have read (all pages).
    total_count: int = 0
    read_count: int = 0


class LessonOut(LessonBrief):
    """One lesson with its sanitised HTML (rendered at publish time)."""

    html: str
    #: Seconds of reading still needed before it counts as read (0 when read).
    seconds_to_finish: int = 0
    #: The next lesson of its series, if any.
    next: NextLesson | None = None


# --- 管理 › 内容 -------------------------------------------------------------

#: What members see of an item: ``scheduled`` is published with a
#: ``publish_at`` still to come; ``retired`` left the files (publish them again).
State = Literal["published", "scheduled", "withdrawn", "retired"]
ItemKind = Literal["lesson", "bank", "quiz"]


class AdminLesson(Model):
    id: str
    title: str
    revision: int
    state: State
    publish_at: datetime | None
    source_path: str
    updated_at: datetime


class AdminBank(Model):
    id: str
    title: str
    #: Active questions in the bank.
    questions: int
    state: State
    source_path: str
    updated_at: datetime


class AdminQuiz(Model):
    id: str
    title: str
    kind: str
    revision: int
    state: State
    source_path: str
    updated_at: datetime


class ContentOverview(Model):
    """Every lesson, bank and quiz ever published, with its state, by id."""

    lessons: list[AdminLesson]
    banks: list[AdminBank]
    quizzes: list[AdminQuiz]


class ItemStatus(Model):
    """An item after it was withdrawn or restored."""

    kind: ItemKind
    id: str
    title: str
    state: State


class UploadedFile(Model):
    name: str = Field(max_length=255)
    data: bytes


class UploadIn(Model):
    """Uploaded ``.md`` files and ``.zip`` archives (with lessons/ and quizzes/)."""

    files: list[UploadedFile]
    #: Where a single ``.md`` goes when no file of its name exists yet.
    kind: Literal["lessons", "quizzes"] = "quizzes"
    #: For an .xlsx/.docx bank: its id (default: the file's stem, when valid),
    #: title (default: the existing bank's, else the file's stem) and lesson.
    bank: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=300)
    lesson: str | None = Field(None, max_length=100)


class Download(Model):
    """A file to download (a template, a sample, an exported bank)."""

    filename: str
    data: bytes


class PathsIn(Model):
    """Files or folders to check or publish (none: the whole content folder)."""

    paths: list[Path] = []


class CheckIssue(Model):
    #: Relative to the content folder for uploads; as given on the command line.
    path: str
    #: 1-based line in the file as written.
    line: int
    severity: Literal["error", "warning"]
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def place(self) -> str:
        """``path:line``, or the path alone for the whole file (line 0)."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.place}: {self.severity}: {self.message}"


class CheckReport(Model):
    """Every problem found, sorted by file and line; ``ok`` when none is an error."""

    ok: bool
    files: int
    errors: int
    warnings: int
    #: One line: what was checked, how many errors and warnings.
    summary: str
    issues: list[CheckIssue]


class ContentChange(Model):
    kind: Literal["lesson", "bank", "question", "quiz"]
    id: str
    title: str
    action: Literal["added", "changed", "revised", "retired", "restored", "scheduled"]


class ContentChanges(Model):
    """What publishing does (a preview) or did."""

    #: One line per kind of item (``题目：新增 2，新修订 1``).
    lines: list[str]
    changes: list[ContentChange]
    unchanged: int
    media_added: int


class PreviewOption(Model):
    key: str
    html: str
    correct: bool


class PreviewQuestion(Model):
    """A converted question as members will see it, with its answer for checking."""

    id: str
    type: str
    stem_html: str
    options: list[PreviewOption]
    #: The answer in words: ``B``, ``A、C``, 正确, or each blank's answers.
    answer: str
    explanation_html: str


class BankPreview(Model):
    """An uploaded spreadsheet or Word paper, converted into a Markdown bank."""

    #: The uploaded file's name.
    source: str
    #: Where the bank file goes in the content folder.
    path: str
    id: str
    title: str
    #: 转换了 N 道题（单选 …）；沿用 id …
    summary: str
    total: int
    #: The first questions (up to 200), as members will see them.
    questions: list[PreviewQuestion]


class UploadReport(CheckReport):
    """An upload checked with the whole content folder; ``preview`` is what
    publishing it would change (None when there are errors). Spreadsheets and
    Word papers are converted first: their errors name ``file[sheet]:row`` or
    ``file:paragraph`` (and then nothing is staged), ``banks`` shows them."""

    #: Names the staged upload for publishing (valid for a day).
    token: str
    #: The uploaded files' places in the content folder.
    staged: list[str]
    preview: ContentChanges | None
    banks: list[BankPreview] = []


class Published(Model):
    """The content was published (warnings do not stop it)."""

    report: CheckReport
    changes: ContentChanges


class IdsAdded(Model):
    #: File → the ids written into it.
    files: dict[str, list[str]]

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.files.values())


class CheckFailed(ValidationFailed):
    """The content has errors, so nothing was published; carries the report."""

    def __init__(self, report: CheckReport, field: str | None = None) -> None:
        first = next(i for i in report.issues if i.is_error)
        more = f"（共 {report.errors} 个错误）" if report.errors > 1 else ""
        super().__init__(f"{first}{more}，未发布任何内容", field=field)
        self.report = report
