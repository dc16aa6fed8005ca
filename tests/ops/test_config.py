"""Settings from the environment or one env file; the checks that refuse to start."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp import config
from studyapp.config import ConfigError
from tests.conftest import _APPS


def _app(**test_config):  # type: ignore[no-untyped-def]
    from studyapp import create_app

    app = create_app(test_config or None)
    _APPS.append(app)
    return app


def test_dot_env_in_the_working_folder_is_read(clean_env: Path) -> None:
    (clean_env / ".env").write_text(
        "STUDYAPP_ENV=development\nSTUDYAPP_DAILY_GOAL_MINUTES=45\n"
    )
    app = _app()
    assert app.config["ENV"] == "development"
    assert app.config["DAILY_GOAL_MINUTES"] == 45


def test_the_environment_wins_over_the_env_file(clean_env: Path, monkeypatch) -> None:
    (clean_env / ".env").write_text(
        "STUDYAPP_ENV=development\nSTUDYAPP_REMINDER_AT=21:00\n"
    )
    monkeypatch.setenv("STUDYAPP_REMINDER_AT", "19:30")
    assert _app().config["REMINDER_AT"] == "19:30"


def test_config_file_replaces_dot_env(clean_env: Path, monkeypatch) -> None:
    (clean_env / ".env").write_text("STUDYAPP_REMINDER_AT=21:00\n")
    named = clean_env / "studyapp.env"
    named.write_text("STUDYAPP_ENV=development\nSTUDYAPP_REMINDER_AT=07:15\n")
    monkeypatch.setenv("STUDYAPP_CONFIG_FILE", str(named))
    assert _app().config["REMINDER_AT"] == "07:15"


def test_a_missing_config_file_is_named(clean_env: Path, monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_CONFIG_FILE", str(clean_env / "nope.env"))
    with pytest.raises(ConfigError, match="nope.env"):
        _app()


def test_production_without_a_secret_key_says_how_to_make_one(clean_env) -> None:
    with pytest.raises(ConfigError) as info:
        _app()
    message = str(info.value)
    assert "STUDYAPP_SECRET_KEY" in message and "studyapp init" in message
    assert "secrets.token_urlsafe(32)" in message and len(message.splitlines()) == 2


def test_production_refuses_a_short_secret_key(clean_env, monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_SECRET_KEY", "hunter2")
    with pytest.raises(ConfigError, match="too short"):
        _app()


def test_installed_defaults_use_the_working_folder(clean_env, monkeypatch) -> None:
    monkeypatch.delenv("STUDYAPP_INSTANCE_PATH")
    monkeypatch.setattr(config.paths, "is_checkout", lambda: False)
    app = _app(ENV="development")
    assert app.instance_path == str(clean_env / "instance")
    assert app.config["CONTENT_DIR"] == str(clean_env / "content")
    assert "site-packages" not in app.config["CONTENT_DIR"]


def test_an_instance_folder_that_cannot_be_created_is_named(clean_env) -> None:
    (clean_env / "blocked").write_text("a file where a folder should go")
    target = clean_env / "blocked" / "instance"
    with pytest.raises(ConfigError) as info:
        _app(ENV="development", INSTANCE_PATH=str(target))
    assert str(target) in str(info.value)
    assert "STUDYAPP_INSTANCE_PATH" in str(info.value)


def test_an_unwritable_sqlite_folder_is_named(clean_env, monkeypatch) -> None:
    # Root may write anywhere, so the refusal of the folder is simulated here;
    # the message and the check are real.
    def refuse(**_kw):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(config.tempfile, "mkstemp", refuse)
    with pytest.raises(ConfigError) as info:
        _app(ENV="development", DATABASE_URL=f"sqlite:///{clean_env}/db/s.db")
    assert f"{clean_env}/db" in str(info.value) and "Permission denied" in str(
        info.value
    )
