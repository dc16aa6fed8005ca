"""Job: nightly online backup of the SQLite database (keep the last BACKUP_KEEP).

Uses SQLite's online backup API on its own connections (the web keeps running;
the job's session is never used, so no transaction is held). Written to a
``.part`` file and renamed, so a backup file is always complete. Idempotent:
the file is named after the occurrence (``studyapp-20261122-0300.db``) and an
existing one is kept. On PostgreSQL it does nothing (use pg_dump) and says so.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from studyapp.timeutil import local

PREFIX = "studyapp-"


def backup_database(session: Session, now: datetime) -> dict[str, Any] | str:
    """Copy the SQLite database into the backup folder; prune old copies."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite":
        return "skipped: not SQLite (PostgreSQL: back up with pg_dump)"
    source = url.database
    if not source or source == ":memory:":
        return "skipped: in-memory database"
    folder = backup_folder()
    target = folder / f"{PREFIX}{local(now):%Y%m%d-%H%M}.db"
    made = not target.exists()
    if made:
        copy_sqlite(Path(source), target)
    removed = prune(folder, int(current_app.config["BACKUP_KEEP"]))
    return {
        "file": target.name,
        "written": made,
        "bytes": target.stat().st_size,
        "removed": removed,
    }


def backup_folder() -> Path:
    """BACKUP_DIR, or ``backups`` in the instance folder."""
    configured = current_app.config.get("BACKUP_DIR")
    folder = (
        Path(configured) if configured else Path(current_app.instance_path) / "backups"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def copy_sqlite(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target`` (atomic: via a .part file)."""
    part = target.with_name(target.name + ".part")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(part, target)


def prune(folder: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups (names sort by time)."""
    files = sorted(folder.glob(f"{PREFIX}*.db"))
    old = files[: max(len(files) - max(keep, 1), 0)]
    for path in old:
        path.unlink()
    return [p.name for p in old]
