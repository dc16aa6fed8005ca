"""Files that hold secrets (passwords, keys): created owner-only (mode 600)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path


def open_private(  # type: ignore[no-untyped-def]
    path: Path, *, exclusive: bool = False, encoding: str = "utf-8"
):
    """Open ``path`` for writing text, mode 600 even if it existed with another mode.

    ``exclusive``: FileExistsError instead of replacing an existing file.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # the mode argument is ignored for an existing file
    return os.fdopen(fd, "w", newline="", encoding=encoding)


def write_private_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    """Write a CSV (UTF-8 with BOM, for Excel) that only its owner can read."""
    with open_private(path, encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
