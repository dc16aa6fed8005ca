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


_INFO_KEY = "studyapp.content_settings"


def session_info(app: Any) -> dict[str, Any]:
    """What every Session of the app carries: its content and staging folders."""
    settings = ContentSettings(
        content_dir=Path(app.config["CONTENT_DIR"]),
        staging_dir=Path(app.instance_path) / "uploads",
    )
    return {_INFO_KEY: settings}


def defaults(session: Session) -> ContentSettings:
    """The deployment's content folders, via the Session."""
    found = session.info.get(_INFO_KEY)
    return found if found is not None else ContentSettings()
