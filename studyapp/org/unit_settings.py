"""Settings an organisation sets for its subtree (管理 › 设置).

A unit may set any of ``KEYS``; a member gets, for each key, the value of the
nearest unit up the tree from their branch that sets it, else the deployment's
default (the ``STUDYAPP_*`` environment variables). Values are stored as text
and read back typed by ``parse``.

Reads go through a short per-app cache (``INFO_KEY`` on the Session, made by
the app factory): the process that saves a setting clears it at once, other
processes see the change within ``TTL`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from studyapp.cache import TTLCache
from studyapp.db import Base, intpk
from studyapp.errors import ValidationFailed

TTL = 10.0
INFO_KEY = "studyapp.unit_settings_cache"
OFF = "off"


@dataclass(frozen=True)
class Key:
    """One setting: its type and the range a value must lie in."""

    kind: str  #: ``int``, ``bool`` or ``hour`` (0–23, or off)
    low: int = 0
    high: int = 0


#: Every setting a unit may set.
KEYS: dict[str, Key] = {
    "goal_minutes": Key("int", 5, 240),
    "tracking": Key("bool"),
    "member_ranking": Key("bool"),
    "reminder_hour": Key("hour", 0, 23),
    "cap.lesson_finished": Key("int", 0, 100),
    "cap.study_minutes": Key("int", 0, 100),
    "cap.daily_quiz": Key("int", 0, 100),
    "cap.review_right": Key("int", 0, 100),
}


class UnitSetting(Base):
    __tablename__ = "unit_setting"
    __table_args__ = (UniqueConstraint("unit_id", "key"),)

    id: Mapped[intpk]
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), index=True
    )
    #: One of ``KEYS``.
    key: Mapped[str] = mapped_column(String(40))
    #: The value as text: ``30``, ``true``/``false``, an hour or ``off``.
    value: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )


def parse(key: str, text: str) -> Any:
    """The typed value of stored text (int, bool, or an hour / None for off)."""
    kind = KEYS[key].kind
    if kind == "bool":
        return text == "true"
    if kind == "hour" and text == OFF:
        return None
    return int(text)


def to_text(key: str, value: Any) -> str:
    """Check a typed value against ``KEYS`` and give its stored text;
    ValidationFailed (field = the key) when it is out of range."""
    spec = KEYS.get(key)
    if spec is None:
        raise ValidationFailed(f"没有名为 {key} 的设置", field=key)
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValidationFailed("请选择开或关", field=key)
        return "true" if value else "false"
    if spec.kind == "hour" and value is None:
        return OFF
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("请填一个整数", field=key)
    if not spec.low <= value <= spec.high:
        raise ValidationFailed(f"应在 {spec.low} 到 {spec.high} 之间", field=key)
    return str(value)


def _all(session: Session) -> dict[int, dict[str, str]]:
    table: dict[int, dict[str, str]] = {}
    for row in session.execute(
        select(UnitSetting.unit_id, UnitSetting.key, UnitSetting.value)
    ):
        table.setdefault(row.unit_id, {})[row.key] = row.value
    return table


def _table(session: Session) -> dict[int, dict[str, str]]:
    cache: TTLCache[dict[int, dict[str, str]]] | None = session.info.get(INFO_KEY)
    if cache is None:
        return _all(session)
    return cache.get("all", lambda: _all(session))


def clear_cache(session: Session) -> None:
    """Forget cached settings (after saving one)."""
    cache = session.info.get(INFO_KEY)
    if cache is not None:
        cache.clear()


def new_cache() -> TTLCache[dict[int, dict[str, str]]]:
    """The per-app cache the app factory puts on every Session."""
    return TTLCache(TTL, max_entries=4)


def own(session: Session, unit_id: int) -> dict[str, Any]:
    """The settings a unit sets itself (typed)."""
    return {k: parse(k, v) for k, v in _table(session).get(unit_id, {}).items()}


def resolved(session: Session, path: str) -> dict[str, tuple[Any, int]]:
    """For a unit's path (``/1/4/9/``): key → (value, id of the unit that set
    it), from the nearest unit up the tree; keys no unit sets are absent."""
    table, out = _table(session), {}
    for unit_id in reversed([int(p) for p in path.strip("/").split("/") if p]):
        for key, text in table.get(unit_id, {}).items():
            if key not in out:
                out[key] = (parse(key, text), unit_id)
    return out


def effective(session: Session, path: str) -> dict[str, Any]:
    """``resolved`` without where each value comes from."""
    return {k: v for k, (v, _unit) in resolved(session, path).items()}


def save(
    session: Session,
    unit_id: int,
    values: dict[str, Any],
    *,
    by: int | None,
    now: datetime,
    changed: Callable[[str, Any, Any], None] | None = None,
) -> None:
    """Set (a value) or clear (``None`` for a non-hour key; for ``reminder_hour``
    pass ``"inherit"``) the unit's own settings; ``changed(key, before, after)``
    is told of each real change. Flushes and clears the cache."""
    rows = {r.key: r for r in session.scalars(
        select(UnitSetting).where(UnitSetting.unit_id == unit_id))}  # fmt: skip
    for key, value in values.items():
        row = rows.get(key)
        before = parse(key, row.value) if row else "inherit"
        if value == "inherit" or (value is None and KEYS[key].kind != "hour"):
            if row is not None:
                session.delete(row)
                _tell(changed, key, before, "inherit")
            continue
        text = to_text(key, value)
        if row is None:
            session.add(UnitSetting(unit_id=unit_id, key=key, value=text,
                                    updated_at=now, updated_by=by))  # fmt: skip
        elif row.value != text:
            row.value, row.updated_at, row.updated_by = text, now, by
        else:
            continue
        _tell(changed, key, before, value)
    session.flush()
    clear_cache(session)


def _tell(changed: Callable[[str, Any, Any], None] | None, *args: Any) -> None:
    if changed is not None:
        changed(*args)
