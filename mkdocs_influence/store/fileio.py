"""Atomic file writes and the data-folder lock: a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import LedgerError

LEDGER_FILE = "ledger.jsonl"
EPOCHS_FILE = "formulas.json"


def to_json(data: Any) -> str:
    """Canonical JSON: sorted keys, fixed indentation, floats as Python's shortest repr."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def read_cached_json(path: Path | None) -> Any | None:
    """A cache entry's JSON, or None when there is none or it is unreadable, even a cache folder
    that cannot be looked into (then recompute: a cache never fails a build)."""
    if path is None:
        return None
    try:
        return json.loads(path.read_text("utf-8")) if path.is_file() else None
    except (OSError, ValueError):
        return None


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise LedgerError(f"{path} is a symbolic link: refusing to write through it (remove it, or write elsewhere)")


def _create(path: Path, flags: int = 0) -> int:
    """A new file's descriptor; the kernel applies the umask to 0666 (a normal ``open``), and
    ``O_NOFOLLOW``/``O_EXCL`` make a symbolic link at ``path`` an error instead of a way out."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC | flags, 0o666)


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a synced temporary file and a rename.

    Returns False (and touches nothing) when the file already holds exactly ``data``, so
    a rebuild with nothing new changes no file. A new file gets the mode a normal ``open``
    gives (0644 under the usual umask, so a web server running as another user can read
    it); an existing file keeps its mode. A symbolic link at ``path`` is refused.
    """
    try:
        _refuse_link(path)
        if path.is_file() and path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o7777 if path.is_file() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
            try:
                fd = _create(tmp)
                break
            except FileExistsError:
                continue
        try:
            with os.fdopen(fd, "wb") as fh:
                if mode is not None:
                    os.fchmod(fh.fileno(), mode)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise LedgerError(f"cannot write {path}: {exc.strerror or exc}") from None
    return True


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist, not even as a symbolic link) holding ``data``: backups."""
    _refuse_link(path)
    try:
        fd = _create(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(path.parent)
    except OSError as exc:
        raise LedgerError(f"cannot write {path}: {exc.strerror or exc}") from None


#: never in git: the lock, half-written files, and backups (a forgotten source's data lives on in them)
GIT_IGNORED = (".lock", ".*.tmp", "*.bak[0-9]*")


def _ignore_in_git(ignore: Path) -> None:
    """Make sure the data folder's ``.gitignore`` lists :data:`GIT_IGNORED`, keeping the user's own lines."""
    try:
        text = ignore.read_text("utf-8") if os.path.lexists(ignore) else ""
    except (OSError, UnicodeDecodeError):
        return  # not ours to repair: the data is safe either way
    missing = [line for line in GIT_IGNORED if line not in text.splitlines()]
    if missing:
        atomic_write(ignore, (text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(missing) + "\n").encode())


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two updates never interleave."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot use the data folder {folder}: {exc.strerror or exc}") from None
    _ignore_in_git(folder / ".gitignore")
    lock_path = folder / ".lock"
    _refuse_link(lock_path)  # opening a dangling link would create its target, anywhere
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise LedgerError(f"cannot lock the data folder {folder}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LedgerError(f"{folder} is being updated by another process (lock {lock_path})") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_cache_entry(path: Path, data: bytes) -> None:
    """Write one ``<kind>-<key>.json`` cache entry and remove the other entries of its kind:
    a daily CI job restores and saves the whole cache, which would otherwise carry every
    earlier report, page and bundle forward. A cache that cannot be written is skipped."""
    kind = path.name.split("-", 1)[0]
    with contextlib.suppress(OSError, LedgerError):
        atomic_write(path, data)
        for other in path.parent.glob(f"{kind}-*{path.suffix}"):
            if other.name != path.name:
                other.unlink(missing_ok=True)
