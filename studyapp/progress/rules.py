"""PURE: point rules and the daily goal, in one configurable place (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    points: int  #: points per occurrence
    daily_cap: int | None  #: most points from this rule per study day


#: The default point rules. Override any of them with the ``POINT_RULES`` setting,
#: e.g. ``STUDYAPP_POINT_RULES='{"lesson_finished": [1, 6]}'`` ([points, cap]).
DEFAULT_RULES: dict[str, Rule] = {
    "lesson_finished": Rule(1, 6),  # a lesson read for its expected time
    "study_minutes": Rule(1, 6),  # each 5 credited minutes
    "daily_quiz": Rule(1, 5),  # per correct answer in the daily quiz
    "quiz": Rule(1, None),  # weekly/special/exam: the quiz's points × score
    "review_right": Rule(1, 3),  # a 错题本 review answered right
    "book_finished": Rule(5, None),  # the month's finished book (once a month)
}
MINUTES_PER_POINT = 5
#: A lesson counts as finished after this share of its expected minutes.
FINISH_SHARE = 0.8


def rules_from_config(overrides: dict[str, list[int | None]] | None) -> dict[str, Rule]:
    """DEFAULT_RULES with ``{rule: [points, cap]}`` overrides applied."""
    rules = dict(DEFAULT_RULES)
    for name, (points, cap) in (overrides or {}).items():
        if name not in rules:
            raise ValueError(f"unknown point rule {name!r}")
        rules[name] = Rule(int(points), None if cap is None else int(cap))
    return rules


def capped(points: int, earned_today: int, rule: Rule) -> int:
    """Points still allowed today under the rule's cap (never negative)."""
    if rule.daily_cap is None:
        return max(points, 0)
    return max(min(points, rule.daily_cap - earned_today), 0)


def goal_met(
    *,
    study_seconds: int,
    goal_minutes: int,
    tracking: bool,
    lessons_opened: int,
    daily_quiz_done: bool,
) -> bool:
    """The daily goal: credited minutes, or (time tracking off) a lesson plus the
    daily quiz."""
    if tracking:
        return study_seconds >= goal_minutes * 60
    return lessons_opened >= 1 and daily_quiz_done
