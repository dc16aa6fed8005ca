"""The Actor: who is doing something, as every action receives it.

An Actor is a frozen snapshot of the logged-in user, their branch and their role
grants, built once per request by the login loader. Actions take it instead of
the ORM ``User``, so they never lazy-load identity from the database and a
request's identity cannot change halfway through. ``Actor.system()`` stands for
the scheduler and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from studyapp.auth.roles import Role

if TYPE_CHECKING:
    from studyapp.auth.models import User
    from studyapp.org.models import OrgUnit


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit of the tree as identity needs it (no lazy relationships)."""

    id: int
    code: str
    name: str
    kind: str
    #: Materialised ancestry ``/1/4/9/``: a subtree is every path starting with it.
    path: str
    parent_id: int | None

    @classmethod
    def of(cls, unit: OrgUnit) -> UnitRef:
        return cls(unit.id, unit.code, unit.name, unit.kind, unit.path, unit.parent_id)

    def contains(self, other: Any) -> bool:
        """True when ``other`` (a unit or UnitRef) is this unit or below it."""
        return bool(other.path.startswith(self.path))


@dataclass(frozen=True, slots=True)
class Grant:
    """A role held on a unit; it covers the unit's whole subtree."""

    role: str
    unit: UnitRef


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind a request (or the system, for jobs and the CLI)."""

    id: int
    username: str
    name: str
    branch: UnitRef
    grants: tuple[Grant, ...]
    exempt_reason: str | None
    must_change_password: bool
    locale: str | None
    created_at: datetime
    #: The raw token of the login or API token this request authenticated with.
    auth_token: str | None = None
    #: True when that was an ``Authorization: Bearer`` API token (no CSRF then).
    auth_via_bearer: bool = False
    #: 大字: ``standard`` | ``large`` | ``xlarge``.
    text_size: str = "standard"
    #: The day the member joined their current branch (None: since they joined).
    branch_since: date | None = None

    # Flask-Login's user protocol: an Actor only exists for an active login.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    @classmethod
    def of(cls, user: User, *, token: str | None = None, bearer: bool = False) -> Actor:
        """Snapshot an ORM user (its branch and grants are eagerly loaded)."""
        return cls(
            id=user.id,
            username=user.username,
            name=user.name,
            branch=UnitRef.of(user.branch),
            grants=tuple(Grant(g.role, UnitRef.of(g.unit)) for g in user.grants),
            exempt_reason=user.exempt_reason,
            must_change_password=user.must_change_password,
            locale=user.locale,
            created_at=user.created_at,
            auth_token=token,
            auth_via_bearer=bearer,
            text_size=user.text_size or "standard",
            branch_since=user.branch_since,
        )

    @property
    def branch_id(self) -> int:
        return self.branch.id

    @property
    def is_exempt(self) -> bool:
        return self.exempt_reason is not None

    def get_id(self) -> str | None:
        """Flask-Login: the cookie names the revocable login, never the user id."""
        return self.auth_token

    def has_role(self, role: Role) -> bool:
        """True when any grant (or plain membership) gives at least ``role``."""
        if role is Role.MEMBER:
            return True
        return any(Role(g.role).covers(role) for g in self.grants)
