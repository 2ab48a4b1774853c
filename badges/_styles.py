"""The five shields.io badge styles, with shields' geometry so they sit in a row with theirs.

Pure functions: inputs are already validated (clean text, ``#rrggbb`` colours, a checked
logo URI); output is an :class:`~badges._xml.Element` tree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ._colors import text_color_for, text_colors
from ._measure import FONT_FAMILY, layout, outline_run, text_width, truncate, units_per_em
from ._xml import Element, Trusted, escape, fmt_num

SCALE = 10  # text is drawn at 10x and scaled down: more precise glyph placement
# Widths are measured without ligatures (fi, fl), so browsers must not form them either.
TEXT_STYLE = "font-variant-ligatures:none;font-feature-settings:'liga' 0,'clig' 0"
MAX_TEXT_PX = 320.0  # longer label/message text is cut with an ellipsis
LOGO_SIZE = 14


class Spec(NamedTuple):
    """A badge's validated inputs (a tuple: cheap to make on the hot path)."""

    label: str
    message: str
    color: str
    label_color: str
    logo: str | None
    ids: str  # suffix that keeps ids unique per badge


def _odd(width: float) -> int:
    """Round down to an integer, then up to odd: more chances of pixel-grid alignment."""
    w = int(width)
    return w if w % 2 else w + 1


def _svg(width: float, height: float, accessible: str, children: list[Element]) -> Element:
    attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "xmlns:xlink": "http://www.w3.org/1999/xlink",
        "width": width,
        "height": height,
        "viewBox": f"0 0 {width:g} {height:g}",
        "role": "img",
        "aria-label": accessible,
    }
    return Element("svg", attrs, [Element("title", {}, [accessible]), *children])


_STYLE_ATTR = escape(TEXT_STYLE)


def _svg_open(width: float, height: float, accessible: str) -> str:
    """The opening ``<svg>`` and its ``<title>``, as :func:`_svg` writes them."""
    shown = escape(accessible)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" '
        f'height="{height}" viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{shown}"><title>{shown}</title>'
    )


def accessible_text(label: str, message: str) -> str:
    return f"{label}: {message}" if label else message


def _logo(spec: Spec, x: float, height: float) -> list[Element]:
    if not spec.logo:
        return []
    attrs = {"x": x, "y": (height - LOGO_SIZE) / 2, "width": LOGO_SIZE, "height": LOGO_SIZE, "xlink:href": spec.logo}
    return [Element("image", attrs)]


@lru_cache(maxsize=4096)
def _spaced_markup(content: str, bold: bool, spacing_units: float) -> Trusted | None:
    """The ``<path>`` elements of a letter-spaced text run, from the bundled outlines
    (validated path data; the text itself never enters the markup)."""
    run = outline_run(content, bold, spacing_units)
    if run is None:
        return None
    return Trusted("".join(f'<path transform="translate({x:.0f})" d="{d}"/>' if x else f'<path d="{d}"/>' for x, d in run))


@lru_cache(maxsize=8)
def _scale(size: float, bold: bool) -> str:
    k = size / units_per_em(bold)
    return f"scale({k:.6g} -{k:.6g})"


def _glyph_text(run: str, left: str, y: str, shadow_y: str, scale: str, fill: str, shadow: str | None) -> str:
    """Glyph markup placed with its left edge at ``left`` and baseline ``y`` (formatted
    numbers), in ``fill``, with an optional shadow one pixel lower that readers skip."""
    shadowed = (
        f'<g transform="translate({left} {shadow_y}) {scale}" aria-hidden="true" fill="{shadow}" fill-opacity=".3">{run}</g>'
        if shadow
        else ""
    )
    return f'{shadowed}<g transform="translate({left} {y}) {scale}" fill="{fill}">{run}</g>'


def _text(
    content: str,
    x: float,
    y: float,
    length: float,
    fill: str,
    *,
    shadow: str | None = None,
    size: float = 11.0,
    bold: bool = False,
    spacing: float = 0.0,
) -> list[Trusted]:
    """Text centred on ``x`` with baseline ``y``: as glyph outlines when every character has
    one (identical in every renderer), else as ``<text>`` fitted with ``textLength``.
    Returns finished markup: glyph data is bundled, text goes through ``escape``."""
    if not content:
        return []
    if spacing:
        run = _spaced_markup(content, bold, round(spacing * units_per_em(bold) / size, 3))
        actual = text_width(content, size, bold) + spacing * (len(content) - 1)
    else:
        units, run = layout(content, bold)
        actual = units * size / units_per_em(bold)
    out = []
    if run is not None:
        left = fmt_num(x - actual / 2)
        return [Trusted(_glyph_text(run, left, fmt_num(y), fmt_num(y + 1), _scale(size, bold), fill, shadow))]
    common = {"x": x * SCALE, "transform": "scale(.1)", "textLength": length * SCALE, "lengthAdjust": "spacing"}
    weight = {"font-weight": "bold"} if bold else {}
    if shadow:
        attrs = {"aria-hidden": "true", **common, "y": (y + 1) * SCALE, "fill": shadow, "fill-opacity": ".3", **weight}
        out.append(Trusted(Element("text", attrs, [content]).render()))
    out.append(Trusted(Element("text", {**common, "y": y * SCALE, "fill": fill, **weight}, [content]).render()))
    return out


