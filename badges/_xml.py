"""The one place where text becomes markup.

Every string that reaches an SVG or HTML output passes through :func:`clean_text` (drop
what no reader should see: controls, bidi overrides, non-characters, lone surrogates)
and :func:`escape` (make it inert in element content and in quoted attributes). SVG is
built as :class:`Element` trees whose ``render`` applies both, so a renderer cannot
forget to escape (the shields ``xml.js`` habit). Jinja templates use the same two
functions (see ``mkdocs_influence.pages``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, the BOM and
# zero-width no-break space, Unicode non-characters, and surrogates (which only occur
# unpaired in a Python str).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufeff\ufffe\uffff"
    "\ud800-\udfff]"
)
_WHITESPACE = re.compile(r"[\t\n\r\u2028\u2029]+")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ESCAPE_RE = re.compile("[&<>\"']")


def clean_text(text: str) -> str:
    """Return ``text`` without characters that could hide or reorder what is shown.

    Line breaks and tabs become spaces; every other control, bidi control,
    non-character and lone surrogate is removed. Plane-16/17 non-characters
    (U+nFFFE/U+nFFFF) are removed too.
    """
    text = _WHITESPACE.sub(" ", str(text))
    text = _UNSAFE.sub("", text)
    if any(ord(c) > 0xFFFF and (ord(c) & 0xFFFE) == 0xFFFE for c in text):
        text = "".join(c for c in text if not (ord(c) > 0xFFFF and (ord(c) & 0xFFFE) == 0xFFFE))
    return text


def escape(text: str) -> str:
    """Escape cleaned ``text`` for element content or a double- or single-quoted attribute."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], clean_text(text))


def fmt_num(value: float) -> str:
    """Format a coordinate with at most two decimals and no trailing zeros (deterministic)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Element:
    """An XML element; attribute values and text children are escaped on render."""

    name: str
    attrs: Mapping[str, str | float | int | None] = field(default_factory=dict)
    children: Iterable[Element | str] = ()

    def render(self) -> str:
        parts = [f"<{self.name}"]
        for key, value in self.attrs.items():
            if value is None:
                continue
            shown = fmt_num(value) if isinstance(value, float) else str(value)
            parts.append(f' {key}="{escape(shown)}"')
        children = list(self.children)
        if not children:
            return "".join(parts) + "/>"
        parts.append(">")
        for child in children:
            parts.append(child.render() if isinstance(child, Element) else escape(child))
        parts.append(f"</{self.name}>")
        return "".join(parts)
