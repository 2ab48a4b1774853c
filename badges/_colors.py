"""Colour parsing, the score scale, text colour and WCAG contrast.

Colours follow badge-maker 6 (shields.io): its named colours and aliases, CSS colour names,
hex with or without ``#``, ``rgb()``/``rgba()`` and ``hsl()``/``hsla()``. Everything is
normalised to ``#rrggbb``, so a colour can never smuggle markup or a ``url(...)`` into an
attribute. Translucent colours (alpha below 1) are refused: badges are opaque.
"""

from __future__ import annotations

import colorsys
import math
import re
from functools import lru_cache

from ._css_colors import CSS_NAMES

#: badge-maker 6's named colours (``lib/color.js``).
SHIELDS_NAMED = {
    "brightgreen": "#44bb00",
    "green": "#67ac09",
    "yellow": "#d8b800",
    "yellowgreen": "#95991a",
    "orange": "#ea7233",
    "red": "#dd4343",
    "blue": "#007ec6",
    "grey": "#555555",
    "lightgrey": "#939393",
}
#: badge-maker 6's aliases.
ALIASES = {
    "gray": "grey",
    "lightgray": "lightgrey",
    "critical": "red",
    "important": "orange",
    "success": "brightgreen",
    "informational": "blue",
    "inactive": "lightgrey",
}
#: Every accepted name: CSS names, then badge-maker's names and aliases (which win, as in
#: badge-maker: ``green`` is #67ac09, not CSS #008000), then ``slate``, this project's own.
NAMED: dict[str, str] = {
    **CSS_NAMES,
    **SHIELDS_NAMED,
    **{alias: SHIELDS_NAMED[name] for alias, name in ALIASES.items()},
    "slate": "#4a5a6a",
}

#: Score colours: calm, never alarm-red (a low score is not an emergency). The first
#: entry whose threshold is <= the score wins.
SCORE_SCALE: tuple[tuple[int, str], ...] = (
    (75, "#6f42c1"),
    (50, "#1d7a55"),
    (25, "#1f6feb"),
    (0, "#4a5a6a"),
)

_HEX = re.compile(r"#?([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_ALPHA = r"(?:\s*[,/]\s*(0|1|0?\.\d+|1\.0*|\d+%))?"
_RGB = re.compile(r"rgba?\(\s*(\d{1,3}%?)(?:\s*,\s*|\s+)(\d{1,3}%?)(?:\s*,\s*|\s+)(\d{1,3}%?)" + _ALPHA + r"\s*\)", re.I)
_HSL = re.compile(r"hsla?\(\s*(\d+(?:\.\d+)?)(deg|rad|grad|turn)?\s*,\s*(\d{1,3})%\s*,\s*(\d{1,3})%" + _ALPHA + r"\s*\)", re.I)
_TURNS = {"deg": 1 / 360, "rad": 1 / (2 * math.pi), "grad": 1 / 400, "turn": 1.0, None: 1 / 360}


def parse_color(value: str) -> str:
    """Return ``value`` as ``#rrggbb``; raise ``ValueError`` for anything else."""
    if not isinstance(value, str):
        raise ValueError(f"colour must be a string, got {type(value).__name__}")
    return _parse_color(value)


def _opaque(alpha: str | None, text: str) -> None:
    if alpha is None:
        return
    level = float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha)
    if level < 1:
        raise ValueError(f"translucent colour {text[:40]!r} is not supported: badges are opaque")


def _hex(channels: list[float]) -> str:
    return "#" + "".join(f"{int(c + 0.5):02x}" for c in channels)  # half up, as CSS rounds


@lru_cache(maxsize=512)
def _parse_color(value: str) -> str:
    text = value.strip()
    lowered = text.lower()
    if lowered in NAMED:
        return NAMED[lowered]
    if m := _HEX.fullmatch(text):
        digits = m.group(1).lower()
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        _opaque(None if len(digits) == 6 else str(int(digits[6:], 16) / 255), text)
        return "#" + digits[:6]
    if m := _RGB.fullmatch(text):
        channels = [int(g[:-1]) * 255 / 100 if g.endswith("%") else int(g) for g in m.groups()[:3]]
        if all(c <= 255 for c in channels):
            _opaque(m.group(4), text)
            return _hex(channels)
    if m := _HSL.fullmatch(text):
        hue, unit, sat, light, alpha = m.groups()
        if int(sat) <= 100 and int(light) <= 100:
            _opaque(alpha, text)
            rgb = colorsys.hls_to_rgb(float(hue) * _TURNS[unit and unit.lower()] % 1, int(light) / 100, int(sat) / 100)
            return _hex([c * 255 for c in rgb])
    shown = text[:40].encode("unicode_escape").decode("ascii")
    raise ValueError(
        f"invalid colour {shown!r}: use a name (such as {', '.join(SHIELDS_NAMED)}, success or any CSS colour name), "
        "#rgb, #rrggbb, rgb(r,g,b) or hsl(h,s%,l%)"
    )


def score_color(score: float, scale: tuple[tuple[int, str], ...] = SCORE_SCALE) -> str:
    """The colour for a score, from the first threshold the score reaches."""
    for threshold, color in sorted(scale, reverse=True):
        if score >= threshold:
            return parse_color(color)
    return parse_color(scale[-1][1])


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=1024)
def text_colors(background: str) -> tuple[str, str]:
    """(text, shadow) on ``background``, by badge-maker's rule: white text (dark shadow)
    unless the background's brightness, (299 r + 587 g + 114 b) / 255000 shown to two
    decimals, is above 0.69; then #333 text with a light shadow. In integers: white iff
    299 r + 587 g + 114 b <= 177225 (0.695 exactly rounds down in JavaScript's toFixed)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return ("#ffffff", "#010101") if r * 299 + g * 587 + b * 114 <= 177225 else ("#333333", "#cccccc")


def text_color_for(background: str) -> str:
    """The text colour badge-maker draws on ``background``."""
    return text_colors(background)[0]
