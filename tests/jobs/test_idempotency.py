"""Every job of the real table, run twice for the same occurrence, has effect once.

The second run is forced past the JobRun claim (``run-once --force``), so this
proves the domain functions themselves are idempotent (STYLE rule 12).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import User
from studyapp.content.models import Lesson, QuizDefinition
from studyapp.db import Base, get_engine
from studyapp.jobs.registry import JOBS
from studyapp.jobs.runner import execute
from studyapp.jobs.triggers import latest_fire
from studyapp.notify.models import Notification
from studyapp.org.models import OrgUnit
from studyapp.quiz.models import GRADED, OPEN, Attempt, AttemptAnswer, QuizOccurrence
from tests.conftest import IS_POSTGRES

#: Monday 2026-11-23, 20:31 in Shanghai: every job has a recent firing.
MOMENT = datetime(2026, 11, 23, 12, 31, tzinfo=UTC)
JOINED = datetime(2026, 1, 1, tzinfo=UTC)


def fire_of(app, job):  # type: ignore[no-untyped-def]
    return latest_fire(job.schedule.trigger(app.config), MOMENT)


@pytest.fixture
def busy_world(world, db, jobs_app, robot_factory):  # type: ignore[no-untyped-def]
    """The reports world plus work for every job: a scheduled lesson, a special
    quiz open now, an overdue open attempt, a branch robot."""
    robot = robot_factory("ok")
    with db() as s:
        s.add(_lesson())
        s.add(_special())
        occurrence = s.scalar(select(QuizOccurrence))
        member = s.scalar(select(User).where(User.username == "am2"))
        attempt = Attempt(
            occurrence_id=occurrence.id, user_id=member.id, number=2, seed="s",
            state=OPEN, started_at=MOMENT - timedelta(hours=3),
            deadline=MOMENT - timedelta(hours=2), question_count=1,
        )  # fmt: skip
        s.add(attempt)
        s.flush()
        first = s.scalar(select(AttemptAnswer).order_by(AttemptAnswer.id))
        s.add(
            AttemptAnswer(attempt_id=attempt.id, position=0,
                          question_id=first.question_id, revision_id=first.revision_id)
        )  # fmt: skip
        branch = s.scalar(select(OrgUnit).where(OrgUnit.code == "A"))
        branch.webhook_url, branch.webhook_kind = robot.url, "wecom"
    return robot


def _lesson() -> Lesson:
    return Lesson(
        slug="new-lesson", title="新时代的党支部", minutes=10, body_html="<p>x</p>",
        search_text="x", content_hash="h", audience="all", source_path="l.md",
        publish_at=MOMENT - timedelta(hours=2), created_at=JOINED, updated_at=JOINED,
    )  # fmt: skip


def _special() -> QuizDefinition:
    return QuizDefinition(
        slug="contest", title="党史竞赛", kind="special",
        settings={"opens_at": (MOMENT - timedelta(days=1)).isoformat(),
                  "closes_at": (MOMENT + timedelta(days=1)).isoformat()},
        content_hash="h", source_path="q.md", created_at=JOINED, updated_at=JOINED,
    )  # fmt: skip


def snapshot(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Row counts of every table, graded attempts, and the backup files."""
    with app.app_context(), get_engine().connect() as conn:
        rows: dict[str, object] = {
            t.name: conn.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }
        rows["graded"] = conn.scalar(
            select(func.count()).where(Attempt.state == GRADED)
        )
    backups = Path(app.config["BACKUP_DIR"])
    rows["backups"] = (
        sorted(p.name for p in backups.glob("*")) if backups.exists() else []
    )
    return rows


def test_every_job_run_twice_for_one_occurrence_has_effect_once(jobs_app, busy_world):
    before = snapshot(jobs_app)
    for job in JOBS:
        assert execute(jobs_app, job, fire_of(jobs_app, job)).status == "succeeded"
    once = snapshot(jobs_app)
    for job in JOBS:
        again = execute(jobs_app, job, fire_of(jobs_app, job), force=True)
        assert again.status == "succeeded", again.error
    assert snapshot(jobs_app) == once
    # …and the first round did something, so the comparison is not vacuous.
    changed = {k for k in once if once[k] != before[k]}
    assert {"audit_event", "notification", "quiz_occurrence", "graded"} <= changed
    assert {"branch_day", "group_message", "job_run"} <= changed
    assert once["backups"] == ([] if IS_POSTGRES else ["studyapp-20261123-0300.db"])
    assert len(busy_world.bodies) == 1  # one robot message, not two


def test_publishing_is_recorded_once_per_lesson_with_a_notice(jobs_app, busy_world):
    job = next(j for j in JOBS if j.id == "publish-content")
    first = execute(jobs_app, job, fire_of(jobs_app, job))
    assert first.result["announced"] == ["new-lesson"]
    again = execute(jobs_app, job, fire_of(jobs_app, job), force=True)
    assert again.result == {"announced": [], "notified": 0}
    with jobs_app.app_context(), get_engine().connect() as conn:
        audits = conn.scalar(
            select(func.count()).where(AuditEvent.action == "content.visible")
        )
        notices = conn.scalar(
            select(func.count()).where(Notification.kind == "new_lesson")
        )
        users = conn.scalar(select(func.count()).where(User.is_active.is_(True)))
    assert (audits, notices) == (1, users)
