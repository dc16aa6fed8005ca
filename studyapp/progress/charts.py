"""PURE: numbers → geometry for small server-rendered SVG charts (no JS library)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str
    highlight: bool


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    #: y of the goal line, or None.
    goal_y: float | None
    max_value: float


def bar_chart(
    values: list[float],
    labels: list[str],
    *,
    goal: float | None = None,
    width: int = 320,
    height: int = 120,
    highlight: list[bool] | None = None,
) -> BarChart:
    """Bars scaled to the larger of the biggest value and the goal (with headroom)."""
    top = max([*values, goal or 0, 1]) * 1.1
    step = width / max(len(values), 1)
    bars = [
        Bar(
            x=round(i * step + step * 0.15, 2),
            y=round(height - v / top * height, 2),
            width=round(step * 0.7, 2),
            height=round(v / top * height, 2),
            value=v,
            label=labels[i],
            highlight=bool(highlight and highlight[i]),
        )
        for i, v in enumerate(values)
    ]
    goal_y = round(height - goal / top * height, 2) if goal else None
    return BarChart(width, height, bars, goal_y, top)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    #: SVG ``points`` strings, one per unbroken run (a missing day breaks it).
    lines: list[str]
    points: list[Point]
    top: float


def line_chart(
    values: list[float | None],
    labels: list[str],
    *,
    top: float | None = None,
    width: int = 320,
    height: int = 120,
) -> LineChart:
    """A line scaled to ``top`` (default: the largest value with headroom);
    ``None`` values leave a gap."""
    top = top or max([v for v in values if v is not None] + [1]) * 1.1
    step = width / max(len(values) - 1, 1)
    points: list[Point] = []
    lines: list[str] = []
    run: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            lines, run = lines + ([" ".join(run)] if run else []), []
            continue
        p = Point(round(i * step, 2), round(height - v / top * height, 2), v, labels[i])
        points.append(p)
        run.append(f"{p.x},{p.y}")
    if run:
        lines.append(" ".join(run))
    return LineChart(width, height, lines, points, top)
