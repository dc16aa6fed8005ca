"""The unit settings as an admin sees them: each key's value for the unit's
members, where it comes from, and the deployment's default."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.org import unit_settings
from studyapp.org.models import OrgUnit
from studyapp.orgadmin.payloads import SettingOut, UnitRef
from studyapp.progress.settings import ProgressSettings, defaults


def default_values(base: ProgressSettings) -> dict[str, Any]:
    """Every key's value in the deployment's settings."""
    values: dict[str, Any] = {
        "goal_minutes": base.goal_minutes,
        "tracking": base.tracking,
        "member_ranking": base.member_ranking,
        "reminder_hour": base.reminder_hour,
    }
    for key in unit_settings.KEYS:
        if key.startswith("cap."):
            values[key] = base.rules[key[4:]].daily_cap
    return values


def settings_of(session: Session, unit: OrgUnit) -> list[SettingOut]:
    """Each key for ``unit``: its value, origin and default."""
    found = unit_settings.resolved(session, unit.path)
    ids = {unit_id for _value, unit_id in found.values()}
    units = {
        u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))
    }
    base = default_values(defaults(session))
    out = []
    for key in unit_settings.KEYS:
        if key not in found:
            out.append(SettingOut(key=key, value=base[key], origin="default",
                                  source=None, default=base[key]))  # fmt: skip
            continue
        value, unit_id = found[key]
        source = units[unit_id]
        out.append(SettingOut(
            key=key, value=value, origin="unit" if unit_id == unit.id else "inherited",
            source=UnitRef(code=source.code, name=source.name), default=base[key],
        ))  # fmt: skip
    return out
