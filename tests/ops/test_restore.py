"""Backup while members keep writing, then ``studyapp restore`` into an empty database.

A writer thread appends points-ledger rows (numbered, one per commit) the whole
time. The restored database must hold every member, attempt and ledger row that
existed before the backup started, and of the rows written during the backup a
gap-free prefix: a consistent snapshot, never half a transaction.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import make_url

from studyapp.auth.models import User
from studyapp.demo import demo_passwords, load_demo
from studyapp.jobs.backup import copy_sqlite, dump_postgres
from studyapp.progress.models import PointsEntry
from studyapp.quiz.models import Attempt
from studyapp.timeutil import utcnow
from tests.conftest import (
    IS_POSTGRES,
    empty_pg_database,
    make_app,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"
RULE = "restore-test"


class Writer(threading.Thread):
    """Commits ledger rows ``w1``, ``w2``… one per transaction until stopped."""

    def __init__(self, url: str, user_id: int) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(url)
        self.user_id = user_id
        self.committed = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            n = self.committed + 1
            row = dict(
                user_id=self.user_id,
                rule=RULE,
                source=f"w{n}",
                points=1,
                study_day=date(2026, 11, 22),
                at=utcnow(),
            )
            with self.engine.begin() as conn:
                conn.execute(insert(PointsEntry), row)
            self.committed = n

    def wait_for(self, n: int) -> None:
        deadline = time.monotonic() + 30
        while self.committed < n and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.committed >= n

    def finish(self) -> None:
        self.stop.set()
        self.join(timeout=30)
        self.engine.dispose()


def _snapshot(url: str) -> dict[str, set]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ledger = select(
            PointsEntry.user_id,
            PointsEntry.rule,
            PointsEntry.source,
            PointsEntry.points,
        )
        rows = {
            "members": set(conn.execute(select(User.username))),
            "attempts": set(conn.execute(select(Attempt.id, Attempt.user_id))),
            "ledger": set(conn.execute(ledger)),
        }
    engine.dispose()
    return rows


def _source(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = make_app(url, tmp_path, CONTENT_DIR=str(CONTENT))
    with app.app_context():
        load_demo(app, history_days=1, passwords=demo_passwords("testing"))
    return app


def _backup_while_writing(url: str, backup) -> tuple[dict[str, set], int, int]:  # type: ignore[no-untyped-def]
    """(rows before the backup, writer rows before it started, after it ended)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        member = conn.scalar(select(User.id).where(User.username == "13900010001"))
    engine.dispose()
    writer = Writer(url, member)
    writer.start()
    try:
        writer.wait_for(3)
        before = _snapshot(url)
        started = writer.committed
        backup()
        ended = writer.committed
        writer.wait_for(ended + 3)
    finally:
        writer.finish()
    return before, started, ended


def _check_restored(restored: dict[str, set], before: dict[str, set], started: int):
    assert restored["members"] == before["members"] and restored["members"]
    assert restored["attempts"] == before["attempts"] and restored["attempts"]
    others = {r for r in before["ledger"] if r[1] != RULE}
    assert others and others <= restored["ledger"]
    assert {r for r in restored["ledger"] if r[1] != RULE} == others
    written = sorted(int(r[2][1:]) for r in restored["ledger"] if r[1] == RULE)
    assert written == list(range(1, len(written) + 1)), "not a consistent snapshot"
    assert len(written) >= started


def _restore(url: str, tmp_path: Path, backup_file: Path):  # type: ignore[no-untyped-def]
    app = make_app(url, tmp_path / "target")
    return app, app.test_cli_runner().invoke(args=["restore", str(backup_file)])


@pytest.mark.skipif(IS_POSTGRES, reason="the SQLite backup (PostgreSQL: below)")
def test_sqlite_backup_during_writes_restores_everything(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    _source(url, tmp_path)
    target = tmp_path / "studyapp-20261122-0300.db"
    before, started, ended = _backup_while_writing(
        url, lambda: copy_sqlite(tmp_path / "live.db", target)
    )
    # The copy is one step under a read snapshot (milliseconds), so rows land
    # during it only most of the time; the snapshot checks below always hold.
    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    _app, result = _restore(restored_url, tmp_path, target)
    assert result.exit_code == 0, result.output
    assert f"党员 {len(before['members'])}" in result.output
    _check_restored(_snapshot(restored_url), before, started)


@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL")
def test_pg_dump_during_writes_restores_everything(tmp_path: Path) -> None:
    url = empty_pg_database("backup_source")
    _source(url, tmp_path)
    target = tmp_path / "studyapp-20261122-0310.dump"
    before, started, ended = _backup_while_writing(
        url, lambda: dump_postgres(make_url(url), target)
    )
    # pg_dump takes far longer than one commit (~2 ms): rows land during it.
    assert ended > started, "no row was written while pg_dump ran"
    restored_url = empty_pg_database("backup_restored")
    _app, result = _restore(restored_url, tmp_path, target)
    assert result.exit_code == 0, result.output
    _check_restored(_snapshot(restored_url), before, started)


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path: Path) -> None:
    backup = tmp_path / "b.dump"
    backup.write_bytes(b"PGDMP" + b"\0" * 20)
    dump = tmp_path / "b.db"
    dump.write_bytes(b"SQLite format 3\0" + b"\0" * 20)
    right = backup if IS_POSTGRES else dump
    result = app.test_cli_runner().invoke(args=["restore", str(right)])
    assert result.exit_code == 1 and "not empty" in result.output


def test_restore_refuses_a_backup_of_the_other_engine(empty_database_url, tmp_path):
    wrong = tmp_path / ("x.db" if IS_POSTGRES else "x.dump")
    wrong.write_bytes(b"SQLite format 3\0" if IS_POSTGRES else b"PGDMP\0\0\0")
    app = make_app(empty_database_url, tmp_path)
    result = app.test_cli_runner().invoke(args=["restore", str(wrong)])
    assert result.exit_code == 1 and "backup; the database is" in result.output


def test_restore_refuses_a_file_that_is_no_backup(empty_database_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    app = make_app(empty_database_url, tmp_path)
    result = app.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code == 1 and "neither a SQLite database" in result.output
