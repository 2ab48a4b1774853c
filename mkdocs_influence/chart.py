"""History charts as inline SVG: no JavaScript, no external assets.

Axes and labels use ``currentColor`` so a chart follows the page's light or dark theme;
reconstructed stretches are dashed; each formula has its own line and a formula change
gets a labelled marker, so old and new lines can be compared where they overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from badges._xml import Element, fmt_num

LINE_COLORS = ("#1f6feb", "#c2410c", "#1d7a55", "#6f42c1")


class _Frame:
    """Maps (date, value) to pixels inside a chart of the given size."""

    def __init__(self, first: dt.date, last: dt.date, top: float, width: float, height: float) -> None:
        self.first, self.span, self.top = first, float((last - first).days), top
        self.left, self.right, self.upper, self.bottom = 36.0, 12.0, 12.0, 26.0
        self.width, self.height = width, height

    def x(self, day: dt.date) -> float:
        inner = self.width - self.left - self.right
        return self.left + inner * ((day - self.first).days / self.span if self.span else 1.0)

    def y(self, value: float) -> float:
        inner = self.height - self.upper - self.bottom
        return self.upper + inner * (1 - min(value, self.top) / self.top)


def _runs(rows: Sequence[dict[str, Any]]) -> list[tuple[bool, list[dict[str, Any]]]]:
    """Consecutive rows with the same ``reconstructed`` flag; each run joined to the next."""
    runs: list[tuple[bool, list[dict[str, Any]]]] = []
    for row in rows:
        if runs and runs[-1][0] == row["reconstructed"]:
            runs[-1][1].append(row)
        else:
            if runs:
                runs[-1][1].append(row)  # bridge to the next run so the line is unbroken
            runs.append((row["reconstructed"], [row]))
    return runs


def _axes(frame: _Frame, ticks: Sequence[float], first: dt.date, last: dt.date) -> list[Element]:
    out = []
    for level in ticks:
        y = frame.y(level)
        grid = {
            "x1": frame.left,
            "x2": frame.width - frame.right,
            "y1": y,
            "y2": y,
            "stroke": "currentColor",
            "stroke-opacity": ".2",
        }
        out.append(Element("line", grid))
        out.append(Element("text", {"x": frame.left - 6, "y": y + 4, "text-anchor": "end"}, [fmt_num(level)]))
    out.append(Element("text", {"x": frame.left, "y": frame.height - 6}, [first.isoformat()]))
    out.append(Element("text", {"x": frame.width - frame.right, "y": frame.height - 6, "text-anchor": "end"}, [last.isoformat()]))
    return out


def _svg(title: str, width: float, height: float, children: list[Element], css_class: str) -> str:
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {fmt_num(width)} {fmt_num(height)}",
        "role": "img",
        "aria-label": title,
        "class": css_class,
        "font-size": "11",
        "font-family": "system-ui,sans-serif",
        "fill": "currentColor",
        "style": f"width:100%;height:auto;max-width:{fmt_num(width)}px",
    }
    return Element("svg", attrs, [Element("title", {}, [title]), *children]).render()


def _window(history: Sequence[dict[str, Any]], days: int | None) -> list[dict[str, Any]]:
    if not history or days is None:
        return list(history)
    last = max(dt.date.fromisoformat(r["date"]) for r in history)
    start = (last - dt.timedelta(days=days)).isoformat()
    return [r for r in history if r["date"] >= start]


def score_chart(history: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]] = (), days: int | None = None) -> str:
    """The score over time (all of it, or the last ``days``), one line per formula."""
    rows = _window(history, days)
    if not rows:
        return ""
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    first, last = min(dates), max(dates)
    frame = _Frame(first, last, 100.0, 720.0, 240.0)
    children = _axes(frame, (0, 25, 50, 75, 100), first, last)
    formulas = sorted({r["formula"] for r in rows}, key=lambda f: (min(r["date"] for r in rows if r["formula"] == f), f))
    for i, formula in enumerate(formulas):
        color = LINE_COLORS[i % len(LINE_COLORS)]
        mine = [r for r in rows if r["formula"] == formula]
        for reconstructed, run in _runs(mine):
            d = " ".join(
                f"{'M' if j == 0 else 'L'}{fmt_num(frame.x(dt.date.fromisoformat(r['date'])))} {fmt_num(frame.y(r['value']))}"
                for j, r in enumerate(run)
            )
            dash = "5 4" if reconstructed else None
            label = f"formula {formula}" + (" (reconstructed)" if reconstructed else "")
            attrs = {"d": d, "fill": "none", "stroke": color, "stroke-width": "2", "stroke-dasharray": dash}
            children.append(Element("path", attrs, [Element("title", {}, [label])]))
        end = mine[-1]
        cx, cy = frame.x(dt.date.fromisoformat(end["date"])), frame.y(end["value"])
        children.append(Element("circle", {"cx": cx, "cy": cy, "r": "3.5", "fill": color}))
        if len(formulas) > 1:
            children.append(Element("text", {"x": cx - 4, "y": cy - 6, "text-anchor": "end", "fill": color}, [formula]))
    for change in changes:
        day = dt.date.fromisoformat(change["since"])
        if first <= day <= last:
            x = frame.x(day)
            marker = {
                "x1": x,
                "x2": x,
                "y1": frame.upper,
                "y2": frame.height - frame.bottom,
                "stroke": "currentColor",
                "stroke-dasharray": "2 3",
            }
            children.append(Element("line", marker))
            children.append(
                Element("text", {"x": x + 4, "y": frame.upper + 10}, [f"formula {change['formula']} from {day.isoformat()}"])
            )
    span = "all time" if days is None else f"last {days} days"
    title = f"Influence score, {span}: {first.isoformat()} to {last.isoformat()}"
    return _svg(title, frame.width, frame.height, children, "influence-chart")


def component_chart(history: Sequence[dict[str, Any]], name: str, max_points: float, formula: str) -> str:
    """A small chart of one component's points over time (current formula only)."""
    rows = [r for r in history if r["formula"] == formula]
    if not rows:
        return ""
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    first, last = min(dates), max(dates)
    frame = _Frame(first, last, max(max_points, 1.0), 240.0, 110.0)
    children = _axes(frame, (0, max_points), first, last)
    d = " ".join(
        f"{'M' if j == 0 else 'L'}{fmt_num(frame.x(day))} {fmt_num(frame.y(r['components'][name]))}"
        for j, (day, r) in enumerate(zip(dates, rows, strict=True))
    )
    children.append(Element("path", {"d": d, "fill": "none", "stroke": LINE_COLORS[0], "stroke-width": "1.5"}))
    title = f"{name} points over time, {first.isoformat()} to {last.isoformat()}"
    return _svg(title, frame.width, frame.height, children, "influence-spark")
