"""Build step that makes the wheel deployable on its own (metadata: pyproject.toml).

The checkout keeps ``migrations/`` and ``content/`` at the top level (STYLE §2.1),
but an installed StudyApp must migrate, translate and load its sample content
without the checkout. So a (non-editable) build copies them into the package:

- ``migrations/``  -> ``studyapp/migrations/``
- ``content/``     -> ``studyapp/sample_content/``
- every ``translations/*/LC_MESSAGES/messages.po`` is compiled to ``.mo`` (the
  ``.mo`` files are not in git; without them English silently shows Chinese).

Editable installs skip this: the code then finds the checkout's folders
(``studyapp.paths``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildPy(build_py):
    """``build_py`` plus migrations, sample content and compiled catalogs."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "studyapp"
        for source, target in (
            ("migrations", "migrations"),
            ("content", "sample_content"),
        ):
            shutil.copytree(
                ROOT / source, package / target, ignore=IGNORE, dirs_exist_ok=True
            )
        compile_catalogs(package / "translations")


def compile_catalogs(folder: Path) -> None:
    """Write ``messages.mo`` beside every ``messages.po`` (a broken catalog fails)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalogs = sorted(folder.glob("*/LC_MESSAGES/messages.po"))
    if not catalogs:
        raise SystemExit(f"no translation catalogs under {folder}")
    for po in catalogs:
        with po.open("rb") as fh:
            catalog = read_po(fh)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildPy})
