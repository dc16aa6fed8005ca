"""The evening reminder's rules and wording (the job is
``notify.actions.send_reminders``, at REMINDER_AT, default 20:00 Asia/Shanghai).

- In-app: one private notification per member per day to each member who has
  not met today's goal: active, not exempt, in a 党支部, the day not excused, and
  not already nudged by a secretary today. Friendly, never naming anyone else.
- Group robot: for each branch with a robot, ONE message per day with counts
  ("今天已有 12/20 名同志完成学习"). With ``webhook_show_names`` on, it names the
  members who *met* the goal, never those who did not (no public lists of who
  did not study, SPEC §4). The message is queued by the job; the runner's
  ``then`` step posts it after the job's transaction commits (no HTTP inside a
  transaction).

Idempotent: notifications use ``reminder:USER:DAY`` and group messages
``reminder:DAY`` as unique keys.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit, UnitKind

REMINDER = "reminder"
TITLE = "今日学习小提醒"
#: At most this many names in a group message (then 等).
MAX_NAMES = 30


def reminder_key(user_id: int, day: date) -> str:
    """The once-a-day key of the reminder to ``user_id`` (Asia/Shanghai day)."""
    return f"{REMINDER}:{user_id}:{day.isoformat()}"


def group_key(day: date) -> str:
    """The once-a-day key of a branch's group-robot message."""
    return f"{REMINDER}:{day.isoformat()}"


def member_text(seconds: int, goal_minutes: int, tracking: bool) -> str:
    """The reminder a member reads: about their own day only, never a reproach."""
    minutes = seconds // 60
    tail = "有空的话读一篇课文或做几道题吧；量力而行，身体和工作要紧。"
    if tracking and minutes:
        return (
            f"今天已经学了 {minutes} 分钟，离 {goal_minutes} 分钟的目标不远了。{tail}"
        )
    return f"今天还没来得及学习吗？{tail}"


def robot_branches(session: Session) -> list[OrgUnit]:
    """The 党支部 with a group robot, by code."""
    stmt = (
        select(OrgUnit)
        .where(
            OrgUnit.kind == UnitKind.BRANCH.value,
            OrgUnit.webhook_url.is_not(None),
        )
        .order_by(OrgUnit.code)
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


def branch_paths(session: Session, user_ids: list[int]) -> dict[int, str]:
    """user id → the tree path of their branch (for their units' settings)."""
    out: dict[int, str] = {}
    for start in range(0, len(user_ids), 500):
        stmt = (
            select(User.id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == User.branch_id)
            .where(User.id.in_(user_ids[start : start + 500]))
        )
        out.update({uid: path for uid, path in session.execute(stmt)})
    return out
