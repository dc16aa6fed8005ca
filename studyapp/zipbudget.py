"""An Office file (XLSX, DOCX) is a zip, and a zip's headers may lie.

openpyxl and python-docx read some parts whole (``ZipFile.read``), which
inflates everything the compressed stream holds before the size in the header
is checked: a 400 KB file whose headers claim 100 bytes becomes 400 MB in
memory. So before a library opens an uploaded Office file, every member is
inflated here in small chunks, counting real bytes against a budget; a member
that inflates past its declared size fails its CRC and is "damaged".
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Literal

_CHUNK = 64 * 1024

Verdict = Literal["ok", "damaged", "too_large"]


def inflate_check(data: bytes, limit: int) -> Verdict:
    """Whether the zip ``data`` inflates honestly to at most ``limit`` bytes."""
    left = limit
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > limit:
                return "too_large"
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        left -= len(chunk)
                        if left < 0:
                            return "too_large"
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            RuntimeError, NotImplementedError):  # fmt: skip
        # A CRC mismatch (sizes that lie), bad compression, a password.
        return "damaged"
    return "ok"
