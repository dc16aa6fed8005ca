"""Where content lives: the folder that is the source of truth, and the staging
folder of web uploads (an edge builds them from app config)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ContentSettings:
    #: The Markdown content folder (``lessons/``, ``quizzes/``): CONTENT_DIR.
    content_dir: Path = Path("content")
    #: Web uploads wait here, one folder per upload, until published.
    staging_dir: Path = Path("instance") / "uploads"


#: Where the app factory (``studyapp.settings``) puts them on ``Session.info``.
INFO_KEY = "studyapp.content_settings"


def settings_from(config: Any, instance_path: str) -> ContentSettings:
    """The content and staging folders from a Flask config and instance folder."""
    return ContentSettings(
        content_dir=Path(config["CONTENT_DIR"]),
        staging_dir=Path(instance_path) / "uploads",
    )


def defaults(session: Session) -> ContentSettings:
    """The deployment's content folders, via the Session."""
    found = session.info.get(INFO_KEY)
    return found if found is not None else ContentSettings()
