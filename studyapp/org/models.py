"""OrgUnit: one node of the organisation tree."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.db import Base, intpk


class UnitKind(StrEnum):
    COMMITTEE = "committee"  # 党委
    GENERAL_BRANCH = "general_branch"  # 党总支
    BRANCH = "branch"  # 党支部
    GROUP = "group"  # 党小组


#: Which kinds may sit directly under which (None = the root).
ALLOWED_PARENTS: dict[UnitKind, tuple[UnitKind | None, ...]] = {
    UnitKind.COMMITTEE: (None, UnitKind.COMMITTEE),
    UnitKind.GENERAL_BRANCH: (None, UnitKind.COMMITTEE),
    UnitKind.BRANCH: (None, UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH),
    UnitKind.GROUP: (UnitKind.BRANCH,),
}


class OrgUnit(Base):
    __tablename__ = "org_unit"

    id: Mapped[intpk]
    #: Stable external code, e.g. ``DY-XM-03``; imports and the API use it.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    #: Materialised ancestry ``/1/4/9/`` (ids, root first, self last): a subtree
    #: is every unit whose path starts with this one's.
    path: Mapped[str] = mapped_column(String(512), index=True, default="/")
    created_at: Mapped[datetime]
    #: When the unit was closed (no active member left); None: open. A closed
    #: unit keeps its history and its code, which is never given out again.
    closed_at: Mapped[datetime | None]
    #: Group-robot webhook of a branch (企业微信 or 钉钉); None: no robot. The
    #: URL carries the robot's key: treat it as a secret.
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    #: ``wecom`` (企业微信) or ``dingtalk`` (钉钉): the robot's message format.
    webhook_kind: Mapped[str] = mapped_column(
        String(10), default="wecom", server_default="wecom"
    )
    #: The daily robot message names the members who met the goal (never those
    #: who did not); off by default: counts only.
    webhook_show_names: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id")

    @property
    def kind_enum(self) -> UnitKind:
        return UnitKind(self.kind)

    def contains(self, other: OrgUnit) -> bool:
        """True when ``other`` is this unit or below it."""
        return other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"
