"""Atomic file writes and the data-folder lock: a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import LedgerError

LEDGER_FILE = "ledger.jsonl"
EPOCHS_FILE = "formulas.json"


def to_json(data: Any) -> str:
    """Canonical JSON: sorted keys, fixed indentation, floats as Python's shortest repr."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def read_cached_json(path: Path | None) -> Any | None:
    """A cache entry's JSON, or None when there is none or it is unreadable (then recompute)."""
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a synced temporary file and a rename.

    Returns False (and touches nothing) when the file already holds exactly ``data``, so
    a rebuild with nothing new changes no file.
    """
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise LedgerError(f"cannot write {path}: {exc.strerror or exc}") from None
    return True


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two updates never interleave."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot use the data folder {folder}: {exc.strerror or exc}") from None
    ignore = folder / ".gitignore"
    if not ignore.exists():  # the lock and temporary files never belong in git
        atomic_write(ignore, b".lock\n.*.tmp\n")
    lock_path = folder / ".lock"
    try:
        fh = open(lock_path, "a+")  # noqa: SIM115 - closed below, after the lock is released
    except OSError as exc:
        raise LedgerError(f"cannot lock the data folder {folder}: {exc.strerror or exc}") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LedgerError(f"{folder} is being updated by another process (lock {lock_path})") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
