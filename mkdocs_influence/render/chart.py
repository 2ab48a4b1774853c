"""History charts as inline SVG: no JavaScript, no external assets.

A chart has no ``viewBox``: x positions are percentages of its width and y positions and
text sizes are pixels, so it fills any column while its labels stay 12 px on a phone (a
scaled drawing would shrink them to 5 px). The y-range is fitted to the data with round
ticks; several dates label the x-axis; every point carries its value in an SVG
``<title>`` (shown on hover and read by screen readers, no script). Axes and labels use
``currentColor`` so a chart follows the page's light or dark theme; reconstructed
stretches are dashed with hollow points; a formula change gets a labelled marker, and
each post that moved the score a dot on the axis at its date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from typing import Any

from badges._xml import Element, fmt_num

from ..wording import MONTHS, day_label

#: at least 3:1 against white, Material's slate (#1e2129) and a dark page (#0d1117): WCAG 1.4.11
LINE_COLORS = ("#2f81f7", "#d9480f", "#2b8a3e", "#8250df")
MAX_POINTS = 120  # a longer window is thinned to this many points (every week is in history.csv)
FONT_PX = 12
MOVED_COLOR = "#e3b341"  # a gold dot, outlined in the text colour: seen on light and dark pages


def formula_name(formula: str) -> str:
    """``v1`` → ``version 1``; other ids are shown as they are."""
    return f"version {formula[1:]}" if formula[:1] == "v" and formula[1:].isdigit() else formula


def nice_range(values: Sequence[float], *, floor: float = 0.0, ceiling: float = 100.0, min_span: float = 2.0) -> list[float]:
    """Round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ; three to six of them) that enclose ``values``:
    the y-axis fitted to the data, never beyond ``floor``–``ceiling``. Labelled by :func:`tick_labels`."""
    lo, hi = min(values), max(values)
    if hi - lo < min_span:
        mid = (hi + lo) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    raw = (hi - lo) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = max(floor, math.floor(lo / step) * step)
    end = max(start + step, min(ceiling, math.ceil(hi / step) * step))
    count = round((end - start) / step)
    return [round(start + i * step, 6) for i in range(count + 1)]


class _Frame:
    """Maps (date, value) to (percent of the width, pixels from the top)."""

    def __init__(self, first: dt.date, last: dt.date, ticks: Sequence[float], height: float, left: float = 9.0) -> None:
        self.first, self.span = first, float((last - first).days)
        self.lo, self.hi = ticks[0], ticks[-1]
        self.left, self.right, self.upper, self.bottom, self.height = left, 2.0, 10.0, 24.0, height

    def x(self, day: dt.date) -> str:
        share = (day - self.first).days / self.span if self.span else 1.0
        return f"{fmt_num(round(self.left + (100 - self.left - self.right) * share, 2))}%"

    def y(self, value: float) -> float:
        inner = self.height - self.upper - self.bottom
        share = (min(max(value, self.lo), self.hi) - self.lo) / ((self.hi - self.lo) or 1.0)
        return round(self.upper + inner * (1 - share), 1)


def _date_ticks(first: dt.date, last: dt.date, most: int) -> tuple[list[dt.date], bool]:
    """Round dates (week starts, month starts or years) inside the range, at most ``most``,
    and whether labels need the year."""
    span = (last - first).days
    if span <= 120:
        days = next(d for d in (7, 14, 28, 56) if span / d < most)
        start = first + dt.timedelta(days=(7 - first.weekday()) % 7)  # Mondays
        ticks = [start + dt.timedelta(days=i) for i in range(0, span + 1, days) if start + dt.timedelta(days=i) <= last]
        return ticks, first.year != last.year
    months = next(m for m in (1, 2, 3, 6, 12, 24, 60, 120) if span / (30.4 * m) < most)
    ticks, year, month = [], first.year, first.month
    while True:
        month += 1
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = dt.date(year, month, 1)
        if day > last:
            break
        if (year * 12 + month - 1) % months == 0:
            ticks.append(day)
    return ticks, True


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """The ticks as text, all with the fewest decimals that print every one exactly (a 2.5 × 10ⁿ
    step needs one more than its power: 0.25 is "0.25", never "0.2"), so each label reads back as its tick."""
    digits = next((d for d in range(7) if all(float(f"{t:.{d}f}") == t for t in ticks)), 6)
    return [f"{t:.{digits}f}" for t in ticks]


def _axes(frame: _Frame, ticks: Sequence[float], first: dt.date, last: dt.date, most_dates: int) -> list[Element]:
    out = []
    for level, text in zip(ticks, tick_labels(ticks), strict=True):
        y = frame.y(level)
        grid = {"x1": f"{fmt_num(frame.left)}%", "x2": f"{fmt_num(100 - frame.right)}%", "y1": y, "y2": y}
        out.append(Element("line", {**grid, "stroke": "currentColor", "stroke-opacity": ".25"}))
        label = {"x": f"{fmt_num(frame.left)}%", "dx": -5, "y": y + 4, "text-anchor": "end"}
        out.append(Element("text", label, [text]))
    days, with_year = _date_ticks(first, last, most_dates)
    if len(days) < 2:
        days = [first, last]
    for day in days:
        share = (day - first).days / ((last - first).days or 1)
        anchor = "start" if share < 0.08 else "end" if share > 0.92 else "middle"
        text = f"{MONTHS[day.month - 1]} {day.year}" if day.day == 1 and with_year else day_label(day, with_year)
        if day.day == 1 and day.month == 1 and with_year and (last - first).days > 5 * 365:
            text = str(day.year)
        out.append(Element("text", {"x": frame.x(day), "y": frame.height - 6, "text-anchor": anchor}, [text]))
    return out


def _svg(title: str, height: float, children: list[Element], css_class: str) -> str:
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "width": "100%",
        "height": fmt_num(height),
        "role": "img",
        "aria-label": title,
        "class": css_class,
        "font-size": str(FONT_PX),
        "font-family": "inherit",
        "fill": "currentColor",
        "style": "display:block;overflow:visible",
    }
    return Element("svg", attrs, [Element("title", {}, [title]), *children]).render()


def _window(history: Sequence[dict[str, Any]], days: int | None) -> list[dict[str, Any]]:
    if not history or days is None:
        return list(history)
    last = max(dt.date.fromisoformat(r["date"]) for r in history)
    start = (last - dt.timedelta(days=days)).isoformat()
    return [r for r in history if r["date"] >= start]


def _thin(rows: list[dict[str, Any]], total: int | None = None) -> list[dict[str, Any]]:
    """Every k-th row (the last always kept), so that a chart of ``total`` rows (default:
    these) draws at most :data:`MAX_POINTS`."""
    step = math.ceil((total or len(rows)) / MAX_POINTS)
    return rows if step <= 1 else rows[len(rows) - 1 :: -step][::-1]


def _series(frame: _Frame, rows: list[dict[str, Any]], value: Any, color: str, what: str) -> list[Element]:
    """One line (a ``<line>`` per segment: percentages need no path) and a dot per point
    whose ``<title>`` gives its value; reconstructed segments dashed, their points hollow."""
    solid: list[Element] = []
    dashed: list[Element] = []
    points = [(frame.x(dt.date.fromisoformat(r["date"])), frame.y(value(r)), r) for r in rows]
    for (x1, y1, _), (x2, y2, r) in itertools.pairwise(points):
        (dashed if r["reconstructed"] else solid).append(Element("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2}))
    out = []
    if solid:
        out.append(Element("g", {"stroke": color, "stroke-width": "2", "stroke-linecap": "round"}, solid))
    if dashed:
        attrs = {"stroke": color, "stroke-width": "2", "stroke-dasharray": "4 3"}
        out.append(Element("g", attrs, dashed))
    dots: list[Element] = []
    faint: list[Element] = []
    radius = "3" if len(points) <= 60 else "2"
    for x, y, r in points:
        note = " (reconstructed)" if r["reconstructed"] else ""
        title = f"Week ending {day_label(r['date'])}: {what} {fmt_num(round(value(r), 1))}{note}"
        (faint if r["reconstructed"] else dots).append(
            Element("circle", {"cx": x, "cy": y, "r": radius}, [Element("title", {}, [title])])
        )
    if faint:  # hollow (a transparent fill still takes the hover for the title)
        out.append(Element("g", {"fill": color, "fill-opacity": "0", "stroke": color, "stroke-width": "1.5"}, faint))
    if dots:
        out.append(Element("g", {"fill": color}, dots))
    return out


def _moved_marks(frame: _Frame, rows: list[dict[str, Any]], moved: Sequence[dict[str, Any]]) -> list[Element]:
    """A dot on the axis under each post that moved the score and a dotted stem up to the line in
    the week it first counts; the post's title and points in the mark's ``<title>``."""
    out = []
    for post in moved:
        day = dt.date.fromisoformat(post["date"])
        after = [r for r in rows if r["date"] >= post["date"]]
        if not after:
            continue
        x, base = frame.x(max(day, frame.first)), frame.height - frame.bottom  # a post just before the first row: at the axis
        top = frame.y(after[0]["value"])
        title = f"Moved the score: {post['title']}, published {day_label(day)} ({post['points']:+.1f} points now)"
        stem = {"x1": x, "x2": x, "y1": base, "y2": top, "stroke": "currentColor", "stroke-dasharray": "1 3"}
        dot = {"cx": x, "cy": base, "r": "4.5", "fill": MOVED_COLOR, "stroke": "currentColor", "stroke-width": "1"}
        children = [Element("title", {}, [title]), Element("line", stem), Element("circle", dot)]
        out.append(Element("g", {"class": "influence-moved-mark"}, children))
    return out


def score_chart(
    history: Sequence[dict[str, Any]],
    changes: Sequence[dict[str, Any]] = (),
    days: int | None = None,
    moved: Sequence[dict[str, Any]] = (),
) -> str:
    """The score over time (all of it, or the last ``days``), one line per formula; ``moved``
    (see :mod:`.moved`) marks the posts that moved the score."""
    rows = _window(history, days)
    if not rows:
        return ""
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    first, last = min(dates), max(dates)
    ticks = nice_range([r["value"] for r in rows])
    frame = _Frame(first, last, ticks, 240.0)
    children = _axes(frame, ticks, first, last, 5)
    formulas = sorted({r["formula"] for r in rows}, key=lambda f: (min(r["date"] for r in rows if r["formula"] == f), f))
    for i, formula in enumerate(formulas):
        mine = _thin([r for r in rows if r["formula"] == formula], len(rows))
        what = "score" if len(formulas) == 1 else f"score ({formula_name(formula)})"
        children += _series(frame, mine, lambda r: r["value"], LINE_COLORS[i % len(LINE_COLORS)], what)
    for change in changes:
        day = dt.date.fromisoformat(change["since"])
        if first <= day <= last:
            x = frame.x(day)
            marker = {"x1": x, "x2": x, "y1": frame.upper, "y2": frame.height - frame.bottom}
            children.append(Element("line", {**marker, "stroke": "currentColor", "stroke-dasharray": "2 3"}))
            late = (day - first).days > 0.6 * ((last - first).days or 1)
            label = {"x": x, "dx": -4 if late else 4, "y": frame.upper + 12, "text-anchor": "end" if late else "start"}
            children.append(Element("text", label, [f"formula {formula_name(change['formula'])} from {day_label(day)}"]))
    current = [r for r in rows if r["formula"] == formulas[-1]]
    children += _moved_marks(frame, current, moved)
    span = "all time" if days is None else f"last {days} days"
    low, high = min(r["value"] for r in rows), max(r["value"] for r in rows)
    title = (
        f"Influence score, {span}: {day_label(first)} to {day_label(last)}, "
        f"between {fmt_num(round(low, 1))} and {fmt_num(round(high, 1))}"
    )
    return _svg(title, frame.height, children, "influence-chart")


def component_chart(history: Sequence[dict[str, Any]], name: str, label: str, formula: str) -> str:
    """A small chart of one component's points over time (current formula only)."""
    rows = _thin([r for r in history if r["formula"] == formula])
    if not rows:
        return ""
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    first, last = min(dates), max(dates)
    ticks = nice_range([r["components"][name] for r in rows], min_span=1.0)
    ticks = [ticks[0], ticks[-1]] if len(ticks) > 3 else ticks
    frame = _Frame(first, last, ticks, 120.0, left=14.0)
    children = _axes(frame, ticks, first, last, 3)
    children += _series(frame, rows, lambda r: r["components"][name], LINE_COLORS[0], f"{label} points")
    title = f"{label} points over time, {day_label(first)} to {day_label(last)}"
    return _svg(title, frame.height, children, "influence-spark")
