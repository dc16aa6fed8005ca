"""Job: the evening reminder (REMINDER_AT, default 20:00 Asia/Shanghai).

- In-app: one private notification per member per day to each member who has
  not met today's goal: active, not exempt, in a 党支部, the day not excused, and
  not already nudged by a secretary today. Friendly, never naming anyone else.
- Group robot: for each branch with a robot, ONE message per day with counts
  ("今天已有 12/20 名同志完成学习"). With ``webhook_show_names`` on, it names the
  members who *met* the goal, never those who did not (no public lists of who
  did not study, SPEC §4). The message is queued here; the runner's ``then``
  step posts it after this transaction commits (no HTTP inside a transaction).

Idempotent: notifications use ``reminder:USER:DAY`` and group messages
``reminder:DAY`` as unique keys. Flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.notify.bulk import notify_many
from studyapp.notify.group_messages import queue
from studyapp.notify.service import nudged_today
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress.models import DailyActivity, ExcusedDay
from studyapp.progress.participation import eligible_user
from studyapp.progress.settings import ProgressSettings, defaults
from studyapp.reports.queries import branches_today
from studyapp.timeutil import study_day

REMINDER = "reminder"
TITLE = "今日学习小提醒"
#: At most this many names in a group message (then 等).
MAX_NAMES = 30


def reminder_key(user_id: int, day: date) -> str:
    """The once-a-day key of the reminder to ``user_id`` (Asia/Shanghai day)."""
    return f"{REMINDER}:{user_id}:{day.isoformat()}"


def send_reminders(session: Session, now: datetime) -> dict[str, Any]:
    """Remind today's members who have not met the goal; queue group messages.

    ``now`` is the occurrence time; "today" is its Asia/Shanghai day.
    """
    settings: ProgressSettings = defaults(session)
    today = study_day(now)
    seconds = _not_met(session, today)
    nudged = _nudged(session, list(seconds), now)
    targets = [uid for uid in seconds if uid not in nudged]
    reminded = notify_many(
        session,
        targets,
        kind=REMINDER,
        title=TITLE,
        body=lambda uid: member_text(seconds[uid], settings),
        now=now,
        key=lambda uid: reminder_key(uid, today),
    )
    queued = _queue_group_messages(session, today, now)
    session.flush()
    return {
        "day": today.isoformat(),
        "not_met": len(seconds),
        "already_nudged": len(nudged),
        "reminded": reminded,
        "group_messages_queued": queued,
    }


def _not_met(session: Session, today: date) -> dict[int, int]:
    """Members to remind → seconds studied today."""
    da = DailyActivity
    stmt = (
        select(User.id, da.study_seconds)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .outerjoin(da, (da.user_id == User.id) & (da.study_day == today))
        .outerjoin(
            ExcusedDay,
            (ExcusedDay.user_id == User.id) & (ExcusedDay.study_day == today),
        )
        .where(
            OrgUnit.kind == UnitKind.BRANCH.value,
            eligible_user(),
            or_(da.goal_met.is_(None), da.goal_met.is_(False)),
            or_(da.excused.is_(None), da.excused.is_(False)),
            ExcusedDay.id.is_(None),
        )
    )
    return {uid: secs or 0 for uid, secs in session.execute(stmt)}


def _nudged(session: Session, user_ids: list[int], now: datetime) -> set[int]:
    out: set[int] = set()
    for start in range(0, len(user_ids), 500):
        out |= nudged_today(session, user_ids[start : start + 500], now)
    return out


def member_text(seconds: int, settings: ProgressSettings) -> str:
    """The reminder a member reads: about their own day only, never a reproach."""
    minutes = seconds // 60
    tail = "有空的话读一篇课文或做几道题吧；量力而行，身体和工作要紧。"
    if settings.tracking and minutes:
        return (
            f"今天已经学了 {minutes} 分钟，离 {settings.goal_minutes} 分钟的目标"
            f"不远了。{tail}"
        )
    return f"今天还没来得及学习吗？{tail}"


def _queue_group_messages(session: Session, today: date, now: datetime) -> list[str]:
    """Queue today's message for each branch with a robot; the codes queued."""
    branches = session.scalars(
        select(OrgUnit)
        .where(
            OrgUnit.kind == UnitKind.BRANCH.value,
            OrgUnit.webhook_url.is_not(None),
        )
        .order_by(OrgUnit.code)
    ).all()
    queued = []
    for branch in branches:
        [figures] = branches_today(session, branch, today)
        if not figures.eligible:
            continue
        names = _met_names(session, branch, today) if branch.webhook_show_names else []
        text = group_text(branch.name, figures.met, figures.eligible, names)
        if queue(session, branch, f"{REMINDER}:{today.isoformat()}", text, now):
            queued.append(branch.code)
    return queued


def _met_names(session: Session, branch: OrgUnit, today: date) -> list[str]:
    stmt = (
        select(User.name)
        .join(DailyActivity, DailyActivity.user_id == User.id)
        .where(
            User.branch_id == branch.id,
            eligible_user(),
            DailyActivity.study_day == today,
            DailyActivity.goal_met.is_(True),
        )
        .order_by(User.name)
    )
    return list(session.scalars(stmt))


def group_text(branch_name: str, met: int, eligible: int, names: list[str]) -> str:
    """The group robot's message: counts; names only of those who met the goal."""
    if met >= eligible:
        text = f"【{branch_name}】今天 {eligible} 名同志全部完成学习，大家辛苦了！"
    else:
        text = f"【{branch_name}】今天已有 {met}/{eligible} 名同志完成学习。"
    if names:
        shown = "、".join(names[:MAX_NAMES]) + ("等" if len(names) > MAX_NAMES else "")
        text += f"完成学习的同志：{shown}。"
    if met < eligible:
        text += "还没来得及学的同志，有空读一篇课文吧。以鼓励为主，量力而行。"
    return text
