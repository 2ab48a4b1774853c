"""The score card (400x210) and the social preview (1200x630), as SVG.

Text is drawn as glyph outlines from the bundled DejaVu data, like the badges, so a card
looks the same where DejaVu is not installed (``<text>`` only for characters without an
outline). Themes: ``light`` and ``dark`` each carry a 1 px border that shows on white and
on dark pages; ``transparent`` (a mid grey that reads on both) and ``auto`` (light or dark
by ``prefers-color-scheme``, CSS inside the SVG). Blocks without data are left out, not
drawn empty. Text colours meet WCAG 4.5:1 against their background in every theme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._measure import layout, truncate, units_per_em, wrap
from ._xml import Element, Trusted, clean_text, fmt_num

WIDTH, HEIGHT = 400, 210
OG_SCALE = 3  # og.png is the social card at 3x: 1200x630
FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"

#: theme → (background or None, text, muted text, line, border)
THEMES: dict[str, tuple[str | None, str, str, str, str]] = {
    "light": ("#ffffff", "#1f2328", "#57606a", "#1f6feb", "#d0d7de"),
    "dark": ("#0d1117", "#e6edf3", "#9da7b3", "#58a6ff", "#3d444d"),
    "transparent": (None, "#767676", "#767676", "#767676", "#767676"),
}
CARD_THEMES = (*THEMES, "auto")


def _text(content: str, x: float, y: float, size: float, role: str, fill: str, *, bold: bool = False) -> Element | Trusted:
    """``content`` with its left edge at ``x`` and baseline ``y``, as outlines when it can be."""
    _, paths, runs = layout(content, bold)
    if runs:  # a character without a bundled outline: the viewer's fonts draw the whole text
        attrs = {"x": x, "y": y, "font-size": size, "font-family": FONT, "font-weight": "bold" if bold else None}
        return Element("text", {**attrs, "class": role, "fill": fill}, [content])
    k = size / units_per_em(bold)
    place = f"translate({fmt_num(x)} {fmt_num(y)}) scale({k:.6g} -{k:.6g})"
    return Trusted(f'<g class="{role}" fill="{fill}" transform="{place}">{paths}</g>')


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


def _line(d: str, stroke: str, width: float) -> Element:
    attrs = {"d": d, "fill": "none", "stroke": stroke, "stroke-width": width}
    return Element("path", {"class": "ln", **attrs, "stroke-linecap": "round", "stroke-linejoin": "round"})


def _frame(theme: str, radius: float) -> list[Element]:
    """Style (for ``auto``), background and border."""
    bg, _, _, _, border = THEMES["light" if theme == "auto" else theme]
    out = []
    if theme == "auto":
        light, dark = THEMES["light"], THEMES["dark"]

        def rules(t: tuple[str | None, str, str, str, str]) -> str:
            return f".bg{{fill:{t[0]};stroke:{t[4]}}}.fg{{fill:{t[1]}}}.mu{{fill:{t[2]}}}.ln{{stroke:{t[3]}}}"

        out.append(Element("style", {}, [rules(light) + "@media (prefers-color-scheme:dark){" + rules(dark) + "}"]))
    box = {"x": 0.5, "y": 0.5, "width": WIDTH - 1, "height": HEIGHT - 1, "rx": radius}
    out.append(Element("rect", {"class": "bg", **box, "fill": bg or "none", "stroke": border}))
    return out


def _check(score: int, theme: str) -> None:
    if theme not in CARD_THEMES:
        raise ValueError(f"unknown theme {theme!r}: expected one of {', '.join(CARD_THEMES)}")
    if not isinstance(score, int) or not 1 <= score <= 100:
        raise ValueError("score must be an integer from 1 to 100")


def _svg(children: list[Element | Trusted], accessible: str) -> str:
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "width": WIDTH,
        "height": HEIGHT,
        "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        "role": "img",
        "aria-label": accessible,
    }
    return Element("svg", attrs, [Element("title", {}, [accessible]), *children]).render()


def card(
    score: int, formula: str, topics: Sequence[str], trend: Sequence[float], *, theme: str = "light", label: str = "influence"
) -> str:
    """The score card as SVG text. ``trend`` is the last 90 days of scores, oldest first."""
    _check(score, theme)
    shown = [clean_text(t) for t in list(topics)[:3]]
    accessible = f"{clean_text(label)}: {score} out of 100 (formula {clean_text(formula)})"
    if shown:
        accessible += "; topics: " + ", ".join(shown)
    _, fg, muted, line, _ = THEMES["light" if theme == "auto" else theme]
    children: list[Element | Trusted] = [*_frame(theme, 10)]
    spark = _sparkline(list(trend), 190, 52 if shown else 60, 186, 46 if shown else 90)
    # Without trend or topics the score block is centred instead of leaving half the card empty.
    left = 24 if spark or shown else 136
    children += [
        _text(truncate(clean_text(label), 150, 14), left, 42, 14, "mu", muted),
        _text(str(score), left, 112, 64, "fg", fg, bold=True),
        _text("out of 100", left, 140, 12, "mu", muted),
    ]
    top = 42
    if spark:
        children += [_text("last 90 days", 190, 42, 12, "mu", muted), _line(spark, line, 2.5)]
        top = 126
    if shown:
        children.append(_text("topics", 190, top, 12, "mu", muted))
        for i, topic in enumerate(shown):
            children.append(_text(truncate(topic, 186, 14), 190, top + 20 + 19 * i, 14, "fg", fg))
    return _svg(children, accessible)


def _social_head(name: str) -> list[Element | Trusted]:
    """What every social preview starts with: opaque white edge to edge (platforms that
    flatten transparency would show black corners), a blue bar and the site's name over a rule."""
    _, fg, _, line, border = THEMES["light"]
    return [
        Element("rect", {"width": WIDTH, "height": HEIGHT, "fill": "#ffffff"}),
        Element("rect", {"width": 6, "height": HEIGHT, "fill": line}),
        _text(truncate(name, 350, 18, bold=True), 26, 38, 18, "fg", fg, bold=True),
        Element("line", {"x1": 26, "x2": WIDTH - 24, "y1": 52.5, "y2": 52.5, "stroke": border}),
    ]


