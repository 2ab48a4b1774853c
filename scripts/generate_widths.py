"""Generate ``badges/data/widths-*.json`` and ``glyphs-*.json`` from a font file (run once, commit).

The badge renderer must not need the font, fonttools or HarfBuzz at run time, so the
advance widths of every character the font maps and the kerning of every pair of
printable Latin-1 characters are measured here and stored as package data (the
pybadges habit). Format (all numbers in font units, ``units_per_em`` given)::

    {"font": "DejaVu Sans", "units_per_em": 2048, "default": <width of "x">,
     "widths": {"<codepoint>": advance, ...},
     "kerning": {"<first><second>": adjustment, ...}}

``glyphs-*.json`` holds the outline (SVG path data, font units, y up) of every printable
Latin-1 character, so badge text can be drawn as shapes that look the same in every
browser and in cairosvg's PNG, with or without the font installed.

Usage (from the repository root)::

    python scripts/generate_widths.py /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf regular
    python scripts/generate_widths.py /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf bold

A maintainer script, outside the installed packages: its ``fonttools`` and ``uharfbuzz``
are not runtime dependencies (``pip install fonttools uharfbuzz``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KERN_CHARS = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]


DATA = Path(__file__).resolve().parent.parent / "badges" / "data"


def measure(font_path: Path) -> dict[str, object]:
    """Return the width table of the font at ``font_path``."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    tt = TTFont(font_path)
    upem = tt["head"].unitsPerEm
    hmtx = tt["hmtx"].metrics
    cmap = tt.getBestCmap()
    widths = {str(cp): hmtx[name][0] for cp, name in sorted(cmap.items()) if cp <= 0xFFFF}

    blob = hb.Blob.from_file_path(str(font_path))
    face = hb.Face(blob)
    font = hb.Font(face)

    def shaped_width(text: str) -> int:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(font, buf, {"kern": True, "liga": False})
        return sum(p.x_advance for p in buf.glyph_positions)

    kerning: dict[str, int] = {}
    for a in KERN_CHARS:
        for b in KERN_CHARS:
            if ord(a) not in cmap or ord(b) not in cmap:
                continue
            delta = shaped_width(a + b) - widths[str(ord(a))] - widths[str(ord(b))]
            if delta:
                kerning[a + b] = delta
    family = tt["name"].getDebugName(1)
    return {
        "font": family,
        "units_per_em": upem,
        "default": widths[str(ord("x"))],
        "widths": widths,
        "kerning": dict(sorted(kerning.items())),
    }


def outlines(font_path: Path) -> dict[str, str]:
    """SVG path data of each printable Latin-1 character (and the ellipsis and middle dot)."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont

    tt = TTFont(font_path)
    glyph_set = tt.getGlyphSet()
    cmap = tt.getBestCmap()
    out = {}
    for char in [*KERN_CHARS, "\u2026", "\u00b7", "\u2013", "\u2014", "\u2018", "\u2019", "\u201c", "\u201d", "\u2022"]:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = SVGPathPen(glyph_set, lambda v: str(int(v)) if v == int(v) else f"{v:.1f}")
        glyph_set[name].draw(pen)
        out[str(ord(char))] = pen.getCommands()
    return out


def main(argv: list[str]) -> None:
    try:
        import fontTools  # noqa: F401
        import uharfbuzz  # noqa: F401
    except ImportError as exc:
        sys.exit(f"{exc.name} is missing: pip install fonttools uharfbuzz")
    if len(argv) != 2:
        sys.exit("usage: python scripts/generate_widths.py FONT.ttf regular|bold")
    font_path, weight = Path(argv[0]), argv[1]
    data = DATA
    table = measure(font_path)
    (data / f"widths-{weight}.json").write_text(json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    glyphs = outlines(font_path)
    (data / f"glyphs-{weight}.json").write_text(
        json.dumps(glyphs, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{weight}: {len(table['widths'])} widths, {len(table['kerning'])} kerning pairs, {len(glyphs)} outlines")


if __name__ == "__main__":
    main(sys.argv[1:])
