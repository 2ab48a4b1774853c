"""Generate ``badges/data/widths-social.json`` and ``glyphs-social.json`` (run once, commit).

The ``social`` style measures text as shields.io does: anafanafo's table of "bold 11px
Helvetica" advances (anafanafo 2.0.0, MIT, as badge-maker 6 uses it; the BMP part is
kept). Its text is drawn from Liberation Sans Bold outlines (SIL OFL 1.1; metric-compatible
with Arial, a Helvetica look-alike), each glyph scaled by one common factor and centred in
its anafanafo advance, so the drawn text has exactly shields' widths and no font is needed
at run time. Units: 1/100 px at 11 px (``units_per_em`` 1100), y up, like the other tables.

Usage (from the repository root; needs fonttools)::

    npm install --prefix bench/.node badge-maker@6
    python scripts/generate_social.py bench/.node/node_modules/anafanafo/data/helvetica-11px-bold.json \\
        /usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "badges" / "data"
UPEM = 1100  # 1 unit = 0.01 px at 11 px: anafanafo's two decimals are exact integers
CHARS = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)] + list("…·–—‘’“”•")


def main(argv: list[str]) -> None:
    try:
        from fontTools.pens.svgPathPen import SVGPathPen
        from fontTools.pens.transformPen import TransformPen
        from fontTools.ttLib import TTFont
    except ImportError:
        sys.exit("this maintainer script needs fontTools: pip install fonttools")

    table_path, font_path = Path(argv[0]), Path(argv[1])
    ranges = [[lo, hi, round(w * 100)] for lo, hi, w in json.loads(table_path.read_text("utf-8")) if lo <= 0xFFFF]
    width = {cp: w for lo, hi, w in ranges for cp in range(lo, hi + 1) if cp < 0x2100}
    tt = TTFont(font_path)
    glyph_set, cmap, hmtx = tt.getGlyphSet(), tt.getBestCmap(), tt["hmtx"].metrics
    to_units = UPEM / tt["head"].unitsPerEm
    chars = [c for c in CHARS if ord(c) in cmap and ord(c) in width]
    # One horizontal factor for every glyph: the median ratio of shields' advance to the font's.
    factor = statistics.median(width[ord(c)] / (hmtx[cmap[ord(c)]][0] * to_units) for c in chars if c.isalnum())
    glyphs = {}
    for char in chars:
        name = cmap[ord(char)]
        offset = (width[ord(char)] - factor * hmtx[name][0] * to_units) / 2
        pen = SVGPathPen(glyph_set, lambda v: str(round(v)))  # 0.01 px is plenty
        glyph_set[name].draw(TransformPen(pen, (factor * to_units, 0, 0, to_units, offset, 0)))
        glyphs[str(ord(char))] = pen.getCommands()
    table = {
        "font": "Helvetica bold 11px advances (anafanafo 2.0.0); Liberation Sans Bold outlines",
        "units_per_em": UPEM,
        "default": width[ord("m")],
        "widths": {str(ord(c)): width[ord(c)] for c in chars},
        "ranges": ranges,
        "kerning": {},
        "factor": round(factor, 4),
    }
    (DATA / "widths-social.json").write_text(json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    (DATA / "glyphs-social.json").write_text(json.dumps(glyphs, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"social: {len(ranges)} width ranges, {len(glyphs)} outlines, horizontal factor {factor:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