@dataclass(frozen=True)
class _Classic:
    """What differs between flat, flat-square and plastic, with its markup made once."""

    height: int
    rx: int | None
    stops: str  # <stop> elements of the gloss gradient; "" for none (no gloss, no shadow)
    baseline: float
    y: str = ""  # the baseline, and the shadow's one pixel lower, formatted
    shadow_y: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "y", fmt_num(self.baseline))
        object.__setattr__(self, "shadow_y", fmt_num(self.baseline + 1))


def _stops(gradient: list[tuple[str, str, str]]) -> str:
    return "".join(f'<stop offset="{o}" stop-color="{c}" stop-opacity="{a}"/>' for o, c, a in gradient)


def _fitted(text: str, size: float = 11.0, bold: bool = False) -> tuple[str, float, str | None]:
    """``text`` cut to :data:`MAX_TEXT_PX`, its width in px and its glyph markup (or None)."""
    units, run = layout(text, bold)
    width = units * size / units_per_em(bold)
    if width > MAX_TEXT_PX:
        text = truncate(text, MAX_TEXT_PX, size, bold)
        units, run = layout(text, bold)
        width = units * size / units_per_em(bold)
    return text, width, run


def _classic(spec: Spec, kind: _Classic) -> str:
    """flat, flat-square and plastic: two rectangles, centred text, optional gloss.

    The hot path of the badge benchmark, so it is assembled as one template rather than an
    Element tree, and each text is measured and laid out once. Every value in it is a
    number, a validated colour or id, bundled glyph markup, or text that went through
    :func:`escape` — still one escaping point.
    """
    pad, height = 5, kind.height
    label, label_px, label_run = _fitted(spec.label)
    message, message_px, message_run = _fitted(spec.message)
    logo_w = LOGO_SIZE + 3 if spec.logo else 0
    has_left = bool(label) or bool(spec.logo)
    label_w = _odd(label_px) if label else 0
    left = label_w + 2 * pad + logo_w if has_left else 0
    message_w = _odd(message_px)
    right = message_w + 2 * pad
    width = left + right
    label_bg = spec.label_color if has_left else spec.color
    ids = spec.ids
    out = [_svg_open(width, height, accessible_text(spec.label, spec.message))]
    if kind.stops:
        out.append(
            f'<linearGradient id="s{ids}" x2="0" y2="100%">{kind.stops}</linearGradient>'
            f'<clipPath id="r{ids}"><rect width="{width}" height="{height}" rx="{kind.rx}" fill="#fff"/></clipPath>'
            f'<g clip-path="url(#r{ids})"><rect width="{left}" height="{height}" fill="{label_bg}"/>'
            f'<rect x="{left}" width="{right}" height="{height}" fill="{spec.color}"/>'
            f'<rect width="{width}" height="{height}" fill="url(#s{ids})"/>'
        )
    else:
        out.append(
            f'<g shape-rendering="crispEdges"><rect width="{left}" height="{height}" fill="{label_bg}"/>'
            f'<rect x="{left}" width="{right}" height="{height}" fill="{spec.color}"/>'
        )
    out.append(_CLASSIC_TEXT_OPEN)
    if spec.logo:
        out += [e.render() for e in _logo(spec, pad, height)]
    label_x = logo_w + 1 + pad + label_w / 2
    message_x = left - 1 + pad + message_w / 2 if left else 1 + pad + message_w / 2
    scale = _scale(11.0, False)
    for content, x, px, run, bg in (
        (label, label_x, label_px, label_run, label_bg),
        (message, message_x, message_px, message_run, spec.color),
    ):
        if not content:
            continue
        fill, shadow = text_colors(bg)
        if not kind.stops:
            shadow = None
        if run is None:
            out += _text(content, x, kind.baseline, _odd(px), fill, shadow=shadow)
            continue
        out.append(_glyph_text(run, fmt_num(x - px / 2), kind.y, kind.shadow_y, scale, fill, shadow))
    out.append("</g></svg>")
    return "".join(out)


_CLASSIC_TEXT_OPEN = f'</g><g text-anchor="middle" font-family="{FONT_FAMILY}" font-size="110" style="{_STYLE_ATTR}">'
_FLAT = _Classic(20, 3, _stops([("0", "#bbb", ".1"), ("1", "#000", ".1")]), 14)
_FLAT_SQUARE = _Classic(20, None, "", 14)
_PLASTIC = _Classic(18, 4, _stops([("0", "#fff", ".7"), (".1", "#aaa", ".1"), (".9", "#000", ".3"), ("1", "#000", ".5")]), 13)


