"""Make a badge's ``<text>`` runs drawable by cairosvg with the fonts installed here.

cairosvg draws ``<text>`` with cairo's "toy" text API: only the first ``font-family``, no
fallback to another font for a missing character (CJK shows as empty boxes when that
family is DejaVu), letter by letter, so no shaping and no right-to-left order. Before a PNG
is rendered, every ``<text>`` holding characters beyond Latin-1 is therefore rewritten:

- with HarfBuzz (``uharfbuzz``) available: shaped with the installed font fontconfig picks
  for each character (``fc-match`` with its ``charset``), numbers inside right-to-left text
  kept left-to-right, and replaced by the glyph outlines, fitted to the ``textLength`` the
  badge measured — so Arabic is joined and right-to-left, CJK and Greek drawn;
- without it: given the ``font-family`` of an installed font that covers its characters,
  so cairo at least finds the glyphs (CJK, Greek; Arabic stays unjoined).

A character no installed font covers is left as it was. The SVG itself is not changed:
browsers do all of this on their own. Only the PNG path calls this module; the rewritten
tree (already escaped text, re-serialised by ElementTree) goes to cairosvg and nowhere else.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_NEEDS = re.compile(r"<text[^>]*>[^<]*[^\x00-\xff<]")  # a <text> with a character beyond Latin-1
_NUMBER = {"EN", "AN"}


def prepare(svg: str) -> str:
    """``svg`` with its non-Latin ``<text>`` runs made drawable by cairosvg (see the module)."""
    if _NEEDS.search(svg) is None:
        return svg  # the common case: everything is outlines or Latin-1
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return svg
    parents = {child: parent for parent in root.iter() for child in parent}
    changed = False
    for text in list(root.iter(f"{{{SVG_NS}}}text")):
        content = text.text or ""
        if len(text) or not content or max(content) <= "\xff":
            continue
        bold = _inherited(text, parents, "font-weight", "normal") in ("bold", "bolder", "600", "700", "800", "900")
        families = _fc_families(_inherited(text, parents, "font-family", "sans-serif"))
        _find_fonts([ord(c) for c in content if c > "\xff"], bold, families)
        # Outlines only where the badge measured the run (textLength): elsewhere the size may come from CSS.
        measured = _harfbuzz() and text.get("textLength")
        replacement = _outlined(text, content, bold, families, parents) if measured else None
        if replacement is not None:
            parent = parents[text]
            parent[list(parent).index(text)] = replacement
            changed = True
        elif (family := _family_for(content, bold, families)) is not None:
            text.set("font-family", family)
            changed = True
    if not changed:
        return svg
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _inherited(el: ET.Element, parents: dict[ET.Element, ET.Element], name: str, default: str) -> str:
    node: ET.Element | None = el
    while node is not None:
        if (value := node.get(name)) is not None:
            return value.strip()
        node = parents.get(node)
    return default


@lru_cache(maxsize=1)
def _harfbuzz() -> Any:
    try:
        import uharfbuzz
    except ImportError:
        return None
    return uharfbuzz


_Font = tuple[str, int, str]  # file, face index, family
_FONTS: dict[tuple[int, bool, str], _Font | None] = {}


def _fc_families(font_family: str) -> str:
    """A CSS ``font-family`` list as a fontconfig pattern's families (quotes off, escaped)."""
    names = (name.strip().strip("\"'") for name in font_family.split(","))
    return ",".join(re.sub(r"([\\:,-])", r"\\\1", name) for name in names if name) or "sans\\-serif"


