"""SVG → PNG through cairosvg, cached by content hash.

Badges are drawn without features cairosvg gets wrong (no ``text-rendering``, no
filters), so the PNG matches what a browser shows. An unchanged SVG is never rendered
twice: results are kept in memory and, when ``cache_dir`` is given, on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

_MEMORY: OrderedDict[str, bytes] = OrderedDict()
_MEMORY_LIMIT = 256


def _key(svg: str, scale: int) -> str:
    return hashlib.sha256(f"{scale}\x00{svg}".encode("utf-8", "surrogatepass")).hexdigest()


def to_png(svg: str, *, scale: int = 1, cache_dir: str | os.PathLike[str] | None = None) -> bytes:
    """Render ``svg`` to PNG bytes at ``scale`` (1 or 2 for retina; up to 8)."""
    if not isinstance(scale, int) or not 1 <= scale <= 8:
        raise ValueError("scale must be an integer from 1 to 8")
    key = _key(svg, scale)
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return _MEMORY[key]
    path = Path(cache_dir) / f"{key}.png" if cache_dir is not None else None
    if path is not None and path.is_file():
        data = path.read_bytes()
    else:
        import cairosvg  # imported lazily: loading cairo costs ~100 ms

        data = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, unsafe=False)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
    _MEMORY[key] = data
    if len(_MEMORY) > _MEMORY_LIMIT:
        _MEMORY.popitem(last=False)
    return data
