"""SVG → PNG through cairosvg, cached by content hash.

Badges are drawn without features cairosvg gets wrong (no ``text-rendering``, no
filters), so the PNG matches what a browser shows; text beyond the bundled outlines is
shaped with the installed fonts first (``_pngtext``). An unchanged SVG is never rendered
twice: results are kept in memory and, when ``cache_dir`` is given, on disk. The disk
cache is only ever a shortcut: an entry that cannot be read or written is re-rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

_MEMORY: OrderedDict[str, bytes] = OrderedDict()
_MEMORY_LIMIT = 256
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the last chunk of every complete PNG


def _key(svg: str, scale: int) -> str:
    return hashlib.sha256(f"{scale}\x00{svg}".encode("utf-8", "surrogatepass")).hexdigest()


def _read(path: Path) -> bytes | None:
    """A cached PNG, or None when it is missing, unreadable or not a whole PNG (then re-render)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(_SIGNATURE) and data.endswith(_IEND) else None


def _write(path: Path, data: bytes) -> None:
    """Keep ``data`` for next time; a cache that cannot be written (full, read-only, not a
    folder) is skipped: the build goes on without it."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def to_png(svg: str, *, scale: int = 1, cache_dir: str | os.PathLike[str] | None = None) -> bytes:
    """Render ``svg`` to PNG bytes at ``scale`` (1 or 2 for retina; up to 8)."""
    if not isinstance(scale, int) or not 1 <= scale <= 8:
        raise ValueError("scale must be an integer from 1 to 8")
    key = _key(svg, scale)
    path = Path(cache_dir) / f"{key}.png" if cache_dir is not None else None
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        if path is not None and not path.is_file():  # rendered for another cache (or none): keep it in this one too
            _write(path, _MEMORY[key])
        return _MEMORY[key]
    data = _read(path) if path is not None else None
    if data is None:
        import cairosvg  # imported lazily: loading cairo costs ~100 ms

        from ._pngtext import prepare

        data = cairosvg.svg2png(bytestring=prepare(svg).encode("utf-8"), scale=scale, unsafe=False)
        if path is not None:
            _write(path, data)
    _MEMORY[key] = data
    if len(_MEMORY) > _MEMORY_LIMIT:
        _MEMORY.popitem(last=False)
    return data
