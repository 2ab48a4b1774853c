"""The score card: score, 90-day trend, top topics and formula id, in four themes.

400x210 px, so that a 3x render is exactly the 1200x630 social preview (``og.png``).
Themes: ``light``, ``dark``, ``transparent`` (a mid grey that reads on white and black)
and ``auto`` (light or dark by ``prefers-color-scheme``, via CSS inside the SVG). Text
colours meet WCAG 4.5:1 against their background in every theme.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._measure import truncate
from ._xml import Element, clean_text, fmt_num

WIDTH, HEIGHT = 400, 210
FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"

#: theme → (background or None, text, muted text, line)
THEMES: dict[str, tuple[str | None, str, str, str]] = {
    "light": ("#ffffff", "#1f2328", "#57606a", "#1f6feb"),
    "dark": ("#0d1117", "#e6edf3", "#9da7b3", "#58a6ff"),
    "transparent": (None, "#767676", "#767676", "#767676"),
}
CARD_THEMES = (*THEMES, "auto")


def _sparkline(values: Sequence[float], x: float, y: float, w: float, h: float) -> str:
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    spread = max(hi - lo, 5.0)  # a flat line stays flat-looking, not noise blown up
    mid = (hi + lo) / 2
    points = []
    for i, v in enumerate(values):
        px = x + w * i / (len(values) - 1)
        py = y + h / 2 - (v - mid) / spread * h
        points.append(f"{'M' if i == 0 else 'L'}{fmt_num(px)} {fmt_num(py)}")
    return " ".join(points)


def card(
    score: int, formula: str, topics: Sequence[str], trend: Sequence[float], *, theme: str = "light", label: str = "influence"
) -> str:
    """The score card as SVG text. ``trend`` is the last 90 days of scores, oldest first."""
    if theme not in CARD_THEMES:
        raise ValueError(f"unknown theme {theme!r}: expected one of {', '.join(CARD_THEMES)}")
    if not isinstance(score, int) or not 1 <= score <= 100:
        raise ValueError("score must be an integer from 1 to 100")
    label_text = truncate(clean_text(label), 150, 14)
    topic_lines = [truncate(clean_text(t), 190, 14) for t in list(topics)[:3]]
    accessible = f"{clean_text(label)}: {score} (formula {clean_text(formula)})"
    if topics:
        accessible += "; topics: " + ", ".join(clean_text(t) for t in list(topics)[:3])
    bg, fg, muted, line = THEMES["light" if theme == "auto" else theme]
    children: list[Element] = [Element("title", {}, [accessible])]
    if theme == "auto":
        d_bg, d_fg, d_muted, d_line = THEMES["dark"]
        css = (
            f".bg{{fill:{bg}}}.fg{{fill:{fg}}}.mu{{fill:{muted}}}.ln{{stroke:{line}}}"
            "@media (prefers-color-scheme:dark){"
            f".bg{{fill:{d_bg}}}.fg{{fill:{d_fg}}}.mu{{fill:{d_muted}}}.ln{{stroke:{d_line}}}}}"
        )
        children.append(Element("style", {}, [css]))
    if bg is not None:
        children.append(Element("rect", {"class": "bg", "width": WIDTH, "height": HEIGHT, "rx": 10, "fill": bg}))
    else:
        children.append(
            Element(
                "rect", {"width": WIDTH - 1, "height": HEIGHT - 1, "x": 0.5, "y": 0.5, "rx": 10, "fill": "none", "stroke": muted}
            )
        )
    text = {"font-family": FONT}
    children += [
        Element("text", {**text, "class": "mu", "x": 24, "y": 42, "font-size": 14, "fill": muted}, [label_text]),
        Element(
            "text", {**text, "class": "fg", "x": 24, "y": 112, "font-size": 64, "font-weight": "bold", "fill": fg}, [str(score)]
        ),
        Element(
            "text", {**text, "class": "mu", "x": 24, "y": 140, "font-size": 12, "fill": muted}, [f"formula {clean_text(formula)}"]
        ),
        Element("text", {**text, "class": "mu", "x": 190, "y": 42, "font-size": 12, "fill": muted}, ["last 90 days"]),
    ]
    spark = _sparkline(list(trend), 190, 52, 186, 46)
    if spark:
        children.append(
            Element(
                "path",
                {
                    "class": "ln",
                    "d": spark,
                    "fill": "none",
                    "stroke": line,
                    "stroke-width": 2.5,
                    "stroke-linecap": "round",
                    "stroke-linejoin": "round",
                },
            )
        )
    if topic_lines:
        children.append(Element("text", {**text, "class": "mu", "x": 190, "y": 126, "font-size": 12, "fill": muted}, ["topics"]))
        for i, topic in enumerate(topic_lines):
            children.append(
                Element("text", {**text, "class": "fg", "x": 190, "y": 146 + 19 * i, "font-size": 14, "fill": fg}, [topic])
            )
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "width": WIDTH,
        "height": HEIGHT,
        "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        "role": "img",
        "aria-label": accessible,
    }
    return Element("svg", attrs, children).render()
