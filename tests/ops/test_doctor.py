"""``studyapp doctor``: one line per check, exit 1 when any check fails."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from studyapp.db import get_session
from studyapp.jobs.models import SUCCEEDED, JobRun
from studyapp.migrate import upgrade
from studyapp.ops import doctor
from studyapp.timeutil import utcnow
from tests.conftest import make_app


@pytest.fixture
def migrated(empty_database_url, tmp_path):  # type: ignore[no-untyped-def]
    """A migrated app whose scheduler ran a minute ago and that has a fresh backup."""
    app = make_app(empty_database_url, tmp_path, BACKUP_DIR=str(tmp_path / "backups"))
    with app.app_context():
        upgrade()
        _job_ran(app, minutes_ago=1)
    (tmp_path / "backups").mkdir(exist_ok=True)
    (tmp_path / "backups" / "studyapp-20261122-0300.db").write_bytes(b"x")
    (tmp_path / "backups" / "studyapp-20261122-0300.dump").write_bytes(b"x")
    return app


def _job_ran(app, minutes_ago: int) -> None:  # type: ignore[no-untyped-def]
    at = utcnow() - timedelta(minutes=minutes_ago)
    with app.app_context():
        s = get_session()
        s.add(
            JobRun(
                job_id="quiz-open",
                occurrence_key=f"k{minutes_ago}",
                scheduled_at=at,
                status=SUCCEEDED,
                started_at=at,
                finished_at=at,
            )
        )
        s.commit()


def _checks(app, **kw):  # type: ignore[no-untyped-def]
    with app.app_context():
        return {r.name: r for r in doctor.run_checks(app, **kw)}


def test_a_healthy_deployment_passes_with_one_line_per_check(migrated) -> None:
    result = migrated.test_cli_runner().invoke(args=["doctor"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0, result.output
    names = ["database", "secret key", "cookies", "redis", "scheduler", "backups"]
    for name in names + ["disk", "translations"]:
        assert any(f" {name}: " in line for line in lines), (name, lines)
    assert all(line.split()[0] in ("ok", "warn") for line in lines)


def test_an_unmigrated_database_fails_and_says_what_to_run(
    empty_database_url, tmp_path
):
    app = make_app(empty_database_url, tmp_path)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if " database: " in x)
    assert line.startswith("fail") and "studyapp db upgrade" in line


def test_a_quiet_scheduler_fails(migrated) -> None:
    with migrated.app_context():
        s = get_session()
        for run in s.query(JobRun):
            run.started_at = utcnow() - timedelta(hours=2)
        s.commit()
    check = _checks(migrated)["scheduler"]
    assert check.status == doctor.FAIL and "studyapp jobs run" in check.message


def test_https_cookies_without_a_trusted_proxy_warn(migrated) -> None:
    migrated.config.update(SESSION_COOKIE_SECURE=True, PROXY_COUNT=0)
    check = _checks(migrated)["cookies"]
    assert check.status == doctor.WARN and "STUDYAPP_PROXY_COUNT=1" in check.message
    migrated.config["PROXY_COUNT"] = 1
    assert _checks(migrated)["cookies"].status == doctor.OK


def test_several_workers_without_redis_are_fine(migrated) -> None:
    # The login counters are then in the database, shared by every worker.
    check = _checks(migrated, workers=4)["redis"]
    assert check.status == doctor.OK and "database" in check.message


def test_an_unreachable_redis_fails(migrated) -> None:
    migrated.config["REDIS_URL"] = "redis://127.0.0.1:9/5"
    assert _checks(migrated)["redis"].status == doctor.FAIL


def test_a_reachable_redis_is_ok(migrated) -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    migrated.config["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    assert _checks(migrated)["redis"].status == doctor.OK


def test_no_backup_yet_warns(migrated, tmp_path) -> None:
    for f in (tmp_path / "backups").iterdir():
        f.unlink()
    migrated.config["PG_DUMP"] = "pg_dump"
    check = _checks(migrated)["backups"]
    assert check.status == doctor.WARN and "no backup yet" in check.message


def test_missing_catalogs_fail(migrated, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("studyapp.ops.paths.translations_dir", lambda: tmp_path)
    check = _checks(migrated)["translations"]
    assert check.status == doctor.FAIL and "en" in check.message


def test_a_node_that_is_down_fails(migrated) -> None:
    check = _checks(migrated, urls=["http://127.0.0.1:9"])["node http://127.0.0.1:9"]
    assert check.status == doctor.FAIL
