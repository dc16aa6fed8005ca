"""PURE: streaks over Asia/Shanghai study days; the definition lives here only."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def current_streak(
    met: Collection[date], excused: Collection[date], today: date
) -> int:
    """Consecutive goal-met days ending today or yesterday.

    Today not yet met does not break the streak; a missed day does. An excused
    day (sick, travel) bridges the streak without adding to it. A made-up day
    (补学) is in ``met``.
    """
    day = today if today in met else today - timedelta(days=1)
    count = 0
    while day in met or day in excused:
        if day in met:
            count += 1
        day -= timedelta(days=1)
    return count


def best_streak(met: Collection[date], excused: Collection[date]) -> int:
    """The longest run of goal-met days (excused days bridge, as above)."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(met) | set(excused)):
        if previous is None or day - previous != timedelta(days=1):
            run = 0
        if day in met:
            run += 1
            best = max(best, run)
        previous = day
    return best
