"""PNG rendering: ms per badge at 1x and 2x, and a cache hit, against cairosvg itself;
and the cost of shaping text beyond the bundled outlines (CJK, Greek, Arabic) first.

python bench/png_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cairosvg

import badges
from badges import _png, _pngtext


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 20 if args.quick else 300
    svgs = [badges.badge("influence", str(i)) for i in range(n)]
    for scale in (1, 2):
        t = time.perf_counter()
        for svg in svgs:
            cairosvg.svg2png(bytestring=svg.encode(), scale=scale)
        direct = (time.perf_counter() - t) / n * 1000
        _png._MEMORY.clear()
        with tempfile.TemporaryDirectory() as cache:
            t = time.perf_counter()
            for svg in svgs:
                badges.to_png(svg, scale=scale, cache_dir=cache)
            ours = (time.perf_counter() - t) / n * 1000
            _png._MEMORY.clear()
            t = time.perf_counter()
            for svg in svgs:
                badges.to_png(svg, scale=scale, cache_dir=cache)  # unchanged: read from the disk cache
            disk_hit = (time.perf_counter() - t) / n * 1000
            t = time.perf_counter()
            for svg in svgs:
                badges.to_png(svg, scale=scale, cache_dir=cache)  # unchanged: memory
            memory_hit = (time.perf_counter() - t) / n * 1000
        print(
            f"{scale}x: cairosvg {direct:.2f} ms, ours (render + cache write) {ours:.2f} ms ({ours / direct:.2f}x), "
            f"disk-cache hit {disk_hit:.3f} ms, memory hit {memory_hit:.4f} ms"
        )
    scripts = ["日本語 {}", "ελληνικά {}", "عربي {}", "Ωmega {}"]
    mixed = [badges.badge(scripts[i % 4].format(i), str(i)) for i in range(n)]
    for svg in mixed:  # fontconfig lookups happen once per character per process: keep them out of the figure
        _pngtext.prepare(svg)
    t = time.perf_counter()
    for svg in mixed:
        cairosvg.svg2png(bytestring=svg.encode())
    direct = (time.perf_counter() - t) / n * 1000
    _png._MEMORY.clear()
    t = time.perf_counter()
    for svg in mixed:
        badges.to_png(svg)
    ours = (time.perf_counter() - t) / n * 1000
    print(f"non-Latin text, 1x: cairosvg as is (boxes for CJK) {direct:.2f} ms, ours shaped {ours:.2f} ms ({ours / direct:.2f}x)")


if __name__ == "__main__":
    main()
