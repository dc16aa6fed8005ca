"""The console script: version, init, and errors as one or two lines (no traceback)."""

from __future__ import annotations

import stat

from studyapp.cli import studyapp_version


def test_version_prints_studyapps_version(studyapp_cli) -> None:
    code, out, _ = studyapp_cli("--version")
    assert code == 0 and out.strip() == f"StudyApp {studyapp_version()}"
    assert studyapp_version() != "unknown"


def test_a_command_before_db_upgrade_says_to_run_it(studyapp_cli, monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_ENV", "development")
    code, _, err = studyapp_cli("jobs", "list")
    assert code == 1
    assert "run `studyapp db upgrade`" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 2


def test_production_without_a_secret_key_is_two_lines(studyapp_cli) -> None:
    code, _, err = studyapp_cli("db", "upgrade")
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "STUDYAPP_SECRET_KEY" in lines[0]


def test_help_without_a_secret_key_says_why_in_short(studyapp_cli) -> None:
    code, out, err = studyapp_cli("--help")
    assert code == 0 and "init" in out
    assert "Traceback" not in err and "STUDYAPP_SECRET_KEY" in err


def test_init_writes_a_private_env_file_that_starts_the_app(studyapp_cli, clean_env):
    code, out, _ = studyapp_cli("init")
    env = clean_env / ".env"
    assert code == 0 and str(env) in out
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    text = env.read_text()
    assert "STUDYAPP_SECRET_KEY=" in text and "EDIT" in text
    code, out, err = studyapp_cli("db", "upgrade")  # production, secret from .env
    assert code == 0, err


def test_init_never_overwrites_an_env_file(studyapp_cli, clean_env) -> None:
    (clean_env / ".env").write_text("STUDYAPP_ENV=development\n")
    code, _, err = studyapp_cli("init")
    assert code == 1 and "already exists" in err
    assert (clean_env / ".env").read_text() == "STUDYAPP_ENV=development\n"


def test_two_inits_make_two_secrets(studyapp_cli, clean_env) -> None:
    studyapp_cli("init", "--env-file", "a.env")
    studyapp_cli("init", "--env-file", "b.env")
    secret = [
        line
        for name in ("a.env", "b.env")
        for line in (clean_env / name).read_text().splitlines()
        if line.startswith("STUDYAPP_SECRET_KEY=")
    ]
    assert len(secret) == 2 and secret[0] != secret[1]


def test_init_copies_the_sample_content_when_asked(studyapp_cli, clean_env) -> None:
    code, _, _ = studyapp_cli("init", "--development", "--sample-content")
    assert code == 0
    assert (clean_env / "content" / "quizzes" / "quizzes" / "daily.md").is_file()


def test_an_instance_folder_that_cannot_be_made_is_named(
    studyapp_cli, clean_env, monkeypatch
):
    (clean_env / "blocked").write_text("")
    monkeypatch.setenv("STUDYAPP_ENV", "development")
    monkeypatch.setenv("STUDYAPP_INSTANCE_PATH", str(clean_env / "blocked" / "inst"))
    code, _, err = studyapp_cli("jobs", "list")
    assert code == 1 and "Traceback" not in err
    assert f"{clean_env}/blocked/inst" in err.splitlines()[0]


def test_an_unreachable_database_is_named(studyapp_cli, monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_ENV", "development")
    url = "postgresql+psycopg://studyapp:s3cret@127.0.0.1:9/nowhere?connect_timeout=2"
    monkeypatch.setenv("STUDYAPP_DATABASE_URL", url)
    code, _, err = studyapp_cli("jobs", "list")
    assert code == 1 and "Traceback" not in err
    assert "Cannot connect to the database" in err and "127.0.0.1:9" in err
    assert "s3cret" not in err


def test_the_traceback_switch_shows_the_real_error(studyapp_cli, monkeypatch) -> None:
    import pytest
    from sqlalchemy.exc import OperationalError

    monkeypatch.setenv("STUDYAPP_ENV", "development")
    monkeypatch.setenv("STUDYAPP_TRACEBACK", "1")
    with pytest.raises(OperationalError, match="no such table"):
        studyapp_cli("jobs", "list")
