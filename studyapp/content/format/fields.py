"""PURE: typed reading of front-matter fields, logging every problem with its line."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from studyapp.content.format import values
from studyapp.content.format.docs import Audience, IssueLog
from studyapp.content.format.yamlmeta import Field

_SEPARATORS = str.maketrans({c: "," for c in "，、;；"})


class Fields:
    """Typed, line-aware access to one YAML mapping (the front matter or a draw rule).

    Every getter returns None (or a default) when the key is absent or invalid and
    logs the problem; nothing raises.
    """

    def __init__(
        self,
        entries: Mapping[str, Field],
        log: IssueLog,
        line: int = 1,
        *,
        quiet_missing: bool = False,
    ) -> None:
        self.entries = entries
        self.log = log
        self.line = line  # where to report a missing key
        #: Set when the YAML could not be read: "missing" would repeat that error.
        self.quiet_missing = quiet_missing

    def has(self, key: str) -> bool:
        """True when *key* was written with a non-null value."""
        f = self.entries.get(key)
        return f is not None and f.value is not None

    def line_of(self, key: str) -> int:
        """Line of *key*'s value, or the mapping's own line when it is absent."""
        f = self.entries.get(key)
        return f.line if f else self.line

    def key_lines(self) -> dict[str, int]:
        """Key → line of the key, for the documents' ``key_lines``."""
        return {k: f.key_line or f.line for k, f in self.entries.items()}

    def warn_unknown(self, known: Collection[str], what: str) -> None:
        """Warn about keys outside *known* (typos such as ``schdule``)."""
        for key, f in self.entries.items():
            if key not in known:
                allowed = "、".join(sorted(known))
                self.log.warning(
                    f.key_line or f.line, f"{what}不认识字段 {key}（可用：{allowed}）"
                )

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A non-blank string, stripped; lossless numbers are taken as written."""
        f = self.entries.get(key)
        value = None if f is None or f.value is None else as_text(f, key, self.log)
        if f is None or f.value is None or (value is not None and not value.strip()):
            if required and not self.quiet_missing:
                self.log.error(self.line_of(key), f"缺少 {key}")
            return None
        return value.strip() if value is not None else None

    def ident(self, key: str, *, required: bool = False) -> str | None:
        """An id of letters, digits, ``-`` and ``_``."""
        value = self.text(key, required=required)
        if value is not None and not values.is_valid_id(value):
            self.log.error(
                self.line_of(key),
                f"{key} “{value}” 无效：只能用字母、数字、- 和 _",
            )
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of strings, or one string split on commas / 、."""
        f = self.entries.get(key)
        if f is None or f.value is None:
            return ()
        if isinstance(f.value, list):
            found = (as_text(item, key, self.log) for item in f.items)
            return _dedupe(s.strip() for s in found if s and s.strip())
        one = as_text(f, key, self.log)
        if one is None:
            return ()
        return _dedupe(p.strip() for p in one.translate(_SEPARATORS).split(","))

    def integer(
        self, key: str, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        """An integer in ``[lo, hi]`` (either bound may be omitted)."""
        f = self.entries.get(key)
        if f is None or f.value is None:
            return None
        value = as_int(f, key, self.log)
        if value is None:
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.log.error(f.line, f"{key} {expected_range(lo, hi)}，这里是 {value}")
            return None
        return value

    def choice(self, key: str, allowed: Collection[str]) -> str | None:
        """One of *allowed*."""
        value = self.text(key)
        if value is not None and value not in allowed:
            self.log.error(
                self.line_of(key),
                f"{key} 不能是 {value}（可用：{'、'.join(allowed)}）",
            )
            return None
        return value

    def when(self, key: str) -> tuple[datetime, bool] | None:
        """An aware UTC datetime and whether only a date was written."""
        value = self.text(key)
        if value is None:
            return None
        try:
            return values.parse_datetime(value)
        except ValueError as exc:
            self.log.error(self.line_of(key), f"{key}：{exc}")
            return None

    def duration(self, key: str) -> timedelta | None:
        """A duration such as ``7d``, ``15m`` or ``1h30m``."""
        f = self.entries.get(key)
        if f is None or f.value is None:
            return None
        if (
            isinstance(f.value, int)
            and not isinstance(f.value, bool)
            and f.is_plain_scalar
            and f.raw == str(f.value)
        ):
            self.log.error(
                f.line, f"{key}：{f.value} 缺少单位，例如 {f.value}m 或 {f.value}d"
            )
            return None
        value = self.text(key)
        if value is None:
            return None
        try:
            return values.parse_duration(value)
        except ValueError as exc:
            self.log.error(f.line, f"{key}：{exc}")
            return None

    def cron(self, key: str) -> str | None:
        """A 5-field cron expression, validated as APScheduler reads it."""
        value = self.text(key)
        if value is None:
            return None
        try:
            values.check_cron(value)
        except ValueError as exc:
            self.log.error(self.line_of(key), f"{key}：{exc}")
            return None
        return value

    def audience(self, key: str = "audience") -> Audience:
        """``all`` (the default) or a tuple of unit codes."""
        codes = self.strings(key)
        if not codes or codes == ("all",):
            return "all"
        if "all" in codes:
            self.log.error(self.line_of(key), f"{key}：all 不能和单位编码一起写")
        bad = [c for c in codes if c != "all" and not values.is_valid_id(c)]
        for code in bad:
            self.log.error(self.line_of(key), f"{key}：单位编码 “{code}” 无效")
        return tuple(c for c in codes if c != "all" and c not in bad) or "all"


def expected_range(lo: int | None, hi: int | None) -> str:
    """``应在 0–100 之间``, ``应不小于 1`` or ``应不大于 5`` (at least one bound)."""
    if lo is None:
        return f"应不大于 {hi}"
    if hi is None:
        return f"应不小于 {lo}"
    return f"应在 {lo}–{hi} 之间"


def as_text(f: Field, key: str, log: IssueLog) -> str | None:
    """The string value of *f*; flags YAML reinterpretations (``no``, ``010``)."""
    value: Any = f.value
    if isinstance(value, str):
        return value
    raw = f.raw
    if isinstance(value, bool) and f.is_plain_scalar:
        log.error(
            f.line,
            f"{key}：{raw} 被 YAML 读成了布尔值 {str(value).lower()}，"
            f'请加引号："{raw}"',
        )
        return None
    if isinstance(value, int | float) and f.is_plain_scalar and raw is not None:
        if raw == str(value):
            return raw
        log.error(f.line, f'{key}：{raw} 被 YAML 读成了数字 {value}，请加引号："{raw}"')
        return None
    log.error(f.line, f"{key} 应为文本")
    return None


def as_int(f: Field, key: str, log: IssueLog) -> int | None:
    """The integer value of *f*; ``"6"`` is accepted, ``010`` (octal 8) is not."""
    value: Any = f.value
    if isinstance(value, bool):
        log.error(f.line, f"{key} 应为整数，这里是 {f.raw}")
        return None
    if isinstance(value, int):
        if f.is_plain_scalar and f.raw is not None and f.raw.lstrip("+") != str(value):
            log.error(
                f.line, f"{key}：{f.raw} 被 YAML 读成了 {value}，请写成普通十进制数"
            )
            return None
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    shown = f.raw if f.raw is not None else repr(value)
    log.error(f.line, f"{key} 应为整数，这里是 {shown}")
    return None


def _dedupe(items: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))
