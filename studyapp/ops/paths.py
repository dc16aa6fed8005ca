"""Where StudyApp's own files are: in the installed package, or in the checkout.

A wheel carries ``studyapp/migrations`` and ``studyapp/sample_content`` (setup.py
copies them in); an editable install or a plain checkout has them at the top
level, next to the package. Deployment folders (instance, content) are chosen
in :mod:`studyapp.config`, never inside site-packages.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CHECKOUT = PACKAGE.parent


def is_checkout() -> bool:
    """True when running from a source checkout (editable install or PYTHONPATH)."""
    return not (PACKAGE / "migrations").is_dir() and (CHECKOUT / "migrations").is_dir()


def migrations_dir() -> Path:
    """The Alembic script folder (packaged copy first)."""
    packaged = PACKAGE / "migrations"
    return packaged if packaged.is_dir() else CHECKOUT / "migrations"


def sample_content_dir() -> Path:
    """The sample lessons and banks shipped with StudyApp (read only)."""
    packaged = PACKAGE / "sample_content"
    return packaged if packaged.is_dir() else CHECKOUT / "content"


def translations_dir() -> Path:
    return PACKAGE / "translations"


def missing_catalogs(languages: list[str]) -> list[str]:
    """Languages (other than the first, the source language) without a .mo file."""
    folder = translations_dir()
    return [
        lang
        for lang in languages[1:]
        if not (folder / lang / "LC_MESSAGES" / "messages.mo").is_file()
    ]
