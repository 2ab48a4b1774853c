"""Colour parsing, the score scale and WCAG contrast.

Only named colours and strict ``#rgb``/``#rrggbb``/``rgb(r,g,b)`` forms are accepted, so
a colour can never smuggle markup or a ``url(...)`` into an attribute.
"""

from __future__ import annotations

import re
from functools import lru_cache

NAMED = {
    "brightgreen": "#44cc11",
    "green": "#97ca00",
    "yellowgreen": "#a4a61d",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "blue": "#007ec6",
    "grey": "#555555",
    "gray": "#555555",
    "lightgrey": "#9f9f9f",
    "lightgray": "#9f9f9f",
    "slate": "#4a5a6a",
    "teal": "#1d6f73",
    "purple": "#6f42c1",
    "black": "#000000",
    "white": "#ffffff",
}

#: Score colours: calm, never alarm-red (a low score is not an emergency). The first
#: entry whose threshold is <= the score wins.
SCORE_SCALE: tuple[tuple[int, str], ...] = (
    (75, "#6f42c1"),
    (50, "#1d7a55"),
    (25, "#1f6feb"),
    (0, "#4a5a6a"),
)

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")


def parse_color(value: str) -> str:
    """Return ``value`` as ``#rrggbb``; raise ``ValueError`` for anything else."""
    if not isinstance(value, str):
        raise ValueError(f"colour must be a string, got {type(value).__name__}")
    return _parse_color(value)


@lru_cache(maxsize=512)
def _parse_color(value: str) -> str:
    text = value.strip()
    if text.lower() in NAMED:
        return NAMED[text.lower()]
    if m := _HEX.fullmatch(text):
        digits = m.group(1).lower()
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits
    if m := _RGB.fullmatch(text):
        channels = [int(g) for g in m.groups()]
        if all(c <= 255 for c in channels):
            return "#" + "".join(f"{c:02x}" for c in channels)
    shown = text[:40].encode("unicode_escape").decode("ascii")
    raise ValueError(f"invalid colour {shown!r}: use a name ({', '.join(sorted(NAMED))}), #rgb, #rrggbb or rgb(r,g,b)")


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
def text_color_for(background: str, light: str = "#ffffff", dark: str = "#222222") -> str:
    """Whichever of ``light``/``dark`` text reads better on ``background``."""
    return light if contrast(background, light) >= contrast(background, dark) else dark
