"""What each source's last run did: ``runs.json`` in the data folder, beside the ledger.

The ledger keeps what sources *delivered*; a run that fails delivers nothing and leaves the
ledger byte for byte as it was (docs/reliability.md). So that the history page can still say
"Hacker News: failing since 30 Nov 2026: …", "not read yet (offline run)" or "nothing found
yet", ``influence update`` keeps each configured source's outcome here::

    {"schema": 1, "sources": {"hackernews": {"status": "failed", "since": "2026-11-30", "reason": "…", "read": "2026-11-02"}}}

``status`` is ``ok``, ``failed`` or ``skipped`` (an offline run before the source was ever read);
``since`` is the date the status began, so a source that keeps succeeding, or keeps failing for
the same reason (numbers aside: "try again in 37 s"), leaves the file as it was (CI commits nothing); ``read`` is the first day it
read successfully, kept through later failures (what it found then, even nothing, still counts). An offline run keeps a
network source's entry; a source no longer configured loses its entry. A missing or unreadable
file means "no run recorded", never an error: the report then says "not read yet".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from badges import clean_text

from ..net.redact import clip
from .fileio import atomic_write

RUNS_FILE = "runs.json"
STATUSES = ("ok", "failed", "skipped")
REASON_CHARS = 200  # one line on the page
_DIGITS = re.compile(r"\d+")


def load_runs(folder: Path) -> dict[str, dict[str, str]]:
    """Each source's recorded run (``{}`` when none is, or the file is unreadable): only well-formed entries."""
    try:
        raw = json.loads((folder / RUNS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    sources = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(sources, dict):
        return {}
    out = {}
    for name, run in sources.items():
        if isinstance(run, dict) and run.get("status") in STATUSES and isinstance(run.get("since"), str):
            try:
                dt.date.fromisoformat(run["since"])
            except ValueError:
                continue
            read = run.get("read") if isinstance(run.get("read"), str) else ""
            out[str(name)] = {"status": run["status"], "since": run["since"], "reason": str(run.get("reason", "")), "read": read}
    return out


def reason_line(name: str, message: str) -> str:
    """A failure message as one short line without the source's own name in front (the page names it)."""
    return clip(clean_text(message).removeprefix(f"{name}: "), REASON_CHARS)


def updated(
    runs: Mapping[str, Mapping[str, str]], outcomes: Iterable[tuple[str, str, str]], as_of: dt.date
) -> dict[str, dict[str, str]]:
    """``runs`` after a run whose ``outcomes`` are (source name, status, message), one per configured
    source: an unchanged status keeps its ``since``; ``skipped`` never replaces a real outcome."""
    out = {}
    for name, status, message in outcomes:
        before = runs.get(name)
        if status == "skipped" and before is not None and before["status"] != "skipped":
            out[name] = dict(before)
            continue
        reason = reason_line(name, message) if status == "failed" else ""
        same = before is not None and before["status"] == status
        if same and before is not None and _DIGITS.sub("#", before["reason"]) == _DIGITS.sub("#", reason):
            reason = before["reason"]  # the same failure in other numbers ("try again in 37 s"): no change to commit
        since = before["since"] if same else as_of.isoformat()
        read = (before or {}).get("read") or (as_of.isoformat() if status == "ok" else "")
        out[name] = {"status": status, "since": since, "reason": reason, "read": read}
    return dict(sorted(out.items()))


def save_runs(folder: Path, runs: Mapping[str, Mapping[str, str]]) -> bool:
    """Write ``runs.json`` atomically; False (nothing touched) when it already says this."""
    entries = {name: {k: v for k, v in run.items() if v} for name, run in runs.items()}
    text = json.dumps({"schema": 1, "sources": entries}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return atomic_write(folder / RUNS_FILE, text.encode("utf-8"))
