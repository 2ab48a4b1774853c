"""The one place where text becomes markup.

Every string that reaches an SVG or HTML output passes through :func:`clean_text` (drop
what no reader should see: controls, format characters such as bidi overrides and
zero-width spaces, non-characters, lone surrogates) and :func:`escape` (make it inert in
element content and in quoted attributes). SVG is
built as :class:`Element` trees whose ``render`` applies both, so a renderer cannot
forget to escape (the shields ``xml.js`` habit). Jinja templates use the same two
functions (see ``mkdocs_influence.render.pages``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Unicode non-characters (U+FDD0..FDEF and U+nFFFE/U+nFFFF of every plane): never text.
_NONCHARS = frozenset(range(0xFDD0, 0xFDF0)) | {p << 16 | q for p in range(17) for q in (0xFFFE, 0xFFFF)}
#: Categories no reader should get: controls (Cc), format characters (Cf: bidi overrides and
#: isolates, zero-width spaces and joiners, the BOM, invisible tag characters U+E0000..E007F)
#: and surrogates (Cs, which only occur unpaired in a Python str).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_WHITESPACE = re.compile(r"[\t\n\r\u2028\u2029]+")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ESCAPE_RE = re.compile("[&<>\"']")


def clean_text(text: str) -> str:
    """Return ``text`` without characters that could hide or reorder what is shown.

    Line breaks and tabs become spaces; every other control, format character (bidi
    controls, zero-width and invisible tag characters: a ZWJ emoji sequence shows as its
    separate emoji), non-character and lone surrogate is removed.
    """
    text = str(text)
    if text.isprintable():
        return text  # every character removed or replaced here is non-printable
    text = _WHITESPACE.sub(" ", text)
    drop = [ord(c) for c in set(text) if not c.isprintable() and _unsafe(c)]  # few distinct characters
    return text.translate(dict.fromkeys(drop)) if drop else text


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES or ord(char) in _NONCHARS


def escape(text: str) -> str:
    """Escape cleaned ``text`` for element content or a double- or single-quoted attribute."""
    if not text.isprintable():
        text = clean_text(text)
    if _ESCAPE_RE.search(text) is None:
        return text  # the common case (words, numbers, colours): nothing to do
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def fmt_num(value: float) -> str:
    """Format a coordinate with at most two decimals and no trailing zeros (deterministic)."""
    text = f"{value:.2f}"
    if text[-1] != "0":
        return text  # the common case, e.g. 12.35
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Trusted(str):
    """Markup this package generated from its own bundled data (glyph outlines); never
    user text. Rendered as is."""


@dataclass(frozen=True)
class Element:
    """An XML element; attribute values and text children are escaped on render."""

    name: str
    attrs: Mapping[str, str | float | int | None] = field(default_factory=dict)
    children: Iterable[Element | Trusted | str] = ()

    def render(self) -> str:
        parts = ["<", self.name]
        for key, value in self.attrs.items():
            if value is None:
                continue
            if isinstance(value, float):
                shown = fmt_num(value)
            elif isinstance(value, int):
                shown = str(value)
            else:
                shown = escape(value)
            parts.append(f' {key}="{shown}"')
        if not self.children:
            parts.append("/>")
            return "".join(parts)
        parts.append(">")
        for child in self.children:
            if isinstance(child, Element):
                parts.append(child.render())
            else:
                parts.append(child if isinstance(child, Trusted) else escape(child))
        parts.append(f"</{self.name}>")
        return "".join(parts)
