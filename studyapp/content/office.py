"""Excel and Word question banks in web uploads: convert them with the same code
as ``studyapp content convert``, and put the Markdown bank into the upload's stage.

The bank file goes where a bank of that id already is in the content folder (so
its ids are kept, as when the command line converts into an existing OUT.md),
else to ``quizzes/<bank id>.md``; pictures go next to it. Nothing is written when
the conversion has an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from studyapp.content.convert import sniff
from studyapp.content.convert.converter import Conversion, ConvertOptions, convert_file
from studyapp.content.convert.issues import file_error
from studyapp.content.format.docs import BankDoc, QuestionDoc
from studyapp.content.format.values import is_valid_id

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_-]+)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Converted:
    """One uploaded spreadsheet or paper: the conversion and where its bank goes."""

    source: str
    conversion: Conversion
    #: The bank's place in the content folder (``quizzes/….md``); "" on error.
    target: str = ""


def is_office(name: str) -> bool:
    """An .xlsx or .docx file (converted, not staged as it is)."""
    return sniff.kind_of(name) is not None


def convert_upload(
    content_dir: Path,
    name: str,
    data: bytes,
    options: ConvertOptions,
    reserved: Iterable[str],
) -> Converted:
    """Convert one uploaded file into the bank it names, keeping the ids of the
    bank already in the content folder. The bank id is ``options.bank``, else
    the file's stem; an invalid one is reported with every other error."""
    source = PurePath(name).name
    bank = options.bank or PurePath(source).stem
    valid = is_valid_id(bank)
    existing = _bank_file(content_dir, bank) if valid else None
    target = existing or Path(content_dir) / "quizzes" / f"{bank if valid else 'x'}.md"
    text = existing.read_text(encoding="utf-8") if existing else None
    result = convert_file(
        source, data, out_name=target.name, existing=text, reserved=reserved,
        options=ConvertOptions(bank=bank if valid else "x", title=options.title,
                               lesson=options.lesson),
    )  # fmt: skip
    if not valid:
        message = (f"题库 id “{bank}” 无效：请在“题库 id”一栏填写字母、数字、- 或 _ "
                   "组成的 id，如 dangshi")  # fmt: skip
        issues = (file_error(source, message), *result.issues)
        return Converted(source, replace(result, issues=issues))
    if not result.ok:
        return Converted(source, result)
    return Converted(source, result, target.relative_to(content_dir).as_posix())


def stage_converted(stage: Path, converted: Converted) -> list[str]:
    """Write the bank and its pictures into the stage; their staged paths."""
    bank = stage / converted.target
    bank.parent.mkdir(parents=True, exist_ok=True)
    bank.write_text(converted.conversion.markdown, encoding="utf-8")
    staged = [converted.target]
    for rel, blob in converted.conversion.images.items():
        picture = bank.parent / rel
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_bytes(blob)
        staged.append(picture.relative_to(stage).as_posix())
    return staged


def _bank_file(content_dir: Path, bank: str) -> Path | None:
    """The bank file with id *bank* under ``quizzes/`` (by front matter, else name)."""
    root = Path(content_dir) / "quizzes"
    if not root.is_dir():
        return None
    named = None
    for path in sorted(root.rglob("*.md")):
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        found = _ID_LINE.search(head.split("\n---", 1)[0])
        if found and found.group(1) == bank:
            return path
        if found is None and path.stem == bank and named is None:
            named = path
    return named


def issue_fields(converted: Iterable[Converted]) -> list[dict[str, object]]:
    """The conversions' issues as check issues: ``file[sheet]`` and the row, or
    the file and the paragraph with ``第N题：`` before the message."""
    out: list[dict[str, object]] = []
    for c in converted:
        for i in c.conversion.issues:
            path = i.path if i.sheet is None else f"{i.path}[{i.sheet}]"
            prefix = f"第{i.number}题：" if i.number else ""
            out.append({"path": path, "line": i.line, "severity": i.severity,
                        "message": prefix + i.message})  # fmt: skip
    return out


def answer_words(q: QuestionDoc) -> str:
    """A question's answer as an author reads it: ``B``, ``A、C``, 正确, ``3|三；5``."""
    if q.type == "truefalse":
        return "正确" if q.answer else "错误"
    if q.type == "fill":
        return "；".join("|".join(alts) for alts in q.answer)  # type: ignore[union-attr]
    return "、".join(q.answer)  # type: ignore[arg-type]


def preview_fields(doc: BankDoc, converted: Converted, limit: int = 200) -> dict:  # type: ignore[type-arg]
    """What the upload report shows of a converted bank (first *limit* questions)."""
    questions = []
    for q in doc.questions[:limit]:
        keys = set(q.answer) if q.type in ("single", "multiple") else set()  # type: ignore[arg-type]
        questions.append({
            "id": q.id, "type": q.type, "stem_html": q.stem_html,
            "options": [{"key": o.key, "html": o.html, "correct": o.key in keys}
                        for o in q.options],
            "answer": answer_words(q), "explanation_html": q.explanation_html,
        })  # fmt: skip
    return {"source": converted.source, "path": converted.target, "id": doc.id,
            "title": doc.title, "summary": converted.conversion.summary(),
            "total": len(doc.questions), "questions": questions}  # fmt: skip
