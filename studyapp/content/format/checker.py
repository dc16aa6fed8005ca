"""Check a content tree: parse every file, then cross-file checks; ``python -m`` entry.

Usage: ``python -m studyapp.content.format.checker [PATH…]`` (default ``content``).
Prints every issue as ``path:line: error|warning: message`` and a summary line; exits
1 when there is any error, 0 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from studyapp.content.format.crosscheck import cross_check
from studyapp.content.format.docs import (
    BankDoc,
    Doc,
    Issue,
    LessonDoc,
    QuestionDoc,
    QuizDoc,
)
from studyapp.content.format.parser import ParsedFile, find_line, parse_content

#: Files never treated as content, whatever directory they sit in.
IGNORED_NAMES = frozenset({"readme.md"})


@dataclass(frozen=True)
class Report:
    """The result of checking a tree: parsed docs and every issue, sorted by place."""

    lessons: tuple[LessonDoc, ...] = ()
    banks: tuple[BankDoc, ...] = ()
    quizzes: tuple[QuizDoc, ...] = ()
    issues: tuple[Issue, ...] = ()
    files: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not block publishing)."""
        return not self.errors

    @property
    def questions(self) -> list[QuestionDoc]:
        """Every question: bank questions, then quizzes' fixed papers."""
        return [q for doc in (*self.banks, *self.quizzes) for q in doc.questions]

    @property
    def bank_question_count(self) -> int:
        return sum(len(b.questions) for b in self.banks)

    def summary(self) -> str:
        """One line: what was checked and how many errors and warnings."""
        return (
            f"检查了 {self.files} 个文件：{len(self.lessons)} 篇课程、"
            f"{len(self.banks)} 个题库（{self.bank_question_count} 题）、"
            f"{len(self.quizzes)} 个测验；{len(self.errors)} 个错误，"
            f"{len(self.warnings)} 个警告"
        )


def check_tree(paths: Iterable[str | Path]) -> Report:
    """Parse every ``*.md`` under *paths* and run the cross-file checks.

    A path may be a file, a ``lessons``/``quizzes`` directory, a ``content``
    directory or a repository root (its ``content/`` is used). Hidden files and
    README.md are skipped. Images must exist on disk. Issues are sorted by
    (path, line). Cross-references are checked against what was scanned, so check
    the whole tree.
    """
    files, issues = collect_files(paths)
    parsed = [_parse_path(path) for path in files]
    return _report(parsed, issues, exists=lambda name: Path(name).is_file())


def check_sources(
    sources: Iterable[tuple[str, str]], *, exists: Callable[[str], bool] | None = None
) -> Report:
    """Check files given as ``(path, text)`` pairs, e.g. from a web upload.

    The paths decide each file's kind as in :func:`parse_file`. Image references
    are checked with ``exists(path)`` (path = file's directory + image) when given.
    """
    parsed = [parse_content(path, text) for path, text in sources]
    return _report(parsed, [], exists)


def _report(
    parsed: list[ParsedFile],
    issues: list[Issue],
    exists: Callable[[str], bool] | None,
) -> Report:
    issues = list(issues)
    for one in parsed:
        issues += one.issues
    docs = [p.doc for p in parsed if p.doc is not None]
    lessons = [d for d in docs if isinstance(d, LessonDoc)]
    banks = [d for d in docs if isinstance(d, BankDoc)]
    quizzes = [d for d in docs if isinstance(d, QuizDoc)]
    ids = [u for p in parsed for u in p.ids]
    issues += cross_check(lessons, banks, quizzes, ids)
    if exists is not None:
        issues += missing_images(lessons, [*banks, *quizzes], exists)
    return Report(
        tuple(lessons), tuple(banks), tuple(quizzes), tuple(sorted(issues)), len(parsed)
    )


def parse_path(path: Path) -> tuple[Doc | None, list[Issue]]:
    """Read *path* as UTF-8 and parse it; undecodable files are an error."""
    parsed = _parse_path(path)
    return parsed.doc, parsed.issues


def _parse_path(path: Path) -> ParsedFile:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = "文件不是 UTF-8 编码（可能是 GBK）：请另存为 UTF-8"
        return ParsedFile(None, [Issue(str(path), line, "error", message)])
    return parse_content(str(path), text)


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Issue]]:
    """The content files under *paths* (each once, in a stable order)."""
    seen: set[Path] = set()
    files: list[Path] = []
    issues: list[Issue] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            issues.append(Issue(str(path), 1, "error", "路径不存在"))
            continue
        for file in _walk(path):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, issues


def _walk(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for root in _content_roots(path):
        for file in sorted(root.rglob("*.md")):
            relative = file.relative_to(root).parts
            if file.is_file() and not _ignored(relative):
                yield file


def _content_roots(path: Path) -> list[Path]:
    subdirs = [path / name for name in ("lessons", "quizzes")]
    if not any(d.is_dir() for d in subdirs) and (path / "content").is_dir():
        return _content_roots(path / "content")
    return [d for d in subdirs if d.is_dir()] or [path]


def _ignored(parts: Sequence[str]) -> bool:
    return any(p.startswith(".") for p in parts) or parts[-1].lower() in IGNORED_NAMES


def missing_images(
    lessons: Sequence[LessonDoc],
    question_docs: Sequence[BankDoc | QuizDoc],
    exists: Callable[[str], bool],
) -> list[Issue]:
    """An error for each referenced relative image for which ``exists`` is False."""
    issues = []
    for lesson in lessons:
        for image in lesson.images:
            if not exists(_beside(lesson.path, image)):
                line = find_line(lesson.body_md, image, lesson.body_line)
                issues.append(Issue(lesson.path, line, "error", f"图片不存在：{image}"))
    for doc in question_docs:
        for q in doc.questions:
            for image in q.images:
                if not exists(_beside(q.path, image)):
                    message = f"图片不存在：{image}"
                    issues.append(Issue(q.path, q.line, "error", message))
    return issues


def _beside(path: str, image: str) -> str:
    """The path of *image*, relative to the directory of the file at *path*."""
    return str(PurePath(path).parent / image)


def format_report(report: Report) -> list[str]:
    """Every issue as ``path:line: severity: message``, then the summary line."""
    return [str(issue) for issue in report.issues] + [report.summary()]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: check PATH… (default ``content``); 1 on any error."""
    args = list(sys.argv[1:] if argv is None else argv)
    report = check_tree(args or ["content"])
    for line in format_report(report):
        print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
