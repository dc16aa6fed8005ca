"""Files that hold passwords are readable by their owner only (mode 600)."""

from __future__ import annotations

import stat

from tests.conftest import make_app

UNITS = "code,name,kind,parent\nXM,厦门市委,committee,\nXM-01,第一党支部,branch,XM\n"
MEMBERS = "username,name,branch\n13800000009,张三,XM-01\n"


def test_passwords_out_is_mode_600_even_if_the_file_existed(
    empty_database_url, tmp_path, monkeypatch
) -> None:
    from studyapp.migrate import upgrade

    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "members.csv").write_text(MEMBERS, encoding="utf-8")
    out = tmp_path / "pw.csv"
    out.write_text("old")
    out.chmod(0o644)
    args = [
        "org",
        "import",
        str(tmp_path / "units.csv"),
        str(tmp_path / "members.csv"),
        "--passwords-out",
        str(out),
    ]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "13800000009" in out.read_text(encoding="utf-8-sig")


def test_backups_and_env_files_are_ignored_by_git() -> None:
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    root = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    for path in ("backups/studyapp-20261122-0300.db", ".env", "instance/studyapp.db"):
        done = subprocess.run(
            ["git", "check-ignore", "-q", path], cwd=root, check=False
        )
        assert done.returncode == 0, f"{path} is not ignored"


def test_the_readme_user_create_example_names_a_demo_unit() -> None:
    import re
    from pathlib import Path

    from studyapp.demo import UNITS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    units = re.findall(r"studyapp user create .*--unit (\S+)", readme)
    assert units and all(u in {code for code, *_ in UNITS} for u in units)
