"""Images next to content files: read, store by SHA-256, point the HTML at them."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from studyapp.content.format.render import normalise_image_path
from studyapp.content.models import MediaFile

MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_SRC = re.compile(r'src="([^"]*)"')


def media_name(sha256: str, filename: str) -> str:
    """The file name under ``/media/`` for stored content."""
    return sha256 + Path(filename).suffix.lower()


def store_images(
    session: Session, base: Path, relpaths: Iterable[str], now: datetime
) -> tuple[dict[str, str], int]:
    """Store the images ``relpaths`` (relative to ``base``); map relpath → media name.

    Returns the mapping and how many files were new. Unknown types are skipped
    (the checker reports them); an image already stored is not stored twice.
    """
    mapping: dict[str, str] = {}
    added = 0
    for rel in relpaths:
        path = base / rel
        mime = MIME.get(path.suffix.lower())
        if mime is None or not path.is_file():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if session.get(MediaFile, digest) is None:
            session.add(
                MediaFile(
                    sha256=digest,
                    filename=path.name,
                    mime=mime,
                    data=data,
                    created_at=now,
                )
            )
            added += 1
        mapping[rel] = media_name(digest, path.name)
    return mapping, added


def rewrite_sources(fragment: str, mapping: dict[str, str], prefix: str) -> str:
    """Point ``src`` attributes naming a stored relative image at ``prefix + name``."""
    if not mapping:
        return fragment

    def _swap(match: re.Match[str]) -> str:
        rel = normalise_image_path(html.unescape(match.group(1)))
        name = mapping.get(rel) if rel else None
        return f'src="{prefix}{name}"' if name else match.group(0)

    return _SRC.sub(_swap, fragment)