def flat(spec: Spec) -> str:
    return _classic(spec, _FLAT)


def flat_square(spec: Spec) -> str:
    return _classic(spec, _FLAT_SQUARE)


def plastic(spec: Spec) -> str:
    return _classic(spec, _PLASTIC)


def for_the_badge(spec: Spec) -> Element:
    """Tall, upper-case, letter-spaced; message in bold."""
    size, height, margin, spacing = 10.0, 28, 12, 1.25
    label = truncate(spec.label.upper(), MAX_TEXT_PX, size)
    message = truncate(spec.message.upper(), MAX_TEXT_PX, size, bold=True)
    label_w = math.ceil(text_width(label, size) + spacing * len(label)) if label else 0
    message_w = math.ceil(text_width(message, size, bold=True) + spacing * len(message))
    logo_w = LOGO_SIZE + 6 if spec.logo else 0
    has_left = bool(label) or bool(spec.logo)
    left = (margin + logo_w + label_w + margin if label else 2 * 9 + LOGO_SIZE) if has_left else 0
    right = 2 * margin + message_w
    width = left + right
    layers = [Element("rect", {"x": left, "width": right, "height": height, "fill": spec.color})]
    if has_left:
        layers.insert(0, Element("rect", {"width": left, "height": height, "fill": spec.label_color}))
    foreground = [
        *_logo(spec, 9, height),
        *_text(label, margin + logo_w + label_w / 2, 17.5, label_w, text_color_for(spec.label_color), size=size, spacing=spacing),
        *_text(
            message,
            left + margin + message_w / 2,
            17.5,
            message_w,
            text_color_for(spec.color),
            size=size,
            bold=True,
            spacing=spacing,
        ),
    ]
    fg_attrs = {"text-anchor": "middle", "font-family": FONT_FAMILY, "font-size": "100", "style": TEXT_STYLE}
    body = [Element("g", {"shape-rendering": "crispEdges"}, layers), Element("g", fg_attrs, foreground)]
    return _svg(width, height, accessible_text(label, message), body)


def social(spec: Spec) -> Element:
    """GitHub-like: a light label button and a speech-bubble count."""
    height, inner = 20, 19
    label_text = spec.label[:1].upper() + spec.label[1:]
    label = truncate(label_text, MAX_TEXT_PX, bold=True)
    message = truncate(spec.message, MAX_TEXT_PX, bold=True)
    logo_w = LOGO_SIZE + 3 if spec.logo else 0
    label_w = _odd(text_width(label, bold=True))
    message_w = _odd(text_width(message, bold=True)) if message else 0
    label_rect = label_w + logo_w + 10
    message_rect = message_w + 8
    gutter = 6
    width = label_rect + 1 + (gutter + message_rect if message else 0)
    grad = Element(
        "linearGradient",
        {"id": f"a{spec.ids}", "x2": "0", "y2": "100%"},
        [
            Element("stop", {"offset": "0", "stop-color": "#fcfcfc", "stop-opacity": "0"}),
            Element("stop", {"offset": "1", "stop-opacity": ".1"}),
        ],
    )
    shapes = [
        Element("rect", {"stroke": "none", "fill": "#fcfcfc", "x": 0.5, "y": 0.5, "width": label_rect, "height": inner, "rx": 2}),
        Element("rect", {"fill": f"url(#a{spec.ids})", "x": 0.5, "y": 0.5, "width": label_rect, "height": inner, "rx": 2}),
    ]
    if message:
        bx = label_rect + gutter + 0.5
        shapes += [
            Element("rect", {"x": bx, "y": 0.5, "width": message_rect, "height": inner, "rx": 2, "fill": "#fafafa"}),
            Element("path", {"d": f"M{bx:g} 6.5 l-3 3v1 l3 3", "stroke": "#d5d5d5", "fill": "#fafafa"}),
        ]
    foreground = [
        *_text(label, logo_w + 5 + label_w / 2, 14, label_w, "#333333", shadow="#ffffff", bold=True),
        *_text(message, label_rect + gutter + message_rect / 2, 14, message_w, "#333333", shadow="#ffffff", bold=True),
    ]
    fg_attrs = {
        "text-anchor": "middle",
        "font-family": FONT_FAMILY,
        "font-weight": "700",
        "font-size": "110",
        "style": TEXT_STYLE,
    }
    body = [grad, Element("g", {"stroke": "#d5d5d5"}, shapes), *_logo(spec, 5, height), Element("g", fg_attrs, foreground)]
    return _svg(width, height, accessible_text(label_text, spec.message), body)


STYLES: dict[str, Callable[[Spec], str]] = {
    "flat": flat,
    "flat-square": flat_square,
    "plastic": plastic,
    "for-the-badge": lambda spec: for_the_badge(spec).render(),
    "social": lambda spec: social(spec).render(),
}
