"""PURE: convert one .xlsx or .docx file into a Markdown question bank (SPEC §2).

``convert_file`` reads the file, checks every question, keeps the ids of an
existing bank file (see ``ids``), writes the Markdown and parses it back to make
sure it says what the file said. It reports every problem and never raises for
bad input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from studyapp.content.convert import sniff
from studyapp.content.convert.build import build_question
from studyapp.content.convert.cleaning import fold
from studyapp.content.convert.drafts import Draft, Progress, Question, Section
from studyapp.content.convert.ids import Previous, assign_ids, block_text, read_previous
from studyapp.content.convert.issues import (
    ConvertIssue,
    Place,
    file_error,
    sorted_issues,
)
from studyapp.content.convert.paper import read_paper
from studyapp.content.convert.sheet import read_workbook
from studyapp.content.convert.verify import verify
from studyapp.content.convert.wordxml import BadDocument, read_document
from studyapp.content.convert.write import BankMeta, question_lines, write_bank
from studyapp.content.format.answers import TYPE_NAMES
from studyapp.content.format.values import is_valid_id

#: Progress is reported in these units: reading, then checking, then verifying.
WORK = 1000
_READ, _BUILD = 700, 850


@dataclass(frozen=True)
class ConvertOptions:
    """``--bank``, ``--title`` and ``--lesson``; None: keep the existing file's value.

    Without an existing file the bank id is the output file's stem and the title
    the source file's stem.
    """

    bank: str | None = None
    title: str | None = None
    lesson: str | None = None


@dataclass(frozen=True)
class Conversion:
    """The bank's Markdown and pictures, or the errors; warnings either way."""

    issues: tuple[ConvertIssue, ...] = ()
    markdown: str = ""
    #: Picture files to write next to the bank: relative path → bytes.
    images: Mapping[str, bytes] = field(default_factory=dict)
    bank_id: str = ""
    title: str = ""
    #: Questions by type name (单选题 …), in the order of SPEC §2.
    counts: Mapping[str, int] = field(default_factory=dict)
    kept_ids: int = 0
    new_ids: int = 0

    @property
    def errors(self) -> list[ConvertIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[ConvertIssue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line: how many questions of each type, and what happened to the ids."""
        total = sum(self.counts.values())
        kinds = "、".join(f"{name[:2]} {n}" for name, n in self.counts.items() if n)
        return (
            f"转换了 {total} 道题（{kinds}）；沿用 id {self.kept_ids} 个，"
            f"新 id {self.new_ids} 个；{len(self.warnings)} 个警告"
        )


def convert_file(
    path: str,
    data: bytes,
    *,
    out_name: str,
    options: ConvertOptions = ConvertOptions(),
    existing: str | None = None,
    reserved: Iterable[str] = (),
    progress: Progress | None = None,
) -> Conversion:
    """Convert *data* (the file at *path*, named in messages) into a bank.

    *out_name* is the bank file's name (its stem is the default bank id);
    *existing* is that file's current text, whose ids are kept; *reserved* are
    ids that must not be given to new questions (the database's). The result
    has errors, or the Markdown; nothing is written anywhere.
    """
    kind = sniff.kind_of(path)
    if kind is None:
        problem = sniff.extension_problem(path)
    else:
        problem = sniff.content_problem(kind, data)
    if problem:
        return Conversion((file_error(path, problem),))
    previous = read_previous(existing)
    meta, issues = _meta(path, out_name, options, previous)
    stage = _Stage(progress)
    sections, images, sheets = _read(path, data, issues, stage)
    built = _build(sections, meta.id, issues, stage)
    if not issues and not any(built):
        issues.append(_empty(path, sections))
    if any(i.is_error for i in issues):
        return Conversion(sorted_issues(issues, sheets))
    return _finish(path, meta, sections, built, previous, reserved, images, stage)


def _meta(
    path: str, out_name: str, options: ConvertOptions, previous: Previous
) -> tuple[BankMeta, list[ConvertIssue]]:
    issues = []
    bank_id = options.bank or previous.bank_id or PurePath(out_name).stem
    if not is_valid_id(bank_id):
        issues.append(
            file_error(
                path,
                f"题库 id “{bank_id}” 无效：只能用字母、数字、- 和 _，"
                "请用 --bank 指定，如 --bank dangshi",
            )
        )
    lesson = options.lesson or previous.lesson
    if lesson is not None and not is_valid_id(lesson):
        issues.append(
            file_error(path, f"课程 id “{lesson}” 无效：只能用字母、数字、- 和 _")
        )
    title = options.title or previous.title or PurePath(path).stem
    meta = BankMeta(bank_id, title, lesson, PurePath(path).name)
    return meta, issues


def _read(
    path: str, data: bytes, issues: list[ConvertIssue], stage: _Stage
) -> tuple[list[Section], dict[str, bytes], list[str]]:
    if sniff.kind_of(path) == "xlsx":
        read = read_workbook(path, data, stage.reading)
        issues += read.issues
        return read.sections, {}, read.sheets
    try:
        text = read_document(data)
    except BadDocument:
        issues.append(file_error(path, "文件已损坏，无法作为 Word 文档打开"))
        return [], {}, []
    stage.reading(1, 2)
    sections, found = read_paper(path, text.paragraphs)
    issues += found
    stage.reading(2, 2)
    return sections, text.images, []


def _build(
    sections: list[Section], bank_id: str, issues: list[ConvertIssue], stage: _Stage
) -> list[list[Question]]:
    built: list[list[Question]] = []
    total = sum(len(s.drafts) for s in sections)
    done = 0
    seen: dict[tuple[object, ...], Place] = {}
    given: dict[str, Place] = {}
    for section in sections:
        questions = []
        for draft in section.drafts:
            question, found = build_question(draft, bank_id)
            issues += found + _repeated_stem(draft, seen)
            if question is not None:
                issues += _repeated_id(question, given)
                questions.append(question)
            done += 1
            if done % 500 == 0:
                stage.building(done, total)
        built.append(questions)
    return built


def _repeated_stem(
    draft: Draft, seen: dict[tuple[object, ...], Place]
) -> list[ConvertIssue]:
    """An error when *draft* has the stem and options of an earlier question.

    Compared on the drafts, so a repeat is found even when either copy has other
    errors; full-width/half-width, spaces and case do not count.
    """
    stem = fold("".join(p.text for p in draft.stem))
    if not stem:
        return []
    key = (stem, tuple(fold(o.text) for o in draft.options if o.text))
    first = seen.setdefault(key, draft.place)
    if first is draft.place:
        return []
    return [draft.place.error(f"与{_other(draft.place, first)}的题目重复")]


def _repeated_id(q: Question, given: dict[str, Place]) -> list[ConvertIssue]:
    """An error when *q* has the 编号 of an earlier question."""
    if q.given_id is None:
        return []
    first = given.setdefault(q.given_id, q.place)
    if first is q.place:
        return []
    return [q.place.error(f"编号 {q.given_id} 与{_other(q.place, first)}的编号重复")]


def _other(place: Place, first: Place) -> str:
    where = first.describe()
    if first.sheet != place.sheet:
        return f"工作表“{first.sheet}”{where}"
    return where


def _empty(path: str, sections: list[Section]) -> ConvertIssue:
    sheet = sections[0].sheet if sections else None
    if sheet is not None:
        message = "表中没有题目：第 1 行是表头，题目从第 2 行写起"
        return ConvertIssue(path, 2, message, sheet=sheet)
    return file_error(path, "没有找到题目")


def _finish(
    path: str,
    meta: BankMeta,
    sections: list[Section],
    built: list[list[Question]],
    previous: Previous,
    reserved: Iterable[str],
    images: dict[str, bytes],
    stage: _Stage,
) -> Conversion:
    wanted, index = [], 0
    for section, questions in zip(sections, built, strict=True):
        index += section.title is not None
        for position, q in enumerate(questions):
            wanted.append(
                ((index, position), block_text(question_lines(q)), q.given_id)
            )
    ids = assign_ids(meta.id, wanted, previous, reserved)
    numbered = iter(ids)
    layout = [
        (s.title, [(q, next(numbered)) for q in qs])
        for s, qs in zip(sections, built, strict=True)
    ]
    text, where = write_bank(meta, layout)
    stage.building(1, 1)
    errors, warnings = verify(path, text, where, ids, meta.lesson)
    stage.done()
    if errors:
        return Conversion(sorted_issues(errors + warnings))
    kept = len(previous.ids & set(ids))
    counts = Counter(q.type for _, q in where)
    return Conversion(
        issues=sorted_issues(warnings),
        markdown=text,
        images={name: blob for name, blob in images.items() if f"]({name})" in text},
        bank_id=meta.id,
        title=meta.title,
        counts={name: counts[t] for t, name in TYPE_NAMES.items()},
        kept_ids=kept,
        new_ids=len(ids) - kept,
    )


class _Stage:
    """Maps each stage's own ``(done, total)`` onto one bar of WORK units."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def _report(self, start: int, end: int, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress(start + (end - start) * min(done, total) // total, WORK)

    def reading(self, done: int, total: int) -> None:
        self._report(0, _READ, done, total)

    def building(self, done: int, total: int) -> None:
        self._report(_READ, _BUILD, done, total)

    def done(self) -> None:
        self._report(_BUILD, WORK, 1, 1)
