"""The two jobs both shells run: *update* the data folder, and *report* from it.

``update`` reads each configured source and records what changed in the ledger; a
source that fails keeps its last good data and does not stop the others. ``report``
only reads: it is what ``mkdocs build`` runs, never touching the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ledger as ledger_mod
from .errors import InfluenceError, LedgerError
from .fileio import locked
from .report import EPOCHS_FILE, Settings, adopt_current, build, default_as_of, load_epochs, save_epochs
from .site import SiteInfo
from .sources import Context, SourceSpec
from .sources import build as build_sources


@dataclass(frozen=True)
class SourceOutcome:
    name: str
    status: str  # "ok", "skipped" (offline), "failed"
    posts: int = 0
    message: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class UpdateResult:
    outcomes: tuple[SourceOutcome, ...]
    changed: bool
    new_formula: str | None = None  # set when this run made an installed formula current

    @property
    def all_failed(self) -> bool:
        tried = [o for o in self.outcomes if o.status != "skipped"]
        return bool(tried) and all(o.status == "failed" for o in tried)


def update(site: SiteInfo, specs: Sequence[SourceSpec], folder: Path, as_of: dt.date, *, offline: bool = False) -> UpdateResult:
    """Collect from every source and save the ledger (atomically, under a lock)."""
    ctx = Context(site=site, as_of=as_of, offline=offline)
    outcomes = []
    with locked(folder):
        current = ledger_mod.load(folder)
        for source in build_sources(specs):
            if source.network and offline:
                outcomes.append(SourceOutcome(source.name, "skipped", message="offline: kept the ledger's data"))
                continue
            try:
                result = source.collect(ctx)
                current = ledger_mod.observe(current, source.name, result.activity, as_of, complete=source.complete)
            except InfluenceError as exc:
                outcomes.append(SourceOutcome(source.name, "failed", message=exc.message))
                continue
            outcomes.append(SourceOutcome(source.name, "ok", len(result.activity.posts), warnings=result.warnings))
        changed = ledger_mod.save(folder, current)
        epochs = load_epochs(folder)
        adopted = adopt_current(epochs, as_of) if (folder / EPOCHS_FILE).exists() else epochs
        save_epochs(folder, adopted)
    return UpdateResult(tuple(outcomes), changed, adopted[-1].formula if adopted != epochs else None)


def report(folder: Path, settings: Settings, as_of: dt.date | None = None) -> dict[str, Any]:
    """The report for ``as_of`` (default: the ledger's newest observation)."""
    if not (folder / ledger_mod.FILENAME).is_file():
        raise LedgerError(f"no influence data in {folder}: run `influence update` first (or set data_dir)")
    ledger = ledger_mod.load(folder)
    when = as_of or default_as_of(ledger)
    return build(ledger, when, settings, load_epochs(folder))
