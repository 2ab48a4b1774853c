"""The score-history chart as inline SVG: no JavaScript, no external assets.

Axis and text use ``currentColor`` so the chart follows the page's light or dark theme;
reconstructed weeks are drawn dashed; each formula has its own line and a formula
change gets a labelled marker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from badges._xml import Element, fmt_num

WIDTH, HEIGHT = 720.0, 240.0
LEFT, RIGHT, TOP, BOTTOM = 36.0, 12.0, 12.0, 28.0
LINE_COLORS = ("#1f6feb", "#b35900", "#1d7a55", "#6f42c1")


def _points(rows: Sequence[dict[str, Any]], first: dt.date, span: float) -> list[tuple[float, float]]:
    out = []
    for row in rows:
        day = (dt.date.fromisoformat(row["date"]) - first).days
        x = LEFT + (WIDTH - LEFT - RIGHT) * (day / span if span else 1.0)
        y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - row["value"] / 100.0)
        out.append((x, y))
    return out


def _path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{fmt_num(x)} {fmt_num(y)}" for i, (x, y) in enumerate(points))


def score_chart(history: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]] = (), title: str = "Score history") -> str:
    """An SVG line chart of ``history`` rows (date, formula, value, reconstructed)."""
    if not history:
        return ""
    dates = [dt.date.fromisoformat(r["date"]) for r in history]
    first, last = min(dates), max(dates)
    span = float((last - first).days)
    children: list[Element] = [Element("title", {}, [title])]
    plot_h = HEIGHT - TOP - BOTTOM
    for level in (0, 25, 50, 75, 100):
        y = TOP + plot_h * (1 - level / 100)
        children.append(
            Element(
                "line", {"x1": LEFT, "x2": WIDTH - RIGHT, "y1": y, "y2": y, "stroke": "currentColor", "stroke-opacity": ".15"}
            )
        )
        children.append(Element("text", {"x": LEFT - 6, "y": y + 4, "text-anchor": "end"}, [str(level)]))
    children.append(Element("text", {"x": LEFT, "y": HEIGHT - 8}, [first.isoformat()]))
    children.append(Element("text", {"x": WIDTH - RIGHT, "y": HEIGHT - 8, "text-anchor": "end"}, [last.isoformat()]))
    formulas = sorted({r["formula"] for r in history}, key=lambda f: min(r["date"] for r in history if r["formula"] == f))
    for i, formula in enumerate(formulas):
        rows = [r for r in history if r["formula"] == formula]
        color = LINE_COLORS[i % len(LINE_COLORS)]
        recon = [r for r in rows if r["reconstructed"]]
        real = [r for r in rows if not r["reconstructed"]]
        if recon and real:
            recon = recon + real[:1]  # join the dashed part to the solid one
        for part, dash in ((recon, "4 3"), (real, None)):
            if part:
                attrs = {
                    "d": _path(_points(part, first, span)),
                    "fill": "none",
                    "stroke": color,
                    "stroke-width": "2",
                    "stroke-dasharray": dash,
                }
                children.append(Element("path", attrs, [Element("title", {}, [f"formula {formula}"])]))
        lx, ly = _points(rows[-1:], first, span)[0]
        children.append(Element("circle", {"cx": lx, "cy": ly, "r": "3", "fill": color}))
    for change in changes:
        x, _ = _points([{"date": change["since"], "value": 0}], first, span)[0]
        children.append(
            Element(
                "line", {"x1": x, "x2": x, "y1": TOP, "y2": HEIGHT - BOTTOM, "stroke": "currentColor", "stroke-dasharray": "2 2"}
            )
        )
        children.append(Element("text", {"x": x + 3, "y": TOP + 10}, [f"formula {change['formula']}"]))
    svg = Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {fmt_num(WIDTH)} {fmt_num(HEIGHT)}",
            "role": "img",
            "aria-label": f"{title}, {first.isoformat()} to {last.isoformat()}",
            "class": "influence-chart",
            "font-size": "11",
            "fill": "currentColor",
            "style": "width:100%;height:auto;max-width:720px",
        },
        children,
    )
    return svg.render()
