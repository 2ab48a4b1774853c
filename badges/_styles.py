"""The five shields.io badge styles, with shields' geometry so they sit in a row with theirs.

Pure functions: inputs are already validated (clean text, ``#rrggbb`` colours, a checked
logo URI); output is SVG text. Each style is assembled as one template rather than an
Element tree (the badge hot path), and each text is measured and laid out once. Every value
in a template is a number, a validated colour or id, bundled glyph markup, or text that went
through :func:`~badges._xml.escape` — still one escaping point.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ._colors import text_colors
from ._measure import FONT_FAMILY, Layout, layout, truncate, units_per_em
from ._xml import Element, escape, fmt_num

SCALE = 10  # <text> is drawn at 10x and scaled down: more precise glyph placement
# Widths are measured without ligatures (fi, fl), so browsers must not form them either.
TEXT_STYLE = "font-variant-ligatures:none;font-feature-settings:'liga' 0,'clig' 0"
SOCIAL_FONT_FAMILY = "Helvetica Neue,Helvetica,Arial,sans-serif"  # shields' social font
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


_STYLE_ATTR = escape(TEXT_STYLE)


def _svg_open(width: float, height: float, accessible: str) -> str:
    """The opening ``<svg>`` and its ``<title>``."""
    shown = escape(accessible)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" '
        f'height="{height}" viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{shown}"><title>{shown}</title>'
    )


def accessible_text(label: str, message: str) -> str:
    return f"{label}: {message}" if label else message


def _logo(spec: Spec, x: float, height: float) -> str:
    if not spec.logo:
        return ""
    attrs = {"x": x, "y": (height - LOGO_SIZE) / 2, "width": LOGO_SIZE, "height": LOGO_SIZE, "xlink:href": spec.logo}
    return Element("image", attrs).render()


@lru_cache(maxsize=16)
def _num(value: float) -> str:
    """:func:`fmt_num` for the few baselines the styles use."""
    return fmt_num(value)


@lru_cache(maxsize=8)
def _scale(size: float, weight: str) -> str:
    k = size / units_per_em(weight)
    return f"scale({k:.6g} -{k:.6g})"


def _length_adjust(run: str) -> str:
    """How a ``<text>`` run is fitted to its measured width: by the spaces between letters,
    except in joined or cluster-shaped writing (Arabic, Hebrew with points, Indic, Thai: any
    right-to-left letter or combining mark), where gaps would break the joins; there the
    glyphs are scaled instead."""
    shaped = any(unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c) in ("Mn", "Mc") for c in run)
    return "spacingAndGlyphs" if shaped else "spacing"


def _draw(lay: Layout, left: float, y: float, fill: str, shadow: str | None, size: float = 11.0, weight: str = "regular") -> str:
    """Laid-out text with its left edge at ``left`` px and baseline ``y``, in ``fill``, with
    an optional shadow one pixel lower that readers skip. Outlined glyphs become one group of
    paths; each run left to the viewer's fonts becomes ``<text>`` fitted with ``textLength``
    to the width it was measured at, so the badge's geometry holds whatever font draws it."""
    units, paths, runs = lay
    if not runs:  # the common case: one group of outlines (and its shadow)
        scale, x = _scale(size, weight), fmt_num(left)
        if shadow:
            return (
                f'<g transform="translate({x} {_num(y + 1)}) {scale}" aria-hidden="true" fill="{shadow}" '
                f'fill-opacity=".3">{paths}</g><g transform="translate({x} {_num(y)}) {scale}" fill="{fill}">{paths}</g>'
            )
        return f'<g transform="translate({x} {_num(y)}) {scale}" fill="{fill}">{paths}</g>'
    out = [_draw(Layout(units, paths), left, y, fill, shadow, size, weight)] if paths else []
    if runs:
        k = size / units_per_em(weight)
        bold = ' font-weight="bold"' if weight != "regular" else ""
        for rx, rw, run in runs:
            common = (
                f'x="{fmt_num((left + (rx + rw / 2) * k) * SCALE)}" transform="scale(.1)" '
                f'textLength="{fmt_num(rw * k * SCALE)}" lengthAdjust="{_length_adjust(run)}"{bold}'
            )
            shown = escape(run)
            if shadow:
                out.append(
                    f'<text aria-hidden="true" {common} y="{_num((y + 1) * SCALE)}" fill="{shadow}" '
                    f'fill-opacity=".3">{shown}</text>'
                )
            out.append(f'<text {common} y="{_num(y * SCALE)}" fill="{fill}">{shown}</text>')
    return "".join(out)


@lru_cache(maxsize=16)
def _px_per_unit(size: float, weight: str) -> float:
    return size / units_per_em(weight)


def _fitted(text: str, size: float = 11.0, weight: str = "regular", spacing_px: float = 0.0) -> tuple[str, float, Layout]:
    """``text`` cut to :data:`MAX_TEXT_PX`, its drawn width in px and its layout."""
    k = _px_per_unit(size, weight)
    spacing = spacing_px / k if spacing_px else 0
    lay = layout(text, weight, spacing)
    if lay[0] * k > MAX_TEXT_PX:
        text = truncate(text, MAX_TEXT_PX, size, weight)
        lay = layout(text, weight, spacing)
    return text, lay[0] * k, lay


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


