"""Text width and glyph layout from precomputed font data (advances, pair kerning, outlines).

Three faces, generated once and stored in ``data/``: ``regular`` and ``bold`` are DejaVu Sans
(``scripts/generate_widths.py``); ``social`` has shields' "bold 11px Helvetica" advances with
Liberation Sans Bold outlines (``scripts/generate_social.py``). Measuring needs no font at run
time. Characters a face lacks get a width by their Unicode class (wide CJK = 1 em, emoji =
1.15 em, combining marks and joiners = 0), never the .notdef box.

Text is laid out per run: characters with a bundled outline are drawn as paths; each
maximal run of the others (and every right-to-left stretch, which a renderer must shape
and reorder as a whole) is left to the viewer's fonts as ``<text>`` fitted to its measured
width, so one emoji no longer turns the whole string into stretched ``<text>``.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

FONT_FAMILY = "DejaVu Sans,Verdana,Geneva,sans-serif"
DATA = Path(__file__).resolve().parent / "data"  # package data, installed as files
ELLIPSIS = "\u2026"
_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F}
_PATH_DATA = re.compile(r"[MLHVCQSTZmlhvcqstz0-9 .\-]*")


@dataclass(frozen=True)
class _Table:
    upem: int
    default: int
    widths: dict[int, int]
    kerning: dict[str, int]
    range_starts: tuple[int, ...] = ()  # optional advance ranges (lo, hi, width) beyond ``widths``
    ranges: tuple[tuple[int, int, int], ...] = ()


def _weight(bold: bool | str) -> str:
    return bold if isinstance(bold, str) else ("bold" if bold else "regular")


@lru_cache(maxsize=3)
def _table(weight: str) -> _Table:
    raw = json.loads((DATA / f"widths-{weight}.json").read_text("utf-8"))
    widths = {int(k): v for k, v in raw["widths"].items()}
    ranges = tuple((lo, hi, w) for lo, hi, w in raw.get("ranges", ()))
    return _Table(raw["units_per_em"], raw["default"], widths, raw["kerning"], tuple(r[0] for r in ranges), ranges)


def _fallback(cp: int, table: _Table) -> int:
    if cp in _ZERO_WIDTH or 0xE0000 <= cp <= 0xE007F:
        return 0
    if table.ranges:
        i = bisect.bisect_right(table.range_starts, cp) - 1
        if i >= 0 and cp <= table.ranges[i][1]:
            return table.ranges[i][2]
    char = chr(cp)
    if unicodedata.combining(char):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        # Most wide characters past the BMP are emoji/pictographs, drawn a little wider.
        return round(table.upem * (1.15 if cp >= 0x1F000 else 1.0))
    return table.default


def _units(text: str, table: _Table) -> int:
    """Advance of ``text`` in font units, kerned; any character (fallback widths)."""
    units = 0
    prev = ""
    for char in text:
        cp = ord(char)
        advance = table.widths.get(cp)
        units += _fallback(cp, table) if advance is None else advance
        if prev:
            units += table.kerning.get(prev + char, 0)
        prev = char
    return units


@lru_cache(maxsize=3)
def _outlines(weight: str) -> dict[int, str]:
    raw = json.loads((DATA / f"glyphs-{weight}.json").read_text("utf-8"))
    if not all(_PATH_DATA.fullmatch(d) for d in raw.values()):
        raise ValueError(f"glyphs-{weight}.json holds something other than path data")
    return {int(k): v for k, v in raw.items()}


_Glyph = tuple[int, str, "dict[str, int] | None"]


@lru_cache(maxsize=3)
def _glyph_runs(weight: str) -> dict[str, _Glyph]:
    """Per character with an outline: advance, markup after ``<path`` ("" for blank
    glyphs) and the kerning adjustments for each character that may follow it."""
    table, outlines = _table(weight), _outlines(weight)
    kerning: dict[str, dict[str, int]] = {}
    for pair, value in table.kerning.items():
        kerning.setdefault(pair[0], {})[pair[1]] = value
    return {
        chr(cp): (table.widths.get(cp, table.default), f' d="{d}"/>' if d else "", kerning.get(chr(cp)))
        for cp, d in outlines.items()
    }


class Layout(NamedTuple):
    """Text laid out in font units from its left edge: total advance, ``<path>`` markup of
    the outlined glyphs, and the runs left to ``<text>`` as (x, width, text)."""

    units: float
    paths: str
    runs: tuple[tuple[float, float, str], ...] = ()


def layout(text: str, bold: bool | str = False, spacing: float = 0) -> Layout:
    """Lay ``text`` out, with ``spacing`` font units between characters (letter-spaced styles).

    One pass serves both measuring and drawing, so the two can never disagree; it is the
    badge hot path, hence the flat loop over precomputed per-character tuples (and plain
    tuples out). Text with a character that has no outline goes to :func:`_mixed`.
    """
    weight = bold if bold.__class__ is str else ("bold" if bold else "regular")
    glyphs = _glyph_runs(weight)
    if spacing:
        return _spaced(text, weight, glyphs, spacing)
    x = 0
    after: dict[str, int] | None = None
    parts = []
    for char in text:
        glyph = glyphs.get(char)
        if glyph is None:
            return _mixed(text, weight, 0)
        if after:
            x += after.get(char, 0)
        advance, tail, after = glyph
        if tail:
            parts.append(f'<path transform="translate({x})"{tail}' if x else "<path" + tail)
        x += advance
    return (x, "".join(parts), ())  # type: ignore[return-value]  # a Layout, made without the NamedTuple call


def _spaced(text: str, weight: str, glyphs: dict[str, _Glyph], spacing: float) -> Layout:
    """:func:`layout` with ``spacing`` units after every character but the last."""
    if spacing.__class__ is float and spacing.is_integer():
        spacing = int(spacing)  # whole units (for-the-badge's 1.25 px is 256): integer positions
    x: float = 0
    after: dict[str, int] | None = None
    parts = []
    for char in text:
        glyph = glyphs.get(char)
        if glyph is None:
            return _mixed(text, weight, spacing)
        if after:
            x += after.get(char, 0)
        advance, tail, after = glyph
        if tail:
            pos = x if x.__class__ is int else round(x)
            parts.append(f'<path transform="translate({pos})"{tail}' if pos else "<path" + tail)
        x += advance + spacing
    return (x - spacing if text else 0, "".join(parts), ())  # type: ignore[return-value]


def _rtl_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each right-to-left stretch, as the Unicode bidi algorithm resolves it
    in a left-to-right paragraph (no explicit embeddings: ``clean_text`` removed them): from a
    strong R/AL character to the last R/AL or number before the next strong L."""
    spans = []
    start = last = -1
    for i, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            if start < 0:
                start = i
            last = i
        elif kind in ("EN", "AN") and start >= 0:
            last = i
        elif kind == "L" and start >= 0:
            spans.append((start, last + 1))
            start = -1
    if start >= 0:
        spans.append((start, last + 1))
    return spans


