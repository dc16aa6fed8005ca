"""Job: the weekly digest for branch secretaries (in-app, Monday 08:00).

For each branch a secretary covers: last week's participation rate (as on the
leaderboard), the quizzes that opened last week (taken, pass rate, average),
and the three weakest questions (item analysis). Built from the reports and
leaderboard queries, so the numbers match the 支部 pages. Idempotent: one
notification per secretary per ISO week (key ``digest:USER:2026-W47``).
Flush, never commit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import RoleGrant, User
from studyapp.auth.roles import Role
from studyapp.notify.models import Notification
from studyapp.notify.service import notify
from studyapp.org.models import OrgUnit
from studyapp.org.queries import branches_under
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.periods import previous_bounds
from studyapp.reports.items import item_analysis
from studyapp.reports.quizzes import occurrences
from studyapp.timeutil import day_bounds, study_day, week_key

DIGEST = "digest"
#: Branches listed in one digest (a general-branch secretary may cover many).
MAX_BRANCHES = 10
WEAKEST = 3


def send_weekly_digest(session: Session, now: datetime) -> dict[str, Any]:
    """Send last week's digest to every active secretary, once per week.

    "Last week" is the Monday–Sunday before ``now``'s Asia/Shanghai day.
    """
    today = study_day(now)
    week = previous_bounds("week", today)
    sent, skipped = 0, 0
    for user, units in _secretaries(session).items():
        key = f"{DIGEST}:{user.id}:{week_key(week[0])}"
        if _sent(session, key):
            skipped += 1
            continue
        branches = [b for unit in units for b in branches_under(session, unit)]
        body = digest_text(session, branches, week, now)
        notify(
            session,
            user,
            kind=DIGEST,
            title=f"上周学习周报（{_md(week[0])}—{_md(week[1])}）",
            body=body,
            now=now,
            dedupe_key=key,
        )
        sent += 1
    session.flush()
    return {"week": week_key(week[0]), "sent": sent, "already_sent": skipped}


def _secretaries(session: Session) -> dict[User, list[OrgUnit]]:
    """Active users with a secretary grant → the units granted."""
    rows = session.execute(
        select(User, OrgUnit)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(OrgUnit, OrgUnit.id == RoleGrant.unit_id)
        .where(RoleGrant.role == Role.SECRETARY.value, User.is_active.is_(True))
        .order_by(User.id, OrgUnit.path)
    ).all()
    out: dict[User, list[OrgUnit]] = defaultdict(list)
    for user, unit in rows:
        out[user].append(unit)
    return out


def _sent(session: Session, key: str) -> bool:
    stmt = select(Notification.id).where(Notification.dedupe_key == key)
    return session.scalar(stmt) is not None


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def digest_text(
    session: Session, branches: list[OrgUnit], week: tuple[date, date], now: datetime
) -> str:
    """The digest body: one paragraph per branch (at most MAX_BRANCHES)."""
    parts = [_branch_text(session, b, week, now) for b in branches[:MAX_BRANCHES]]
    if len(branches) > MAX_BRANCHES:
        parts.append(f"另有 {len(branches) - MAX_BRANCHES} 个支部，详见「支部」页。")
    if not parts:
        return "您负责的组织下还没有党支部。"
    return "\n".join(parts) + "\n详情见「支部」页。以鼓励为主，不作考核依据。"


def _branch_text(
    session: Session, branch: OrgUnit, week: tuple[date, date], now: datetime
) -> str:
    today = study_day(now)
    standings = branch_standings(session, branch, "week", today)
    rate = standings[0].prev_rate if standings else None
    eligible = standings[0].eligible_members if standings else 0
    text = f"【{branch.name}】上周参与率 {_pct(rate)}（{eligible} 名同志参与统计）。"
    start, end = day_bounds(week[0])[0], day_bounds(week[1])[1]
    quizzes = [
        q
        for q in occurrences(session, branch, now, days=8)
        if start <= q.opens_at < end
    ]
    for q in quizzes:
        avg = "—" if q.avg_score is None else f"{q.avg_score:.0f} 分"
        text += (
            f"测验《{q.title}》{q.taken}/{q.eligible} 人参加，"
            f"及格率 {_pct(q.pass_rate)}，平均 {avg}。"
        )
    weak = [i for i in item_analysis(session, branch, start, end) if i.facility < 1]
    if weak:
        items = "；".join(
            f"“{i.stem}”正确率 {_pct(i.facility)}" for i in weak[:WEAKEST]
        )
        text += f"最需要巩固的题目：{items}。"
    return text
