"""The audit trail read aloud: an entry as one translated sentence
(「张书记 为 李一 免除了 2026年11月30日 的统计」), from ``audit.words``.

Also the settings' names, shared by 管理 › 设置 and the sentences about it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from studyapp.audit.payloads import AuditEntry
from studyapp.audit.words import UNKNOWN, WORDS

SETTING_LABELS = {
    "goal_minutes": _l("每日学习目标（分钟）"),
    "tracking": _l("统计学习时长"),
    "member_ranking": _l("党员可以看到本支部的排行"),
    "reminder_hour": _l("每天提醒的时间"),
    "cap.lesson_finished": _l("“学完一课”每天最多得分"),
    "cap.study_minutes": _l("“学习时长”每天最多得分"),
    "cap.daily_quiz": _l("“每日答题”每天最多得分"),
    "cap.review_right": _l("“错题复习”每天最多得分"),
}


def describe(entry: AuditEntry) -> str:
    """The entry as a sentence in the UI language."""
    values: defaultdict[str, str] = defaultdict(str)
    values.update({k: _shown(k, v) for k, v in entry.detail.items()})
    values["who"] = entry.actor.name if entry.actor else gettext("系统")
    values["target"] = entry.target_name or entry.target
    values["action"] = entry.action
    if entry.action == "unit.settings":
        values["changes"] = "；".join(
            f"{SETTING_LABELS.get(k, k)} {_setting(k, b)} → {_setting(k, a)}"
            for k, (b, a) in entry.detail.items()
        )
    return gettext(WORDS.get(entry.action, UNKNOWN)) % values


def _shown(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("开") if value else gettext("关")
    if key == "day" and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value), "medium")
        except ValueError:
            return value
    return str(value)


def _setting(key: str, value: Any) -> str:
    if value == "inherit":
        return gettext("跟随上级")
    if key == "reminder_hour":
        return gettext("不提醒") if value is None else f"{int(value):02d}:00"
    return _shown(key, value)
