"""What people do with notifications, and the jobs that send them.

- A member reads their own 消息: the inbox, one notice opened (and so read),
  all marked read, the bell's unread count. Someone else's notice is NotFound.
- A secretary nudges (提醒一下) a member in their scope, and sets the branch's
  group robot.
- The scheduler's jobs ``(session, now) -> summary``: the evening reminder and
  the weekly digest. They read settings through the Session, never Flask.

Actions flush; the edge (view, API route, job runner) commits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.deployment import deployment
from studyapp.notify import digest, group_messages, reminders, service
from studyapp.notify.bulk import notify_many
from studyapp.notify.models import Notification
from studyapp.notify.payloads import Notice, ReadAll, RobotIn, RobotSettings, Unread
from studyapp.org.models import OrgUnit
from studyapp.org.queries import branches_under
from studyapp.progress.daily import met_names, not_met
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.periods import previous_bounds
from studyapp.progress.settings import for_path
from studyapp.reports import access, items, queries, quizzes
from studyapp.reports.payloads import Nudged
from studyapp.reports.rows import today_row
from studyapp.timeutil import day_bounds, local, study_day, week_key


def _notice(item: Notification) -> Notice:
    return Notice(
        id=item.id,
        kind=item.kind,
        title=item.title,
        body=item.body if item.read_at else None,
        created_at=item.created_at,
        read_at=item.read_at,
    )


def inbox(session: Session, actor: Actor, now: datetime) -> list[Notice]:
    """My latest notifications, newest first (texts show once opened)."""
    return [_notice(n) for n in service.inbox(session, actor.id)]


def open_notice(
    session: Session, actor: Actor, notification_id: int, now: datetime
) -> Notice:
    """One of my notifications with its text, marked read the first time."""
    return _notice(service.open_notification(session, actor.id, notification_id, now))


def read_all(session: Session, actor: Actor, now: datetime) -> ReadAll:
    """Mark all my notifications read."""
    return ReadAll(marked=service.mark_all_read(session, actor.id, now))


def unread(session: Session, actor: Actor, now: datetime) -> Unread:
    """How many of my notifications are unread (the bell)."""
    return Unread(unread=service.unread_count(session, actor.id))


def nudge(session: Session, actor: Actor, username: str, now: datetime) -> Nudged:
    """提醒一下: a private, friendly reminder to a member in my scope, at most
    once a day (a second tap, or another secretary's, sends nothing).

    ValidationFailed for an exempt or deactivated member.
    """
    member = access.report_member(session, actor, username)
    sent = service.send_nudge(session, actor, member, now) is not None  # type: ignore[arg-type]
    day = queries.day_status(session, member.branch, study_day(now))
    row = next(r for r in day if r.user_id == member.id)
    return Nudged(sent=sent, branch=member.branch.code, row=today_row(row, True))


def _robot(unit: OrgUnit) -> RobotSettings:
    return RobotSettings(
        code=unit.code,
        name=unit.name,
        url=unit.webhook_url,
        kind=unit.webhook_kind,  # type: ignore[arg-type]
        show_names=unit.webhook_show_names,
    )


def robot(session: Session, actor: Actor, code: str, now: datetime) -> RobotSettings:
    """The group robot of a 党支部 in my scope."""
    return _robot(access.report_branch(session, actor, code))


def save_robot(
    session: Session, actor: Actor, code: str, body: RobotIn, now: datetime
) -> RobotSettings:
    """Set (or, with an empty ``url``, remove) a branch's group robot; audited
    without the URL's key. ValidationFailed (field ``webhook_url``) for an
    address that is not a robot of the allowed hosts."""
    branch = access.report_branch(session, actor, code)
    group_messages.configure_robot(
        session, branch, url=body.url, kind=body.kind, show_names=body.show_names,
        hosts=list(deployment(session).webhook_hosts), by=actor, now=now,  # type: ignore[arg-type]
    )  # fmt: skip
    return _robot(branch)


def send_reminders(session: Session, now: datetime) -> dict[str, Any]:
    """Job, every hour: remind today's members who have not met the goal
    (in-app), and queue each robot branch's group message, for the members and
    branches whose reminder hour (管理 › 设置, default ``REMINDER_AT``) is
    ``now``'s Asia/Shanghai hour. ``now`` is the occurrence time; "today" is
    its Asia/Shanghai day. Idempotent (see ``notify.reminders``)."""
    today, hour = study_day(now), local(now).hour
    settings_of = functools.cache(lambda path: for_path(session, path))
    behind = not_met(session, today)
    paths = reminders.branch_paths(session, list(behind))
    seconds = {uid: secs for uid, secs in behind.items()
               if settings_of(paths[uid]).reminder_hour == hour}  # fmt: skip
    nudged = _nudged(session, list(seconds), now)
    reminded = notify_many(
        session,
        [uid for uid in seconds if uid not in nudged],
        kind=reminders.REMINDER,
        title=reminders.TITLE,
        body=lambda uid: reminders.member_text(
            seconds[uid],
            settings_of(paths[uid]).goal_minutes,
            settings_of(paths[uid]).tracking,
        ),  # fmt: skip
        now=now,
        key=lambda uid: reminders.reminder_key(uid, today),
    )
    queued = _queue_group_messages(session, now, lambda b: settings_of(b.path))
    session.flush()
    return {
        "day": today.isoformat(),
        "hour": hour,
        "not_met": len(seconds),
        "already_nudged": len(nudged),
        "reminded": reminded,
        "group_messages_queued": queued,
    }


def _nudged(session: Session, user_ids: list[int], now: datetime) -> set[int]:
    out: set[int] = set()
    for start in range(0, len(user_ids), 500):
        out |= service.nudged_today(session, user_ids[start : start + 500], now)
    return out


def _queue_group_messages(
    session: Session, now: datetime, settings_of: Callable[[OrgUnit], Any]
) -> list[str]:
    """Queue today's message for each branch with a robot whose reminder hour
    is now; the codes queued."""
    today, queued = study_day(now), []
    for branch in reminders.robot_branches(session):
        if settings_of(branch).reminder_hour != local(now).hour:
            continue
        [figures] = queries.branches_today(session, branch, today)
        if not figures.eligible:
            continue
        names = (
            met_names(session, branch.id, today) if branch.webhook_show_names else []
        )
        text = reminders.group_text(branch.name, figures.met, figures.eligible, names)
        if group_messages.queue(session, branch, reminders.group_key(today), text, now):
            queued.append(branch.code)
    return queued


def send_weekly_digest(session: Session, now: datetime) -> dict[str, Any]:
    """Job: last week's digest to every active secretary, once per week.

    "Last week" is the Monday–Sunday before ``now``'s Asia/Shanghai day.
    """
    week = previous_bounds("week", study_day(now))
    sent, skipped = 0, 0
    for user, units in digest.secretaries(session).items():
        key = digest.digest_key(user.id, week[0])
        if service.is_used(session, key):
            skipped += 1
            continue
        covered = [b for unit in units for b in branches_under(session, unit)]
        weeks = [
            _branch_week(session, b, week, now) for b in covered[: digest.MAX_BRANCHES]
        ]
        service.notify(
            session, user, kind=digest.DIGEST, title=digest.digest_title(week),
            body=digest.digest_text(weeks, len(covered)), now=now, dedupe_key=key,
        )  # fmt: skip
        sent += 1
    session.flush()
    return {"week": week_key(week[0]), "sent": sent, "already_sent": skipped}


def _branch_week(
    session: Session, branch: OrgUnit, week: tuple[Any, Any], now: datetime
) -> digest.BranchWeek:
    """A branch's last week, from the same queries as the 支部 pages."""
    standings = branch_standings(session, branch, "week", study_day(now))
    start, end = day_bounds(week[0])[0], day_bounds(week[1])[1]
    opened = [
        digest.QuizLine(q.title, q.taken, q.eligible, q.pass_rate, q.avg_score)
        for q in quizzes.occurrences(session, branch, now, days=8)
        if start <= q.opens_at < end
    ]
    weak = [
        i for i in items.item_analysis(session, branch, start, end) if i.facility < 1
    ]
    return digest.BranchWeek(
        name=branch.name,
        rate=standings[0].prev_rate if standings else None,
        eligible=standings[0].eligible_members if standings else 0,
        quizzes=opened,
        weakest=[(i.stem, i.facility) for i in weak[: digest.WEAKEST]],
    )
