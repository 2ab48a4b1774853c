"""Brag badges as SVG and PNG: shields-compatible styles, exact text widths, safe text.

Usable on its own (no MkDocs import)::

    >>> svg = badge("influence", "57")
    >>> svg.startswith("<svg") and 'aria-label="influence: 57"' in svg
    True

Every text input is cleaned and escaped in one place (``_xml``); colours (badge-maker 6's
names and aliases, CSS names, hex, ``rgb()``, ``hsl()``) and logos are validated and refused
with ``ValueError``; text is measured with DejaVu Sans metrics (``_measure``), the first font
in ``font-family`` (``social``: shields' Helvetica metrics), and laid out per run.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._badge import MAX_LOGO_BYTES as MAX_LOGO_BYTES
    from ._badge import THEMES as THEMES
    from ._badge import badge, topics_badge
    from ._badge import check_logo as check_logo
    from ._card import CARD_THEMES, OG_SCALE, card, post_social_card, social_card
    from ._colors import NAMED as NAMED
    from ._colors import SCORE_SCALE, contrast, parse_color, score_color, text_color_for
    from ._measure import FONT_FAMILY, text_width, truncate, wrap
    from ._png import to_png
    from ._styles import STYLES
    from ._styles import Spec as Spec
    from ._xml import clean_text, escape

__all__ = [
    "CARD_THEMES",
    "FONT_FAMILY",
    "OG_SCALE",
    "SCORE_SCALE",
    "STYLES",
    "badge",
    "card",
    "clean_text",
    "contrast",
    "escape",
    "parse_color",
    "post_social_card",
    "score_color",
    "social_card",
    "text_color_for",
    "text_width",
    "to_png",
    "topics_badge",
    "truncate",
    "wrap",
]

#: name -> the module that defines it, imported on first use: the ledger and the score read
#: only ``clean_text`` and should not pay for fonts, styles and PNG rendering (PEP 562).
_WHERE = {
    **dict.fromkeys(["MAX_LOGO_BYTES", "THEMES", "badge", "check_logo", "topics_badge"], "_badge"),
    **dict.fromkeys(["CARD_THEMES", "OG_SCALE", "card", "post_social_card", "social_card"], "_card"),
    **dict.fromkeys(["NAMED", "SCORE_SCALE", "contrast", "parse_color", "score_color", "text_color_for"], "_colors"),
    **dict.fromkeys(["FONT_FAMILY", "text_width", "truncate", "wrap"], "_measure"),
    "to_png": "_png",
    **dict.fromkeys(["STYLES", "Spec"], "_styles"),
    **dict.fromkeys(["clean_text", "escape"], "_xml"),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(f".{module}", __name__), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
