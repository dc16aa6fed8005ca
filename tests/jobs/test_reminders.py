"""The evening reminder: who gets one, what it says, and the branch robots."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.jobs.registry import JOBS, find_job
from studyapp.jobs.runner import execute
from studyapp.notify.actions import send_reminders
from studyapp.notify.group_messages import SENT, GroupMessage
from studyapp.notify.models import Notification
from studyapp.notify.reminders import group_text
from studyapp.notify.service import send_nudge
from studyapp.org.models import OrgUnit
from studyapp.progress.models import ExcusedDay

#: Friday 2026-11-20, 20:00 in Shanghai (the world's "today").
FIRE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
REMINDERS = find_job(JOBS, "reminders")


def reminded(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """username → body of today's reminder."""
    with app.app_context():
        rows = get_session().execute(
            select(User.username, Notification.body)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "reminder")
        )
        return dict(rows.all())


def test_members_who_met_the_goal_or_are_exempt_get_no_reminder(jobs_app, world):
    execute(jobs_app, REMINDERS, FIRE)
    got = reminded(jobs_app)
    # am1 and bm1 met the goal; a_exempt is exempt; admins of the committee
    # and the general branch are not in a branch.
    assert set(got) == {"sec_a", "am2", "am3", "sec_b", "cm1"}
    assert "10 分钟" in got["am2"] and "还没来得及" in got["am3"]
    names = ["张三", "李四", "王五", "甲书记", "乙书记"]
    assert not any(n in body for body in got.values() for n in names)


def test_excused_and_already_nudged_members_are_left_alone(jobs_app, world, db):
    with db() as s:
        am3 = s.scalar(select(User).where(User.username == "am3"))
        sec_a = s.scalar(select(User).where(User.username == "sec_a"))
        am2 = s.scalar(select(User).where(User.username == "am2"))
        s.add(ExcusedDay(user_id=am3.id, study_day=date(2026, 11, 20),
                         reason="出差", at=FIRE))  # fmt: skip
        send_nudge(s, sec_a, am2, FIRE)
    execute(jobs_app, REMINDERS, FIRE)
    assert set(reminded(jobs_app)) == {"sec_a", "sec_b", "cm1"}


def test_one_reminder_per_member_per_day(jobs_app, world, db):
    with db() as s:
        first = send_reminders(s, FIRE)
        second = send_reminders(s, FIRE)
    assert first["reminded"] == 5 and second["reminded"] == 0
    assert len(reminded(jobs_app)) == 5


def _robot(db, code: str, url: str, *, names: bool = False) -> None:  # type: ignore[no-untyped-def]
    with db() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == code))
        unit.webhook_url, unit.webhook_kind = url, "dingtalk"
        unit.webhook_show_names = names


def test_a_branch_robot_gets_one_message_with_counts_not_names(
    jobs_app, world, db, robot_factory
):
    robot = robot_factory("ok")
    _robot(db, "A", robot.url)
    outcome = execute(jobs_app, REMINDERS, FIRE)
    execute(jobs_app, REMINDERS, FIRE, force=True)
    assert outcome.result["webhooks"] == {"A": "sent"}
    [body] = robot.bodies
    text = body["text"]["content"]
    assert body["msgtype"] == "text"
    assert "【甲支部】今天已有 1/4 名同志完成学习" in text
    assert not any(n in text for n in ["张三", "李四", "王五", "甲书记"])


def test_names_are_those_who_met_the_goal_and_only_when_turned_on(
    jobs_app, world, db, robot_factory
):
    robot = robot_factory("ok")
    _robot(db, "A", robot.url, names=True)
    execute(jobs_app, REMINDERS, FIRE)
    text = robot.bodies[0]["text"]["content"]
    assert "张三" in text  # met the goal
    assert "李四" not in text and "王五" not in text  # did not


@pytest.mark.parametrize("mode", ["500", "hang"])
def test_a_failing_robot_is_retried_a_few_times_and_fails_only_its_branch(
    jobs_app, world, db, robot_factory, mode
):
    bad, good = robot_factory(mode), robot_factory("ok")
    bad.hang_seconds = 3  # longer than WEBHOOK_TIMEOUT_SECONDS (1 s here)
    _robot(db, "A", bad.url)
    _robot(db, "B", good.url)
    outcome = execute(jobs_app, REMINDERS, FIRE)
    assert outcome.status == "succeeded"
    hooks = outcome.result["webhooks"]
    assert hooks["A"].startswith("failed after 3 tries")
    assert hooks["B"] == "sent" and len(good.bodies) == 1
    assert len(bad.bodies) == 3  # bounded: WEBHOOK_ATTEMPTS
    assert outcome.result["reminded"] == 5  # the in-app part is unaffected
    with db() as s:
        states = dict(
            s.execute(
                select(OrgUnit.code, GroupMessage.status).join(
                    OrgUnit, OrgUnit.id == GroupMessage.unit_id
                )
            ).all()
        )
    assert states == {"A": "failed", "B": SENT}


def test_the_group_text_praises_a_full_branch():
    assert (
        group_text("甲支部", 4, 4, [])
        == "【甲支部】今天 4 名同志全部完成学习，大家辛苦了！"
    )
    assert "还没来得及" in group_text("甲支部", 1, 4, [])
