"""Reading an answer's body within a size limit, while it streams.

Both sizes are bounded as the bytes arrive: what comes over the wire (a 2 GB body, an
endless chunked body) and what it decompresses to (a gzip bomb). Decompression is done
here, a bounded slice at a time, rather than by httpx, which would inflate each network
chunk in one go. Only ``gzip`` and ``deflate`` are asked for and accepted.
"""

from __future__ import annotations

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"
_SLICE = 1 << 16


class BodyTooLarge(Exception):
    """The body passed a limit; ``what`` says which."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class UnsupportedEncoding(Exception):
    """A ``Content-Encoding`` that was not asked for."""


def _mib(n: int) -> str:
    return f"{n / (1 << 20):g} MiB"


class _Inflater:
    """gzip/deflate, inflated at most ``_SLICE`` bytes per step (multi-member gzip too)."""

    def __init__(self, encoding: str) -> None:
        self.wbits = 47 if encoding in ("gzip", "x-gzip") else 15  # 47: gzip or zlib header
        self.raw_fallback = encoding == "deflate"  # some servers send raw deflate
        self.obj = zlib.decompressobj(self.wbits)
        self.started = self.done = False

    def feed(self, data: bytes) -> list[bytes]:
        out: list[bytes] = []
        while data and not self.done:
            try:
                piece = self.obj.decompress(data, _SLICE)
            except zlib.error:
                if self.raw_fallback and not self.started:
                    self.raw_fallback, self.obj = False, zlib.decompressobj(-15)
                    continue
                raise
            self.started = True
            out.append(piece)
            if self.obj.eof:
                data = self.obj.unused_data
                if data and not data.startswith(b"\x1f\x8b"):
                    self.done = True  # trailing bytes after the last member: ignored, as by gzip(1)
                    break
                self.obj = zlib.decompressobj(self.wbits)
            else:
                data = self.obj.unconsumed_tail
        return out


async def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, or :class:`BodyTooLarge` as soon as either size passes ``max_bytes``."""
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise BodyTooLarge(f"announced {_mib(int(length))}, more than the limit of {_mib(max_bytes)}")
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise UnsupportedEncoding(encoding[:40])
    inflater = _Inflater(encoding) if encoding not in ("", "identity") else None
    wire = size = 0
    parts: list[bytes] = []
    async for chunk in response.aiter_raw():  # as the bytes arrive, never waiting to fill a buffer
        wire += len(chunk)
        if wire > max_bytes:
            raise BodyTooLarge(f"more than {_mib(max_bytes)} on the wire")
        for piece in inflater.feed(chunk) if inflater else [chunk]:
            size += len(piece)
            if size > max_bytes:
                raise BodyTooLarge(f"more than {_mib(max_bytes)} once decompressed")
            parts.append(piece)
    return b"".join(parts)
