"""The weekly digest's recipients and wording (the job is
``notify.actions.send_weekly_digest``, Monday 08:00).

For each branch a secretary covers: last week's participation rate (as on the
leaderboard), the quizzes that opened last week (taken, pass rate, average),
and the three weakest questions (item analysis). The job builds those figures
from the reports and leaderboard queries, so the numbers match the 支部 pages;
this module only words them. One notification per secretary per ISO week (key
``digest:USER:2026-W47``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import RoleGrant, User
from studyapp.auth.roles import Role
from studyapp.org.models import OrgUnit
from studyapp.timeutil import week_key

DIGEST = "digest"
#: Branches listed in one digest (a general-branch secretary may cover many).
MAX_BRANCHES = 10
WEAKEST = 3


@dataclass(frozen=True)
class QuizLine:
    title: str
    taken: int
    eligible: int
    pass_rate: float | None
    avg_score: float | None


@dataclass(frozen=True)
class BranchWeek:
    """One branch's week, as the digest words it."""

    name: str
    rate: float | None
    eligible: int
    quizzes: list[QuizLine]
    #: (question stem, share right) of the weakest questions, weakest first.
    weakest: list[tuple[str, float]]


def digest_key(user_id: int, monday: date) -> str:
    """The once-a-week key of a secretary's digest."""
    return f"{DIGEST}:{user_id}:{week_key(monday)}"


def secretaries(session: Session) -> dict[User, list[OrgUnit]]:
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


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def digest_title(week: tuple[date, date]) -> str:
    return f"上周学习周报（{_md(week[0])}—{_md(week[1])}）"


def digest_text(weeks: list[BranchWeek], total: int) -> str:
    """The digest body: one paragraph per branch (``total`` branches covered)."""
    parts = [branch_text(w) for w in weeks]
    if total > len(weeks):
        parts.append(f"另有 {total - len(weeks)} 个支部，详见「支部」页。")
    if not parts:
        return "您负责的组织下还没有党支部。"
    return "\n".join(parts) + "\n详情见「支部」页。以鼓励为主，不作考核依据。"


def branch_text(w: BranchWeek) -> str:
    """One branch's paragraph."""
    text = f"【{w.name}】上周参与率 {_pct(w.rate)}（{w.eligible} 名同志参与统计）。"
    for q in w.quizzes:
        avg = "—" if q.avg_score is None else f"{q.avg_score:.0f} 分"
        text += (
            f"测验《{q.title}》{q.taken}/{q.eligible} 人参加，"
            f"及格率 {_pct(q.pass_rate)}，平均 {avg}。"
        )
    if w.weakest:
        items = "；".join(f"“{stem}”正确率 {_pct(f)}" for stem, f in w.weakest)
        text += f"最需要巩固的题目：{items}。"
    return text
