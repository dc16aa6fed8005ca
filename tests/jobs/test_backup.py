"""The nightly SQLite backup: a real copy, the last N kept, PostgreSQL skipped."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import make_url

from studyapp.jobs.backup import backup_database
from tests.conftest import IS_POSTGRES

FIRE = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 03:00 on the 23rd in Shanghai


@pytest.mark.skipif(IS_POSTGRES, reason="SQLite backups")
def test_backups_are_complete_copies_and_only_the_last_n_are_kept(jobs_app, tmp_path):
    jobs_app.config["BACKUP_KEEP"] = 2
    with jobs_app.app_context():
        from studyapp.db import get_session

        session = get_session()
        names = [
            backup_database(session, FIRE + timedelta(days=n))["file"] for n in range(3)
        ]
        again = backup_database(session, FIRE + timedelta(days=2))
    folder = tmp_path / "backups"
    assert sorted(p.name for p in folder.iterdir()) == names[1:]
    assert again == {
        "file": names[2],
        "written": False,
        "bytes": again["bytes"],
        "removed": [],
    }
    with sqlite3.connect(folder / names[2]) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"job_run", "user", "lesson"} <= tables


def test_backup_is_skipped_on_postgresql_with_a_clear_summary(jobs_app, tmp_path):
    url = make_url("postgresql+psycopg://u@db/studyapp")
    session = SimpleNamespace(get_bind=lambda: SimpleNamespace(url=url))
    with jobs_app.app_context():
        summary = backup_database(session, FIRE)  # type: ignore[arg-type]
    assert summary.startswith("skipped") and "pg_dump" in summary
    assert not (tmp_path / "backups").exists()
