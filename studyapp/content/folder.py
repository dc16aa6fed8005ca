"""The content folder as authors address it: which files a check reads, which
issues belong to the paths asked about, and writing missing question ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.content.format import checker
from studyapp.content.format.ids import add_missing_ids
from studyapp.content.format.parser import parse_file
from studyapp.content.models import Question


def to_check(targets: list[Path], root: Path) -> list[Path]:
    """What to read to check ``targets``: files inside the content folder are
    checked with the whole folder, so their references to other files resolve;
    other paths are checked alone."""
    root = root.resolve()
    inside = all(t.resolve().is_relative_to(root) for t in targets)
    return [root] if inside and root.is_dir() else targets


def within(report: checker.Report, targets: Iterable[Path]) -> checker.Report:
    """The report with only the issues of files under ``targets``."""
    wanted = [t.resolve() for t in targets]
    issues = tuple(
        i
        for i in report.issues
        if any(Path(i.path).resolve().is_relative_to(t) for t in wanted)
    )
    return replace(report, issues=issues)


def question_ids_in_use(session: Session, files: list[Path], root: Path) -> set[str]:
    """Ids in the whole content folder, in ``files`` and in the database
    (retired ones too): a new id must be none of them."""
    report = checker.check_tree([root, *files] if root.exists() else files)
    used = {q.id for q in report.questions}
    used.update(session.scalars(select(Question.slug)))
    return used


def write_missing_ids(path: Path, used: set[str]) -> list[str]:
    """Write ``{#id}`` into the question headings of ``path`` that lack one,
    leaving every other byte (CRLF too) as written; returns the new ids and
    adds them to ``used``."""
    text = path.read_bytes().decode("utf-8")
    doc, _issues = parse_file(str(path), text)
    if doc is None or not hasattr(doc, "questions"):
        return []
    new_text, added = add_missing_ids(text, doc.id, used)
    if added:
        path.write_bytes(new_text.encode("utf-8"))
        used.update(added)
    return added
