"""Web uploads of content: stage files, check them against the whole tree, apply.

An upload is staged under ``staging_root/<token>/`` with the content layout
(``lessons/…``, ``quizzes/…``). Checking overlays the staged files on a copy of
the content folder, so references, duplicates and draws are checked against
everything that will be published. Applying copies the staged files into the
content folder: the files stay the source of truth.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath

from studyapp.content.format.checker import Report, check_tree
from studyapp.content.media import MIME
from studyapp.errors import ValidationFailed

KINDS = ("lessons", "quizzes")
MAX_FILES = 2000
MAX_UNPACKED = 50 * 1024 * 1024
_CHUNK = 64 * 1024
_TOKEN_CHARS = set("0123456789abcdef")


def new_stage(staging_root: Path) -> tuple[str, Path]:
    """A fresh staging folder; old ones (over a day) are removed on the way."""
    _sweep(staging_root)
    token = secrets.token_hex(16)
    path = staging_root / token
    path.mkdir(parents=True)
    return token, path


def stage_dir(staging_root: Path, token: str) -> Path:
    """The staging folder of ``token``; ValidationFailed if unknown or malformed."""
    path = staging_root / token
    if len(token) != 32 or not set(token) <= _TOKEN_CHARS or not path.is_dir():
        raise ValidationFailed("上传已过期，请重新上传", field="token")
    return path


def stage_files(
    stage: Path,
    content_dir: Path,
    files: list[tuple[str, bytes]],
    kind: str,
    *,
    required: bool = True,
) -> list[str]:
    """Put uploaded ``(filename, data)`` into the stage; returns staged paths.

    A ``.zip`` keeps its layout (a leading ``content/`` is dropped; everything must
    sit under ``lessons/`` or ``quizzes/``). A single ``.md`` goes where a file of
    the same name already is under ``kind``, else directly under ``kind``.
    ``required``: at least one file must be staged.
    """
    if kind not in KINDS:
        raise ValidationFailed("请选择文件类型：课程或题库/测验", field="kind")
    staged: list[str] = []
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".zip"):
            staged += _unzip(stage, name, data)
        elif lower.endswith(".md"):
            staged.append(_place(stage, content_dir, kind, Path(name).name, data))
        else:
            raise ValidationFailed(
                f"{name}：只能上传 .md、.xlsx、.docx 文件或 .zip 压缩包",
                field="files",
            )
    if not staged and required:
        raise ValidationFailed("请选择要上传的文件", field="files")
    return staged


def _place(stage: Path, content_dir: Path, kind: str, name: str, data: bytes) -> str:
    existing = (
        sorted((content_dir / kind).rglob(name))
        if (content_dir / kind).is_dir()
        else []
    )
    rel = existing[0].relative_to(content_dir) if existing else Path(kind) / name
    target = stage / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return rel.as_posix()


def _unzip(stage: Path, name: str, data: bytes) -> list[str]:
    """Unpack the content files of a zip into the stage, within MAX_UNPACKED.

    The sizes in a zip's headers are what the archive claims: the budget is
    counted on the bytes really inflated, in chunks, so memory stays bounded
    and a lying archive is refused, never half-written into the stage.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationFailed(f"{name}：不是有效的 zip 文件", field="files") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise _too_large(name)
    budget = [MAX_UNPACKED]
    staged = []
    for member in members:
        rel = _safe_member(name, member.filename)
        if rel is None:
            continue
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _inflate(archive, member, target, budget, name)
        staged.append(rel.as_posix())
    return staged


def _too_large(name: str) -> ValidationFailed:
    limit = MAX_UNPACKED // (1024 * 1024)
    return ValidationFailed(
        f"{name}：压缩包解压后超过 {limit} MB 或多于 {MAX_FILES} 个文件，请分批上传",
        field="files",
    )


def _inflate(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    target: Path,
    budget: list[int],
    name: str,
) -> None:
    """Copy one member to ``target`` in chunks, charging ``budget[0]``."""
    try:
        with archive.open(member) as src, target.open("wb") as out:
            while chunk := src.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise _too_large(name)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError) as exc:  # fmt: skip
        # CRC mismatch (sizes that lie), unsupported compression, a password.
        target.unlink(missing_ok=True)
        raise ValidationFailed(
            f"{name}：{member.filename} 已损坏或加了密码，无法解压", field="files"
        ) from exc
    except ValidationFailed:
        target.unlink(missing_ok=True)
        raise


def _safe_member(zip_name: str, member: str) -> PurePosixPath | None:
    path = PurePosixPath(member.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise ValidationFailed(f"{zip_name}：{member} 路径不安全", field="files")
    parts = [p for p in path.parts if p not in (".", "")]
    if parts and parts[0] == "content":
        parts = parts[1:]
    if any(p.startswith((".", "__MACOSX")) for p in parts):
        return None
    suffix = PurePosixPath(*parts).suffix.lower() if parts else ""
    if not parts or (suffix != ".md" and suffix not in MIME):
        return None
    if parts[0] not in KINDS:
        raise ValidationFailed(
            f"{zip_name}：{member} 不在 lessons/ 或 quizzes/ 文件夹下", field="files"
        )
    return PurePosixPath(*parts)


@contextmanager
def merged_tree(content_dir: Path, stage: Path) -> Iterator[Path]:
    """A temporary copy of the content folder with the staged files laid over it."""
    with tempfile.TemporaryDirectory(prefix="studyapp-merge-") as tmp:
        root = Path(tmp) / "content"
        if content_dir.is_dir():
            shutil.copytree(content_dir, root)
        shutil.copytree(stage, root, dirs_exist_ok=True)
        yield root


def relative_report(report: Report, root: Path) -> Report:
    """The report with issue paths relative to ``root`` (as the author sees them)."""
    # Messages name other files too ("与 …/x.md:3 重复"): the temporary copy's
    # folder means nothing to the author.
    prefixes = {f"{root.resolve().as_posix()}/", f"{root.as_posix()}/"}

    def clean(message: str) -> str:
        for prefix in prefixes:
            message = message.replace(prefix, "")
        return message

    issues = tuple(
        replace(i, path=relative_to(i.path, root), message=clean(i.message))
        for i in report.issues
    )
    return replace(report, issues=issues)


def relative_to(path: str, root: Path) -> str:
    """``path`` relative to ``root`` (POSIX), or as it is when outside it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def check_merged(root: Path) -> Report:
    """Check the merged tree; issue paths relative to it."""
    return relative_report(check_tree([root]), root)


def apply_stage(stage: Path, content_dir: Path) -> None:
    """Copy the staged files into the content folder and drop the stage."""
    shutil.copytree(stage, content_dir, dirs_exist_ok=True)
    shutil.rmtree(stage, ignore_errors=True)


def _sweep(staging_root: Path, max_age: float = 86400) -> None:
    if not staging_root.is_dir():
        return
    cutoff = time.time() - max_age
    for child in staging_root.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)
