"""The ledger's upkeep: ``doctor --repair`` and ``forget`` rewrite it, always after a numbered backup."""

from __future__ import annotations

import os
from pathlib import Path

from .fileio import write_new
from .ledger import FILENAME, Ledger, check, save
from .runs import load_runs, save_runs


def repair(folder: Path) -> tuple[list[str], Path | None]:
    """Drop the lines that do not parse and the values the model cannot use, after copying
    the file to a numbered backup (never through a symbolic link)."""
    path = folder / FILENAME
    ledger, problems = check(path.read_bytes(), str(path))
    if not problems:
        return [], None
    backup = make_backup(folder)
    save(folder, ledger)
    return problems, backup


def make_backup(folder: Path) -> Path:
    """Copy the ledger to the next free numbered backup (``ledger.jsonl.bak1``, ``.bak2``…)."""
    n = 1
    while os.path.lexists(backup := folder / f"{FILENAME}.bak{n}") and not backup.is_symlink():
        n += 1
    write_new(backup, (folder / FILENAME).read_bytes())  # refuses a symbolic link planted at the backup's name
    return backup


def forget(folder: Path, ledger: Ledger, source: str) -> tuple[int, Path | None]:
    """Remove every line of ``source`` and the counts it added to other posts (``via``) from
    ``ledger`` (the folder's, loaded under the data-folder lock the caller holds), after a
    numbered backup; (lines removed, backup)."""
    kept = tuple(r for r in ledger.records if source not in (r.source, r.data.get("via")))
    if len(kept) == len(ledger.records):
        return 0, None
    backup = make_backup(folder)
    save(folder, Ledger(kept))
    runs = load_runs(folder)
    if source in runs:  # what it read is gone: its last run no longer says "read since …"
        save_runs(folder, {name: run for name, run in runs.items() if name != source})
    return len(ledger.records) - len(kept), backup
