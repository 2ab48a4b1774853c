"""The badge itself: one label, one message, a style (shields' badge-maker API)."""

from __future__ import annotations

import base64
import re
import zlib

from ._colors import NAMED, parse_color, score_color
from ._styles import STYLES, Spec
from ._xml import clean_text

MAX_LOGO_BYTES = 16 * 1024
_LOGO = re.compile(r"data:image/(svg\+xml|png);base64,([A-Za-z0-9+/]+={0,2})")
_ID = re.compile(r"[A-Za-z0-9_-]{0,32}")
THEMES = {"light": "#555555", "dark": "#333333"}


def check_logo(logo: str) -> str:
    """Accept only a base64 ``data:image/svg+xml`` or ``data:image/png`` URI of at most 16 KiB."""
    m = _LOGO.fullmatch(logo.strip()) if isinstance(logo, str) else None
    if not m:
        raise ValueError("logo must be a data:image/svg+xml;base64,… or data:image/png;base64,… URI")
    raw = base64.b64decode(m.group(2), validate=True)
    if len(raw) > MAX_LOGO_BYTES:
        raise ValueError(f"logo is {len(raw)} bytes; at most {MAX_LOGO_BYTES} are allowed")
    if m.group(1) == "svg+xml" and re.search(rb"<script|\bon\w+\s*=|javascript:|<foreignObject|href\s*=\s*[\"'](?!#)", raw, re.I):
        raise ValueError("logo SVG contains scripts, event handlers or external references")
    return logo.strip()


def badge(
    label: str,
    message: str,
    *,
    style: str = "flat",
    color: str | None = None,
    label_color: str | None = None,
    theme: str = "light",
    logo: str | None = None,
    id_suffix: str | None = None,
) -> str:
    """Render a badge as SVG text.

    ``color`` defaults to the score colour when ``message`` is a number, else blue.
    ``id_suffix`` keeps element ids unique when several badges are inlined in one page;
    by default it is derived from the content, so equal badges share equal ids.
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: expected one of {', '.join(STYLES)}")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: expected one of {', '.join(THEMES)}")
    label_text, message_text = clean_text(label), clean_text(message)
    if color is None:
        try:
            bg = score_color(float(message_text))
        except ValueError:
            bg = NAMED["blue"]
    else:
        bg = parse_color(color)
    lbg = parse_color(label_color) if label_color is not None else THEMES[theme]
    checked_logo = check_logo(logo) if logo is not None else None
    if id_suffix is None:
        key = "\x00".join([label_text, message_text, style, bg, lbg, checked_logo or ""])
        id_suffix = f"{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}"
    elif not _ID.fullmatch(id_suffix):
        raise ValueError("id_suffix may contain only letters, digits, '_' and '-' (at most 32)")
    spec = Spec(label_text, message_text, bg, lbg, checked_logo, id_suffix)
    return STYLES[style](spec)


def topics_badge(topics: list[str], *, style: str = "flat", label: str = "topics", color: str = "#1d6f73") -> str:
    """A badge listing the top topics (at most three, joined by a middle dot)."""
    shown = [clean_text(t) for t in topics[:3]] or ["none yet"]
    return badge(label, " · ".join(shown), style=style, color=color)
