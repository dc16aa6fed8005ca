"""The ``studyapp`` console script: Flask's CLI with the StudyApp app loaded."""

from __future__ import annotations

from flask.cli import FlaskGroup


def main() -> None:
    """Entry point of ``studyapp``."""
    from studyapp import create_app

    FlaskGroup(create_app=create_app, help="StudyApp 命令行 (StudyApp command line)")()
