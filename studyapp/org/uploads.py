"""Import files staged between the dry run and applying it (管理 › 导入).

The files wait in the database, not on a disk, so the apply may land on
another app node. Each upload belongs to the admin who made it; it is dropped
once applied, and any left for a day are swept away. Passwords are never
staged: initial passwords are made when the import is applied.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from studyapp.db import Base, intpk
from studyapp.errors import ValidationFailed

KEEP = timedelta(days=1)


class ImportUpload(Base):
    __tablename__ = "import_upload"

    id: Mapped[intpk]
    #: Random, in the apply form; together with ``actor_id`` it finds the files.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(index=True)
    #: ``[{"name": file name, "data": base64 of its bytes}]`` as uploaded.
    files: Mapped[list[dict[str, str]]] = mapped_column(JSON)


def stage(
    session: Session, actor_id: int, files: list[tuple[str, bytes]], now: datetime
) -> str:
    """Keep checked files for ``actor_id``; returns the token that applies them."""
    session.execute(delete(ImportUpload).where(ImportUpload.created_at < now - KEEP))
    token = secrets.token_hex(16)
    session.add(ImportUpload(
        token=token, actor_id=actor_id, created_at=now,
        files=[{"name": n, "data": base64.b64encode(d).decode()} for n, d in files],
    ))  # fmt: skip
    session.flush()
    return token


def take(
    session: Session, actor_id: int, token: str, now: datetime
) -> list[tuple[str, bytes]]:
    """The files staged under ``token`` by ``actor_id``, removed from the stage
    (a failed apply rolls back and keeps them). ValidationFailed when unknown,
    someone else's or over a day old."""
    found = session.scalar(
        select(ImportUpload).where(
            ImportUpload.token == token[:64], ImportUpload.actor_id == actor_id
        )
    )
    if found is None or found.created_at < now - KEEP:
        raise ValidationFailed("这次上传已过期或已导入，请重新上传文件", field="token")
    files = [(f["name"], base64.b64decode(f["data"])) for f in found.files]
    session.delete(found)
    session.flush()
    return files
