"""Roles and their order; the only place that knows what a role implies."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"  # 党员: studies, sees own data
    SECRETARY = (
        "secretary"  # 支部书记/组织委员: everything about members in the subtree
    )
    ADMIN = "admin"  # 管理员: content, schedules, users and units in the subtree

    @property
    def rank(self) -> int:
        return _RANK[self]

    def covers(self, needed: Role) -> bool:
        """An admin may do what a secretary may; a secretary what a member may."""
        return self.rank >= needed.rank


_RANK = {Role.MEMBER: 0, Role.SECRETARY: 1, Role.ADMIN: 2}

#: Words accepted in import files, English and Chinese.
ROLE_WORDS: dict[str, Role] = {
    "member": Role.MEMBER,
    "党员": Role.MEMBER,
    "secretary": Role.SECRETARY,
    "书记": Role.SECRETARY,
    "支部书记": Role.SECRETARY,
    "组织委员": Role.SECRETARY,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
}
