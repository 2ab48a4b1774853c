"""``influence score`` analyses a post's text once: terms kept by text digest between runs.

``influence update`` keeps each post's terms in the ledger, keyed by a hash of its text
(:func:`.text.text_digest`), so an unchanged post is not analysed again. ``influence score
--activity FILE`` has no ledger, so it keeps the same mapping — digest to terms, nothing else —
in ``.cache/influence/terms-score-<FILE's name>.json`` beside ``FILE`` (one per activity file, so
two files scored in turn from one folder keep their own). The file holds only the
digests of the last run's posts (it never grows past one activity file), belongs to one
version of this package (a new version analyses every post again), is written atomically
and only when it changed, and never fails a run: an unreadable, foreign or damaged file, or
a damaged entry, is no cache. Like the ledger it holds words from the blogger's own posts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import LedgerError
from ..store.activity import Activity
from ..store.fileio import atomic_write, read_cached_json
from ..store.ledger import Ledger, observe
from ..store.ledger_values import terms_ok

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def cache_file(activity_file: Path) -> Path:
    """Where the terms of ``activity_file``'s posts are kept: its own file in ``.cache/influence`` beside it,
    named after it (characters other than letters, digits, ``.``, ``_``, ``-`` replaced; a hash of the
    whole name keeps two names that read alike apart)."""
    name = activity_file.name
    tag = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return activity_file.parent / ".cache" / "influence" / f"terms-score-{_SAFE.sub('_', name)[:60]}-{tag}.json"


def _stamp() -> list[str]:
    from .. import __version__

    return ["terms", __version__]


def recorded(activity: Activity, when: dt.date, path: Path | None) -> Ledger:
    """A new ledger of ``activity`` as of ``when``, the terms of posts kept in the file ``path`` (if any) reused."""
    known = load(path) if path else {}
    ledger = observe(Ledger(), "file", activity, when, complete=False, known_terms=known)
    if path:
        save(path, ledger, known)
    return ledger


def load(path: Path) -> dict[str, dict[str, int]]:
    """Terms by text digest from the last run, the damaged entries left out."""
    data = read_cached_json(path)
    if not isinstance(data, dict) or data.get("version") != _stamp() or not isinstance(data.get("terms"), dict):
        return {}
    return {digest: terms for digest, terms in data["terms"].items() if terms_ok(terms)}


def save(path: Path, ledger: Ledger, before: Mapping[str, Mapping[str, int]]) -> None:
    """Keep the terms of the posts ``ledger`` now holds, unless they are what was loaded."""
    kept = {}
    for record in ledger.records:
        digest = record.data.get("text_sha") if record.kind == "post" else None
        if digest:
            kept[digest] = dict(record.data.get("terms", {}))
    if kept != before:
        payload = json.dumps({"version": _stamp(), "terms": kept}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        with contextlib.suppress(OSError, LedgerError):  # a cache that cannot be written is no cache
            atomic_write(path, payload.encode("utf-8"))  # its own name per activity file: no other entry to prune
