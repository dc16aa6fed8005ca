"""Fixtures for the operations tests: a clean environment, the real CLI in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp import cli


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No STUDYAPP_* variables but an instance folder in tmp_path, which is also
    the working folder (so no ./.env)."""
    for key in list(os.environ):
        if key.startswith("STUDYAPP_") or key == "FLASK_DEBUG":
            monkeypatch.delenv(key)
    monkeypatch.setenv("STUDYAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def studyapp_cli(clean_env, capsys) -> Iterator:  # type: ignore[no-untyped-def]
    """``studyapp_cli(*args) -> (exit code, stdout, stderr)``, as the console script."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            cli.main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    while cli._apps:
        cli._apps.pop().extensions["studyapp.engine"].dispose()


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    """A member of branch BR1 (password tests.conftest.PASSWORD); the username."""
    from tests.factories import make_unit, make_user

    with db() as s:
        unit = make_unit(s, "BR1", name="第一支部")
        return make_user(s, unit, "13800000001", name="王建国").username
