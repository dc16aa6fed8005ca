"""PURE: read a quiz definition's front matter (kind, schedule, window, draw rules)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from studyapp.content.format.docs import (
    DAILY_DEFAULT_COUNT,
    DEFAULT_ATTEMPTS,
    DEFAULT_PASS_SCORE,
    DEFAULT_POINTS,
    QUESTION_TYPES,
    REVIEW_POLICIES,
    DrawRule,
    IssueLog,
    QuestionType,
)
from studyapp.content.format.fields import Fields
from studyapp.content.format.yamlmeta import Field

QUIZ_KEYS = frozenset(
    {"id", "title", "kind", "schedule", "open_for", "opens_at", "closes_at", "count",
     "draw", "time_limit", "attempts", "pass_score", "points", "review", "audience",
     "lesson", "tags"}
)  # fmt: skip
_DRAW_KEYS = ("bank", "tags", "types", "count")
_TYPE_ALIASES: dict[str, QuestionType] = {
    "单选": "single", "单选题": "single", "多选": "multiple", "多选题": "multiple",
    "判断": "truefalse", "判断题": "truefalse", "填空": "fill", "填空题": "fill",
}  # fmt: skip
_UNLIMITED = {"unlimited", "不限", "无限"}


def read_quiz_settings(f: Fields, kind: str, log: IssueLog) -> dict[str, Any]:
    """Every QuizDoc field that comes from front matter, except id/title/audience."""
    opens, closes = _window(f, kind, log)
    time_limit = f.duration("time_limit")
    return {
        "kind": kind,
        "schedule": _schedule(f, kind, log),
        "open_for": _open_for(f, kind, log),
        "opens_at": opens,
        "closes_at": closes,
        "count": _count(f, kind, log),
        "draw": read_draw(f, log),
        "time_limit": time_limit,
        "attempts": _attempts(f, log),
        "pass_score": _default(f.integer("pass_score", 0, 100), DEFAULT_PASS_SCORE),
        "points": _points(f, kind, log),
        "review": _review(f, kind, time_limit, log),
    }


def _review(f: Fields, kind: str, time_limit: timedelta | None, log: IssueLog) -> str:
    """``after_answer`` shows each answer as it is given: practice only, so an
    exam or a timed quiz that asks for it is an error (it would hand out the key
    while others still sit the paper)."""
    review = f.choice("review", REVIEW_POLICIES)
    if review == "after_answer" and (kind == "exam" or time_limit):
        what = "考试（exam）" if kind == "exam" else "限时测验（time_limit）"
        log.error(
            f.line_of("review"),
            f"review: after_answer 只用于练习，{what}不能答一题就公布答案"
            "（可用 after_submit、after_close 或 never）",
        )
        return "after_close"
    return review or ("after_close" if kind == "exam" else "after_submit")


def _default(value: Any, default: Any) -> Any:
    return default if value is None else value


def _schedule(f: Fields, kind: str, log: IssueLog) -> str | None:
    cron = f.cron("schedule")
    if kind == "weekly" and not f.has("schedule"):
        log.error(
            f.line_of("kind"), 'weekly 测验缺少 schedule（cron，如 "0 8 * * mon"）'
        )
    if kind in ("special", "exam") and f.has("schedule"):
        log.error(
            f.line_of("schedule"), f"{kind} 测验用 opens_at/closes_at，不用 schedule"
        )
        return None
    return cron


def _open_for(f: Fields, kind: str, log: IssueLog) -> timedelta | None:
    if kind in ("special", "exam") and f.has("open_for"):
        log.error(f.line_of("open_for"), f"{kind} 测验用 closes_at 结束，不用 open_for")
        return None
    return f.duration("open_for")


def _window(
    f: Fields, kind: str, log: IssueLog
) -> tuple[datetime | None, datetime | None]:
    opens, closes = f.when("opens_at"), f.when("closes_at")
    if kind not in ("special", "exam"):
        for key in ("opens_at", "closes_at"):
            if f.has(key):
                log.error(f.line_of(key), f"{kind} 测验按 schedule 开放，不用 {key}")
        return None, None
    for key in ("opens_at", "closes_at"):
        if not f.has(key):
            log.error(
                f.line_of("kind"), f"{kind} 测验缺少 {key}（如 2026-12-01 08:00）"
            )
    if closes and closes[1]:
        log.warning(
            f.line_of("closes_at"),
            "closes_at 只写了日期，会在当天 00:00 关闭；要包含当天请写 23:59",
        )
    if opens and closes and closes[0] <= opens[0]:
        log.error(f.line_of("closes_at"), "closes_at 应晚于 opens_at")
    return (opens[0] if opens else None), (closes[0] if closes else None)


def _count(f: Fields, kind: str, log: IssueLog) -> int | None:
    count = f.integer("count", 1)
    if kind != "daily":
        if f.has("count"):
            log.error(
                f.line_of("count"),
                f"count 只用于 daily；{kind} 测验在 draw 的每条规则里写 count",
            )
        return None
    if f.has("count") and f.has("draw"):
        log.error(f.line_of("count"), "daily 测验的 count 和 draw 只能写一个")
    if f.has("draw"):
        return None
    return _default(count, DAILY_DEFAULT_COUNT)


def _attempts(f: Fields, log: IssueLog) -> int | None:
    entry = f.entries.get("attempts")
    if (
        entry is not None
        and isinstance(entry.value, str)
        and entry.value.strip() in _UNLIMITED
    ):
        return None
    return _default(f.integer("attempts", 1), DEFAULT_ATTEMPTS)


def _points(f: Fields, kind: str, log: IssueLog) -> int:
    if kind == "daily":
        if f.has("points"):
            log.warning(
                f.line_of("points"),
                "daily 测验每答对一题 +1 分（每天最多 5 分），points 不起作用",
            )
        return 0
    return _default(f.integer("points", 0), DEFAULT_POINTS)


def read_draw(f: Fields, log: IssueLog) -> tuple[DrawRule, ...]:
    """The ``draw`` rules; each must have a count and may filter by bank/tags/types."""
    entry = f.entries.get("draw")
    if entry is None or entry.value is None:
        return ()
    if not isinstance(entry.value, list):
        log.error(entry.line, "draw 应为列表，每项如 {bank: dangjian-jichu, count: 5}")
        return ()
    rules = (_draw_rule(item, log) for item in entry.items)
    return tuple(r for r in rules if r is not None)


def _draw_rule(item: Field, log: IssueLog) -> DrawRule | None:
    if not isinstance(item.value, dict):
        log.error(
            item.line, "draw 的每一项应为 {bank: …, tags: […], types: […], count: N}"
        )
        return None
    before = len(log.items)
    rule = Fields(item.entries, log, line=item.line)
    for key, entry in item.entries.items():
        if key not in _DRAW_KEYS:
            log.error(
                entry.key_line,
                f"draw 规则不认识 {key}（可用：bank、tags、types、count）",
            )
    if not rule.has("count"):
        log.error(item.line, "draw 规则缺少 count")
    count = rule.integer("count", 1)
    bank = rule.ident("bank")
    types = _types(rule, log)
    tags = rule.strings("tags")
    if count is None or log.has_errors_since(before):
        return None
    return DrawRule(count=count, bank=bank, tags=tags, types=types, line=item.line)


def _types(rule: Fields, log: IssueLog) -> tuple[QuestionType, ...]:
    found: list[QuestionType] = []
    for name in rule.strings("types"):
        qtype = _TYPE_ALIASES.get(name) or next(
            (t for t in QUESTION_TYPES if t == name), None
        )
        if qtype is None:
            log.error(
                rule.line_of("types"),
                f"types 不认识 {name}（可用：single、multiple、truefalse、fill）",
            )
        else:
            found.append(qtype)
    return tuple(dict.fromkeys(found))
