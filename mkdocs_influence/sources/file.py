"""An activity file (JSON, see :mod:`mkdocs_influence.store.activity`): bring in any data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..errors import ActivityError
from ..store.activity import Activity, parse_activity
from . import Context, Result

FILE_KIND = "file"
#: the state naming the sources an activity file brings: the report counts them only while it is configured
FILE_NAMES_STATE = "sources"


class FileSource:
    """Posts and audience from a JSON file; its path is relative to the config file."""

    complete = False  # a file may be partial; its posts are never marked removed
    network = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = FILE_KIND

    def collect(self, ctx: Context) -> Result:
        path = self.path if self.path.is_absolute() else ctx.site.config_dir / self.path
        warnings: list[str] = []
        activity = load_activity_file(path, warnings)
        names = sorted({p.source for p in activity.posts} | {a.source for a in activity.audience})
        return Result(replace(activity, state={**activity.state, FILE_NAMES_STATE: names}), tuple(f"file: {w}" for w in warnings))


def load_activity_file(path: Path, warnings: list[str] | None = None) -> Activity:
    """Read and validate an activity file; every error names the file. With ``warnings``, a bad
    post or sample is skipped and said there instead of failing the whole file."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ActivityError(f"activity file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ActivityError(f"cannot read activity file {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActivityError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    return parse_activity(data, str(path), default_source="file", warnings=warnings)
