"""Settled rows stop being trusted the moment a branch's roster changes.

``branch_settlement`` stores the eligible roster (count, Σ id, Σ id²) its
``branch_day`` rows were built on. Reads trust that stored key instead of
aggregating every member of a county per request, so it must never outlive the
roster: a flush hook marks a branch's settlement :data:`ROSTER_CHANGED` when a
member joins or leaves it, moves, is (de)activated or exempted, or their join
day changes. The branch is then read live, and the next settle sees the key
differ and rebuilds it from scratch.

Writes that bypass the ORM (bulk inserts into ``user``) are not seen here; the
one that exists (``bench/generate.py``) settles afterwards, and every settle
recomputes the keys from the members themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.progress.branch_days import ROSTER_CHANGED, BranchSettlement

#: User attributes that change who counts in a branch, or from when.
_WATCHED = ("branch", "branch_id", "is_active", "exempt_reason", "branch_since",
            "created_at")  # fmt: skip


def _branches_touched(session: Session, user: User, whole: bool) -> set[int]:
    """The branch ids a user change may affect: the one stored (read from the
    database: the attribute may be expired) and the new one."""
    state = inspect(user)
    if not whole and not any(
        state.attrs[name].history.has_changes() for name in _WATCHED
    ):
        return set()
    ids: set[Any] = set(state.attrs.branch_id.history.sum())
    ids |= {getattr(unit, "id", None) for unit in state.attrs.branch.history.sum()}
    ids.add(state.dict.get("branch_id"))
    if state.identity is not None:
        stored = select(User.branch_id).where(User.id == state.identity[0])
        ids.add(session.scalar(stored))
    return {i for i in ids if isinstance(i, int)}


@event.listens_for(Session, "before_flush")
def _mark_changed_rosters(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        touched: set[int] = set()
        for group, whole in ((session.new, True), (session.deleted, True),
                             (session.dirty, False)):  # fmt: skip
            for obj in group:
                if isinstance(obj, User):
                    touched |= _branches_touched(session, obj, whole)
        for branch_id in touched:
            settled = session.get(BranchSettlement, branch_id)
            if settled is not None and settled.roster_count != ROSTER_CHANGED:
                settled.roster_count = ROSTER_CHANGED
