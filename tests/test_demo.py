"""``studyapp demo``: a working demo organisation, safe to run twice."""

from __future__ import annotations

import csv
import stat

import pytest
from sqlalchemy import func, inspect, select

from studyapp.auth.models import User
from studyapp.db import get_engine, get_session
from studyapp.demo import PASSWORD, demo_people
from studyapp.org.models import OrgUnit
from tests.conftest import login, make_app


@pytest.fixture
def demo_app(empty_database_url, tmp_path):  # type: ignore[no-untyped-def]
    from pathlib import Path

    content = Path(__file__).resolve().parents[1] / "content"
    return make_app(
        empty_database_url, tmp_path, CONTENT_DIR=str(content), ENV="development"
    )


def test_demo_creates_org_and_people_and_prints_logins(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["demo", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert PASSWORD in result.output and "shuji01" in result.output
    with demo_app.app_context():
        s = get_session()
        assert s.scalar(select(func.count(User.id))) == len(demo_people())
        branches = s.scalar(select(func.count()).where(OrgUnit.kind == "branch"))
        assert 4 <= branches <= 6
        assert (
            s.scalar(select(func.count()).where(User.exempt_reason.is_not(None))) >= 1
        )
    assert 35 <= len(demo_people()) <= 50
    assert "已存在" in runner.invoke(args=["demo", "--days", "3"]).output


def test_demo_member_can_log_in(demo_app):
    demo_app.test_cli_runner().invoke(args=["demo", "--days", "3"])
    client = demo_app.test_client()
    member = next(p for p in demo_people() if p[3].value == "member")
    assert login(client, member[0], PASSWORD).status_code == 302
    assert member[1] in client.get("/").get_data(as_text=True)


def test_demo_history_is_consistent_with_the_ledgers(demo_app):
    from studyapp.progress.models import DailyActivity
    from studyapp.quiz.models import Attempt

    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["demo", "--days", "3"]).exit_code == 0
    with demo_app.app_context():
        s = get_session()
        assert s.scalar(select(func.count(DailyActivity.id))) > 10
        assert s.scalar(select(func.count(Attempt.id))) > 5
    rebuilt = runner.invoke(args=["progress", "rebuild"])
    assert "数字有出入并已更正：0 名" in rebuilt.output


@pytest.fixture
def production_app(empty_database_url, tmp_path):  # type: ignore[no-untyped-def]
    return make_app(
        empty_database_url,
        tmp_path,
        ENV="production",
        SECRET_KEY="p" * 43,
        CONTENT_DIR=str(tmp_path / "no-content"),
    )


def test_demo_refuses_in_production_and_creates_nothing(production_app):
    result = production_app.test_cli_runner().invoke(args=["demo", "--days", "0"])
    assert result.exit_code == 1
    assert "--yes-this-is-a-demo" in result.output and "production" in result.output
    with production_app.app_context():
        assert inspect(get_engine()).get_table_names() == []


def test_demo_outside_development_never_uses_the_published_password(
    production_app, tmp_path
):
    out = tmp_path / "pw.csv"
    args = ["demo", "--days", "0", "--yes-this-is-a-demo", "--passwords-out", str(out)]
    result = production_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and str(out) in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig") as fh:
        rows = {r["账号"]: r["密码"] for r in csv.DictReader(fh)}
    assert set(rows) == {p[0] for p in demo_people()}
    assert PASSWORD not in rows.values()
    client = production_app.test_client()
    assert login(client, "admin", PASSWORD).status_code == 422
    assert login(client, "admin", rows["admin"]).status_code == 302


def test_demo_in_testing_writes_passwords_to_the_instance_folder(
    empty_database_url, tmp_path
):
    from pathlib import Path

    app = make_app(empty_database_url, tmp_path, CONTENT_DIR=str(tmp_path / "none"))
    result = app.test_cli_runner().invoke(args=["demo", "--days", "0"])
    assert result.exit_code == 0, result.output
    out = Path(app.instance_path) / "demo-passwords.csv"
    assert str(out) in result.output and PASSWORD not in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