def _fc_match(cps: list[int], bold: bool, families: str) -> tuple[_Font, list[tuple[int, int]]] | None:
    """The installed font fontconfig picks for the code points ``cps`` together, from the
    text's own ``font-family`` list (as a browser would), and the code point ranges it covers;
    None without fontconfig."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{families}:charset=" + " ".join(f"{cp:x}" for cp in cps) + (":weight=bold" if bold else "")
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}\n%{index}\n%{family}\n%{charset}", pattern], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, index, family, charset = [*out.split("\n"), "", "", "", ""][:4]
    spans = [(int(lo, 16), int(hi or lo, 16)) for lo, _, hi in (span.partition("-") for span in charset.split())]
    return (file, int(index or 0), family.split(",")[0]), spans


def _font_for(cp: int, bold: bool, families: str = "sans\\-serif") -> _Font | None:
    """The installed font fontconfig picks for ``cp``, or None when no installed font covers it."""
    if (cp, bold, families) not in _FONTS:
        _find_fonts([cp], bold, families)
    return _FONTS.get((cp, bold, families))


def _find_fonts(cps: list[int], bold: bool, families: str) -> None:
    """Look fonts up for many code points with few ``fc-match`` calls: the font picked for all
    of them at once takes every one it covers; the rest are asked about one by one."""
    if len(_FONTS) > 4096:
        _FONTS.clear()
    todo = sorted({cp for cp in cps if (cp, bold, families) not in _FONTS})
    while todo:
        found = _fc_match(todo, bold, families)
        font, spans = found if found is not None else (None, [])
        covered = [cp for cp in todo if any(lo <= cp <= hi for lo, hi in spans)]
        for cp in covered:
            _FONTS[(cp, bold, families)] = font
        if not covered:
            if len(todo) == 1 or found is None:
                _FONTS.update(dict.fromkeys(((cp, bold, families) for cp in todo), None))
                return
            for cp in todo:
                _find_fonts([cp], bold, families)
            return
        todo = [cp for cp in todo if cp not in covered]


def _base(char: str) -> bool:
    """A character that starts a cluster (not a mark, joiner or variation selector)."""
    return not (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Mc", "Cf"))


def _family_for(content: str, bold: bool, families: str) -> str | None:
    """The family of an installed font for the characters of ``content`` beyond Latin-1 (the
    first one that is not the badge's own DejaVu Sans, if any): what cairo's toy API needs."""
    found = [font[2] for c in content if c > "\xff" and _base(c) and (font := _font_for(ord(c), bold, families)) is not None]
    return next((f for f in found if f != "DejaVu Sans"), found[0] if found else None)


@lru_cache(maxsize=16)
def _hb_font(file: str, index: int) -> tuple[Any, int]:
    hb = _harfbuzz()
    face = hb.Face(hb.Blob.from_file_path(file), index)
    return hb.Font(face), face.upem


class _Pen:
    """Collects glyph outlines as SVG path data, y down, in the text's units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.dx = self.dy = self.scale = 0.0

    def _pt(self, x: float, y: float) -> str:
        return f"{self.dx + x * self.scale:.1f} {self.dy - y * self.scale:.1f}"

    def moveTo(self, p: tuple[float, float]) -> None:  # the fontTools pen protocol
        self.parts.append("M" + self._pt(*p))

    def lineTo(self, p: tuple[float, float]) -> None:
        self.parts.append("L" + self._pt(*p))

    def qCurveTo(self, *points: tuple[float, float]) -> None:
        self.parts.append("Q" + " ".join(self._pt(*p) for p in points))

    def curveTo(self, *points: tuple[float, float]) -> None:
        self.parts.append("C" + " ".join(self._pt(*p) for p in points))

    def closePath(self) -> None:
        self.parts.append("Z")


def _segments(content: str, bold: bool, families: str) -> list[tuple[str, _Font | None, bool]] | None:
    """``content`` cut into (text, font, right_to_left) pieces in visual order, or None when
    some character has no installed font. Numbers inside right-to-left text stay left-to-right."""
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in content)
    pieces: list[list[Any]] = []
    for char in content:
        if _base(char) or not pieces:
            font = _font_for(ord(char), bold, families)
            if font is None:
                return None
            number = rtl and unicodedata.bidirectional(char) in _NUMBER
            if pieces and pieces[-1][1] == font and pieces[-1][2] == (rtl and not number):
                pieces[-1][0] += char
            else:
                pieces.append([char, font, rtl and not number])
        else:
            pieces[-1][0] += char  # a mark or joiner stays with its base, in its font
    out = [(text, font, r) for text, font, r in pieces]
    return out[::-1] if rtl else out


def _outlined(
    text: ET.Element, content: str, bold: bool, families: str, parents: dict[ET.Element, ET.Element]
) -> ET.Element | None:
    """The ``<text>`` as a group of shaped glyph outlines, or None when it cannot be."""
    hb = _harfbuzz()
    pieces = _segments(content, bold, families)
    if pieces is None:
        return None
    size = float(re.sub(r"[a-z]+$", "", _inherited(text, parents, "font-size", "16")) or 16)
    pen = _Pen()
    x = 0.0
    for piece, font_info, rtl in pieces:
        assert font_info is not None
        font, upem = _hb_font(font_info[0], font_info[1])
        buf = hb.Buffer()
        buf.add_str(piece)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        hb.shape(font, buf, {})
        pen.scale = size / upem
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            pen.dx, pen.dy = x + pos.x_offset * pen.scale, -pos.y_offset * pen.scale
            font.draw_glyph_with_pen(info.codepoint, pen)
            x += pos.x_advance * pen.scale
    if x <= 0:
        return None
    length = float(text.get("textLength") or x)
    anchor = _inherited(text, parents, "text-anchor", "start")
    left = float(text.get("x", "0")) - {"middle": length / 2, "end": length}.get(anchor, 0)
    transform = f"{text.get('transform', '')} translate({left:.1f} {float(text.get('y', '0')):.1f}) scale({length / x:.4f} 1)"
    attrs = {k: v for k, v in text.attrib.items() if k in ("fill", "fill-opacity", "aria-hidden", "opacity")}
    group = ET.Element(f"{{{SVG_NS}}}g", {**attrs, "transform": transform.strip()})
    ET.SubElement(group, f"{{{SVG_NS}}}path", {"d": "".join(pen.parts)})
    return group
