"""The HTTP validator cache: ETag/Last-Modified plus the source's own derived result.

Never a raw body: an API answer carries other people (names, handles, avatars, comment
texts) and may echo a token. A source that wants a 304 to be cheap hands
:meth:`~mkdocs_influence.net.http.Http.get` a ``derive`` function; what is stored is that
function's JSON-able result (e.g. the blogger's own posts parsed from a feed) next to the
validators, and a 304 returns it. Nothing is stored for ``Cache-Control: no-store`` or
``private`` answers, nor when the derived data holds any form of a secret.

The cache is an optimisation only: a missing, corrupt, full or read-only folder means
"no cache" and at most one warning, never a failed source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ..store.fileio import atomic_write
from .redact import contains, redact

VERSION = 2  # entries of older layouts (whole bodies) are ignored and overwritten


@dataclass(frozen=True)
class Entry:
    etag: str | None
    last_modified: str | None
    derived: Any

    def validators(self) -> dict[str, str]:
        send = {}
        if self.etag:
            send["If-None-Match"] = self.etag
        if self.last_modified:
            send["If-Modified-Since"] = self.last_modified
        return send


def storable(headers: Mapping[str, str]) -> bool:
    """False when the server forbids keeping its answer (``no-store``, ``private``)."""
    directives = {d.strip().split("=", 1)[0].lower() for d in str(headers.get("cache-control") or "").split(",")}
    return not directives & {"no-store", "private"}


def _digest(derived: Any) -> str:
    return hashlib.sha256(json.dumps(derived, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def purge(folder: Path | None) -> int:
    """Delete entries of older layouts (they held whole bodies, other people included); never raises."""
    removed = 0
    if folder is None:
        return 0
    try:
        for path in folder.glob("*.json"):
            try:
                if not path.read_bytes().rstrip().endswith(f'"version": {VERSION}}}'.encode()):  # keys are sorted: version last
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    except OSError:
        pass
    return removed


class HttpCache:
    """One source's view of the cache folder; every failure becomes a note, never an error."""

    def __init__(self, folder: Path | None, secrets: Iterable[str], note: Callable[[str], None]) -> None:
        self.folder, self.secrets, self.note = folder, tuple(secrets), note
        self.broken = False

    def _path(self, url: str, kind: str) -> Path | None:
        if self.folder is None or self.broken:
            return None
        key = f"{redact(url, self.secrets)}#{kind}"
        return self.folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.json"

    def load(self, url: str, kind: str) -> Entry | None:
        """The entry for ``url`` and ``kind``, or None (none, unreadable, corrupt, older layout)."""
        path = self._path(url, kind)
        try:
            if path is None or not path.is_file():
                return None
            raw = json.loads(path.read_text("utf-8"))
            if not isinstance(raw, dict) or raw.get("version") != VERSION or raw.get("digest") != _digest(raw.get("derived")):
                return None
            etag, modified = raw.get("etag"), raw.get("last_modified")
            if not isinstance(etag, str | None) or not isinstance(modified, str | None) or not (etag or modified):
                return None
            return Entry(etag, modified, raw["derived"])
        except (OSError, ValueError, RecursionError):
            return None

    def store(self, url: str, kind: str, headers: Mapping[str, str], derived: Any) -> None:
        """Keep the validators and ``derived`` when the server allows it and no secret is inside."""
        path = self._path(url, kind)
        etag, modified = headers.get("etag"), headers.get("last-modified")
        if path is None or not (etag or modified):
            return
        try:
            if not storable(headers):
                path.unlink(missing_ok=True)  # an older run may have kept what is now forbidden
                return
            entry = {"version": VERSION, "etag": etag, "last_modified": modified, "derived": derived, "digest": _digest(derived)}
            text = json.dumps(entry, sort_keys=True, ensure_ascii=False)
            if contains(text, self.secrets):
                path.unlink(missing_ok=True)
                return
            atomic_write(path, text.encode("utf-8"))
        except (OSError, LedgerError, TypeError, ValueError) as exc:
            self.broken = True
            if isinstance(exc, LedgerError):
                reason = exc.message.rsplit(": ", 1)[-1]
            else:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            self.note(f"the HTTP cache in {self.folder} cannot be written ({reason}); went on without it")
