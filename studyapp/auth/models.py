"""User, RoleGrant and AuthSession (revocable logins and API tokens)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from studyapp.auth.roles import Role
from studyapp.db import Base, intpk
from studyapp.org.models import OrgUnit


class User(Base):
    __tablename__ = "user"
    #: The branch roster query (progress.participation) reads only these columns.
    __table_args__ = (
        Index("ix_user_branch_roster", "branch_id", "is_active", "exempt_reason", "id"),
        #: The few members a day's live figures leave out (exempt, or created
        #: after that day) are found by these, not by reading every member.
        Index("ix_user_exempt_reason", "exempt_reason"),
        Index("ix_user_created_at", "created_at"),
    )

    id: Mapped[intpk]
    #: Login name: a phone number or member number.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: A phone number to reach the person (optional; the username may be one too).
    phone: Mapped[str | None] = mapped_column(String(30))
    #: The one unit the person belongs to: a branch for members and secretaries;
    #: an admin may belong to a higher unit (an admin on the root is global).
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    #: The Asia/Shanghai day the person joined ``branch`` (after a move or a
    #: reactivation); None: since the account was created. Earlier days are
    #: counted where ``MembershipPeriod`` rows say.
    branch_since: Mapped[date | None]
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Why the member is left out of rates and rankings (流动党员, 年老体弱…); None
    #: for everyone counted.
    exempt_reason: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Set for generated or reset passwords: the member is asked to choose one.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: Preferred UI language (None = the default, zh-CN).
    locale: Mapped[str | None] = mapped_column(String(20))
    #: 大字: ``standard`` | ``large`` | ``xlarge`` (None = standard), on every page.
    text_size: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]
    #: +1 on every change to the row or its grants (a flush hook, below): app
    #: processes keep a built login snapshot while this is unchanged
    #: (``studyapp.login``), so a change made on any node is seen at once.
    auth_version: Mapped[int] = mapped_column(default=0, server_default="0")

    branch: Mapped[OrgUnit] = relationship(lazy="joined", innerjoin=True)
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def is_exempt(self) -> bool:
        return self.exempt_reason is not None

    def has_role(self, role: Role) -> bool:
        """True when any grant (or plain membership) gives at least ``role``."""
        if role is Role.MEMBER:
            return True
        return any(Role(g.role).covers(role) for g in self.grants)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(Base):
    """A role on a unit; it covers the unit's whole subtree."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[OrgUnit] = relationship(lazy="joined", innerjoin=True)


class AuthSession(Base):
    """One login on one device, or one API token; deleting it logs that out."""

    __tablename__ = "auth_session"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the random token; the token itself is only in the cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``web`` (cookie login) or ``api`` (bearer token).
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class MembershipPeriod(Base):
    """A past stretch of membership in a branch: ``start_day`` up to, not
    including, ``end_day`` (Asia/Shanghai days). Written when a member moves to
    another branch or is deactivated, so the old branch's past days keep
    counting them; the current stretch is ``User.branch_id`` since
    ``User.branch_since``."""

    __tablename__ = "membership_period"
    __table_args__ = (Index("ix_membership_period_branch_end", "branch_id", "end_day"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    start_day: Mapped[date]
    #: The first day no longer counted in the branch.
    end_day: Mapped[date]
    created_at: Mapped[datetime]


@event.listens_for(Session, "before_flush")
def _bump_auth_version(session: Session, _context: Any, _instances: Any) -> None:
    """A changed user, or a grant added or removed, gets a new ``auth_version``."""
    changed: set[User] = set()
    with session.no_autoflush:
        for obj in session.dirty:
            if isinstance(obj, User) and session.is_modified(obj):
                changed.add(obj)
        for obj in (*session.new, *session.deleted, *session.dirty):
            if isinstance(obj, RoleGrant) and obj.user is not None:
                changed.add(obj.user)
    for user in changed:
        if user not in session.new:
            user.auth_version = (user.auth_version or 0) + 1