def social_card(score: int, site: str, topics: Sequence[str], trend: Sequence[float], *, label: str = "influence") -> str:
    """The social preview (rendered at 3x to the 1200x630 ``og.png``): opaque edge to edge
    (platforms that flatten transparency would show black corners), with the site's name,
    the score and its trend."""
    _check(score, "light")
    name = clean_text(site) or clean_text(label)
    shown = [clean_text(t) for t in list(topics)[:3]]
    accessible = f"{name}: {clean_text(label)} score {score} out of 100"
    _, fg, muted, line, _ = THEMES["light"]
    children = [
        *_social_head(name),
        _text(truncate(f"{clean_text(label)} score", 150, 13), 26, 78, 13, "mu", muted),
        _text(str(score), 26, 146, 64, "fg", fg, bold=True),
        _text("out of 100", 26, 172, 13, "mu", muted),
    ]
    spark = _sparkline(list(trend), 196, 92, 180, 50)
    if spark:
        children += [_text("last 90 days", 196, 78, 13, "mu", muted), _line(spark, line, 3)]
    if shown:
        topic_line = truncate(" · ".join(shown), 180, 13)
        children += [_text("topics", 196, 168, 11, "mu", muted), _text(topic_line, 196, 186, 13, "fg", fg)]
    return _svg(children, accessible)


#: the post's title: (px, line step, most lines), the larger when the title fits it in two lines
TITLE_SIZES = ((28, 38, 2), (22, 30, 3))
TITLE_WIDTH = 350
BADGE_HEIGHT = 30  # the badge drawn at 1.5x (a taller style, smaller), below the title


def _title_lines(heading: str) -> tuple[float, float, list[str]]:
    for size, step, most in TITLE_SIZES:
        lines = wrap(heading, TITLE_WIDTH, size, bold=True, max_lines=most + 1)
        if len(lines) <= most:
            return size, step, lines
    return size, step, wrap(heading, TITLE_WIDTH, size, bold=True, max_lines=most)


def post_social_card(title: str, site: str, badge_svg: str, *, label: str = "influence", score: int | None = None) -> str:
    """A blog post's social preview (rendered at 3x like ``og.png``: 1200x630, opaque): the
    site's name, the post's title (two large lines, or three smaller, the last cut with an
    ellipsis; wrapped with the same text metrics as the badges) and the score badge
    (``badge_svg``, as :func:`badges.badge` made it, 30 px high)."""
    name = clean_text(site) or clean_text(label)
    heading = clean_text(title).strip() or name
    fg = THEMES["light"][1]
    size, step, lines = _title_lines(heading)
    children = _social_head(name)
    for i, text in enumerate(lines):
        children.append(_text(text, 26, 64 + size + step * i, size, "fg", fg, bold=True))
    found = re.match(r'<svg [^>]*?height="(\d+(?:\.\d+)?)"', badge_svg)
    if found is None:
        raise ValueError("badge_svg must be an SVG made by badges.badge")
    k = BADGE_HEIGHT / float(found.group(1))
    place = f"translate(26 {HEIGHT - 16 - BADGE_HEIGHT}) scale({k:.6g})"
    children.append(Trusted(f'<g transform="{place}">{badge_svg}</g>'))
    accessible = f"{heading} — {name}" + (f": {clean_text(label)} score {score} out of 100" if score is not None else "")
    return _svg(children, accessible)