def _classic(spec: Spec, kind: _Classic) -> str:
    """flat, flat-square and plastic: two rectangles, centred text, optional gloss."""
    pad, height = 5, kind.height
    label, label_px, label_lay = _fitted(spec.label)
    message, message_px, message_lay = _fitted(spec.message)
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
        out.append(_logo(spec, pad, height))
    label_x = logo_w + 1 + pad + label_w / 2
    message_x = left - 1 + pad + message_w / 2 if left else 1 + pad + message_w / 2
    scale = _scale(11.0, "regular")
    for content, x, px, lay, bg in (
        (label, label_x, label_px, label_lay, label_bg),
        (message, message_x, message_px, message_lay, spec.color),
    ):
        if not content:
            continue
        fill, shadow = text_colors(bg)
        if lay[2]:  # runs left to <text>
            out.append(_draw(lay, x - px / 2, kind.baseline, fill, shadow if kind.stops else None))
            continue
        # The common case, inlined (the hot path): one group of outlines and, with gloss, its shadow.
        left_edge = fmt_num(x - px / 2)
        if kind.stops:
            out.append(
                f'<g transform="translate({left_edge} {kind.shadow_y}) {scale}" aria-hidden="true" fill="{shadow}" '
                f'fill-opacity=".3">{lay[1]}</g>'
            )
        out.append(f'<g transform="translate({left_edge} {kind.y}) {scale}" fill="{fill}">{lay[1]}</g>')
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


_FTB_OPEN = f'<g text-anchor="middle" font-family="{FONT_FAMILY}" font-size="100" style="{_STYLE_ATTR}">'


def for_the_badge(spec: Spec) -> str:
    """Tall, upper-case, letter-spaced (1.25 px); message in bold."""
    size, height, margin, spacing = 10.0, 28, 12, 1.25
    label, label_px, label_lay = _fitted(spec.label.upper(), size, "regular", spacing)
    message, message_px, message_lay = _fitted(spec.message.upper(), size, "bold", spacing)
    # The box holds the text plus one letter spacing after its last character, as shields' does.
    label_w = math.ceil(label_px + spacing) if label else 0
    message_w = math.ceil(message_px + spacing) if message else 0
    logo_w = LOGO_SIZE + 6 if spec.logo else 0
    has_left = bool(label) or bool(spec.logo)
    left = (margin + logo_w + label_w + margin if label else 2 * 9 + LOGO_SIZE) if has_left else 0
    right = 2 * margin + message_w
    width = left + right
    out = [_svg_open(width, height, accessible_text(label, message)), '<g shape-rendering="crispEdges">']
    if has_left:
        out.append(f'<rect width="{left}" height="{height}" fill="{spec.label_color}"/>')
    out.append(f'<rect x="{left}" width="{right}" height="{height}" fill="{spec.color}"/></g>{_FTB_OPEN}')
    out.append(_logo(spec, 9, height))
    if label:
        centre = margin + logo_w + label_w / 2
        out.append(_draw(label_lay, centre - label_px / 2, 17.5, text_colors(spec.label_color)[0], None, size))
    if message:
        centre = left + margin + message_w / 2
        out.append(_draw(message_lay, centre - message_px / 2, 17.5, text_colors(spec.color)[0], None, size, "bold"))
    out.append("</g></svg>")
    return "".join(out)


_SOCIAL_OPEN = (
    f'<g text-anchor="middle" font-family="{SOCIAL_FONT_FAMILY}" font-weight="700" font-size="110" style="{_STYLE_ATTR}">'
)


def social(spec: Spec) -> str:
    """GitHub-like: a light label button and a speech-bubble count, with shields' geometry:
    text measured with its "bold 11px Helvetica" advances and drawn to exactly those."""
    height, inner, gutter = 20, 19, 6
    label_text = spec.label[:1].upper() + spec.label[1:]
    label, label_px, label_lay = _fitted(label_text, 11.0, "social")
    message, message_px, message_lay = _fitted(spec.message, 11.0, "social")
    logo_w = LOGO_SIZE + (3 if label else 0) if spec.logo else 0
    label_w = _odd(label_px) if label else 0
    message_w = _odd(message_px) if message else 0
    label_rect = label_w + logo_w + 10
    message_rect = message_w + 8
    width = label_rect + 1 + (gutter + message_rect if message else 0)
    ids = spec.ids
    out = [
        _svg_open(width, height, accessible_text(label_text, spec.message)),
        f'<linearGradient id="a{ids}" x2="0" y2="100%"><stop offset="0" stop-color="#fcfcfc" stop-opacity="0"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient><g stroke="#d5d5d5">'
        f'<rect stroke="none" fill="#fcfcfc" x="0.5" y="0.5" width="{label_rect}" height="{inner}" rx="2"/>'
        f'<rect fill="url(#a{ids})" x="0.5" y="0.5" width="{label_rect}" height="{inner}" rx="2"/>',
    ]
    if message:
        bx = label_rect + gutter
        out.append(
            f'<rect x="{bx}.5" y="0.5" width="{message_rect}" height="{inner}" rx="2" fill="#fafafa"/>'
            f'<rect x="{bx}" y="7.5" width="0.5" height="5" stroke="#fafafa"/>'
            f'<path d="M{bx}.5 6.5 l-3 3v1 l3 3" fill="#fafafa"/>'
        )
    out.append("</g>")
    out.append(_logo(spec, 5, height))
    out.append(_SOCIAL_OPEN)
    if label:
        centre = logo_w + 5 + label_w / 2
        out.append(_draw(label_lay, centre - label_px / 2, 14, "#333333", "#ffffff", weight="social"))
    if message:
        centre = label_rect + gutter + message_rect / 2
        out.append(_draw(message_lay, centre - message_px / 2, 14, "#333333", "#ffffff", weight="social"))
    out.append("</g></svg>")
    return "".join(out)


STYLES: dict[str, Callable[[Spec], str]] = {
    "flat": flat,
    "flat-square": flat_square,
    "plastic": plastic,
    "for-the-badge": for_the_badge,
    "social": social,
}
