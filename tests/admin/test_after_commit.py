"""Published upload files reach the content folder only when the publish commits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.content import actions
from studyapp.content.payloads import UploadedFile, UploadIn
from studyapp.timeutil import utcnow
from tests.admin.test_content_admin import people  # noqa: F401  (fixture)
from tests.content_helpers import bank

MORE = bank().replace("id: jichu", "id: more").replace("jc-00", "more-00")


def staged(session):  # type: ignore[no-untyped-def]
    admin = Actor.of(session.scalar(select(User).where(User.username == "admin")))
    body = UploadIn(files=[UploadedFile(name="more.md", data=MORE.encode())])
    return admin, actions.check_upload(session, admin, body, utcnow()).token


def test_a_rolled_back_publish_leaves_the_folder_alone(people, session, app):  # noqa: F811
    target = Path(app.config["CONTENT_DIR"]) / "quizzes" / "more.md"
    admin, token = staged(session)
    actions.publish_upload(session, admin, token, utcnow())
    session.rollback()
    assert not target.exists()
    session.commit()  # a later commit of other work does not apply it either
    assert not target.exists()
    actions.publish_upload(session, admin, token, utcnow())
    session.commit()
    assert target.read_text(encoding="utf-8") == MORE