def _extends_cluster(char: str) -> bool:
    """A combining mark, variation selector or joiner: drawn with the character before it."""
    return unicodedata.combining(char) > 0 or unicodedata.category(char) in ("Mn", "Me", "Mc") or ord(char) in _ZERO_WIDTH


def _mixed(text: str, weight: str, spacing: float) -> Layout:
    """:func:`layout` for text with characters the bundled outlines do not cover."""
    glyphs, table = _glyph_runs(weight), _table(weight)
    outlined = [char in glyphs for char in text]
    for start, end in _rtl_spans(text):
        outlined[start:end] = [False] * (end - start)
    for i in range(1, len(text)):
        if outlined[i - 1] and _extends_cluster(text[i]):
            outlined[i - 1] = False
    x: float = 0
    parts: list[str] = []
    runs: list[tuple[float, float, str]] = []
    i = 0
    while i < len(text):
        if outlined[i]:
            char = text[i]
            advance, tail, after = glyphs[char]
            if tail:
                parts.append(f'<path transform="translate({x:.0f})"{tail}' if x else "<path" + tail)
            x += advance + spacing
            if after and i + 1 < len(text) and outlined[i + 1]:
                x += after.get(text[i + 1], 0)
            i += 1
            continue
        j = i
        while j < len(text) and not outlined[j]:
            j += 1
        run = text[i:j]
        width = _units(run, table) + spacing * (len(run) - 1)
        if width > 0:
            runs.append((x, width, run))
        x += width + spacing
        i = j
    return Layout(x - spacing if text else 0, "".join(parts), tuple(runs))


def text_width(text: str, size: float = 11.0, bold: bool | str = False) -> float:
    """Width in px of ``text`` at ``size`` px, with kerning, as a browser lays it out."""
    table = _table(_weight(bold))
    return _units(text, table) * size / table.upem


def units_per_em(bold: bool | str = False) -> int:
    return _table(_weight(bold)).upem


def truncate(text: str, max_width: float, size: float = 11.0, bold: bool | str = False) -> str:
    """Cut ``text`` to fit ``max_width`` px, ending in an ellipsis when anything was cut."""
    if text_width(text, size, bold) <= max_width:
        return text
    table = _table(_weight(bold))
    limit = (max_width - text_width(ELLIPSIS, size, bold)) * table.upem / size
    lo, hi = 0, len(text)
    while lo < hi:  # largest prefix that fits
        mid = (lo + hi + 1) // 2
        if _units(text[:mid], table) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap(text: str, max_width: float, size: float = 11.0, bold: bool | str = False, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines of at most ``max_width`` px, broken at spaces
    (a word wider than a line, such as CJK text without spaces, is broken between characters);
    the last line ends in an ellipsis when anything was left out."""
    words, lines, line = text.split(), [], ""
    while words and len(lines) < max_lines:
        word = words[0]
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= max_width:
            line, words = candidate, words[1:]
            continue
        if line:  # the word starts the next line
            lines.append(line)
            line = ""
            continue
        fit = truncate(word, max_width, size, bold)[:-1] or word[:1]  # a word alone too wide: cut it
        lines.append(fit)
        words[0] = word[len(fit) :]
    if line and len(lines) < max_lines:
        lines.append(line)
        line = ""
    if words or line:  # something is left out: the last line says so
        rest = " ".join([line, *words]).strip()
        lines[-1] = truncate(f"{lines[-1]} {rest}" if rest else lines[-1], max_width, size, bold)
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = truncate(lines[-1] + ELLIPSIS, max_width, size, bold)
    return lines
