"""Sources: one module per kind, all behind the small :class:`Source` protocol.

A source turns its configuration into an :class:`~mkdocs_influence.activity.Activity`
(the blogger's own posts and audience). Only the CLI calls ``collect``; ``mkdocs build``
never does. Configuration is a list whose entries are a kind name (``- blog``) or a
mapping whose first key is the kind (``- file: activity.json``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..activity import Activity
from ..errors import ConfigError
from ..site import SiteInfo


@dataclass(frozen=True)
class Context:
    """What every source may use: where the site is, the run's date, offline or not."""

    site: SiteInfo
    as_of: dt.date
    offline: bool = False


@dataclass(frozen=True)
class Result:
    activity: Activity
    warnings: tuple[str, ...] = ()


class Source(Protocol):
    """The protocol: a name for the ledger, whether each run lists everything, and collect."""

    name: str
    #: True when every run lists all posts (so a missing post was removed).
    complete: bool
    #: True when collect needs the network (skipped with ``--offline``).
    network: bool

    def collect(self, ctx: Context) -> Result: ...


@dataclass(frozen=True)
class SourceSpec:
    """One validated entry of the ``sources`` list."""

    kind: str
    target: str
    options: Mapping[str, Any] = field(default_factory=dict)


def _blog(spec: SourceSpec) -> Source:
    from .blog import BlogSource

    return BlogSource()


def _file(spec: SourceSpec) -> Source:
    from .file import FileSource

    return FileSource(Path(spec.target))


#: kind → (factory, whether a target value is required, allowed extra keys)
KINDS: dict[str, tuple[Callable[[SourceSpec], Source], bool, frozenset[str]]] = {
    "blog": (_blog, False, frozenset()),
    "file": (_file, True, frozenset({"name"})),
}


def parse_specs(raw: Any, where: str = "sources") -> list[SourceSpec]:
    """Validate the ``sources`` option; errors name the entry and say what is expected."""
    if raw is None:
        return [SourceSpec("blog", "")]
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise ConfigError(f"{where}: expected a list of sources, e.g. [blog, {{file: activity.json}}]")
    specs = []
    for i, entry in enumerate(raw):
        here = f"{where}[{i}]"
        if isinstance(entry, str):
            kind, target, options = entry, "", {}
        elif isinstance(entry, Mapping) and entry:
            kind, target = next(iter(entry.items()))
            options = {k: v for k, v in list(entry.items())[1:]}
        else:
            raise ConfigError(f"{here}: expected a kind name or a mapping like {{file: activity.json}}")
        if kind not in KINDS:
            raise ConfigError(f"{here}: unknown source {kind!r} (expected one of {', '.join(sorted(KINDS))})")
        _, needs_target, allowed = KINDS[kind]
        if needs_target and (not isinstance(target, str) or not target.strip()):
            raise ConfigError(f"{here}.{kind}: expected a non-empty string")
        if not needs_target and target not in ("", None):
            raise ConfigError(f"{here}.{kind}: takes no value")
        for key in options:
            if key not in allowed:
                extra = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
                raise ConfigError(f"{here}.{key}: unknown option for {kind}{extra}")
        specs.append(SourceSpec(kind, (target or "").strip(), options))
    return specs


def build(specs: Sequence[SourceSpec]) -> list[Source]:
    return [KINDS[spec.kind][0](spec) for spec in specs]
