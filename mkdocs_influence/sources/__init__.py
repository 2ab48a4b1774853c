"""Sources: one module per kind, all behind the small :class:`Source` protocol.

A source turns its configuration into an :class:`~mkdocs_influence.store.activity.Activity`
(the blogger's own posts and audience). Only the CLI calls ``collect``; ``mkdocs build``
never does. Configuration is a list whose entries are a kind name (``- blog``) or a
mapping whose first key is the kind (``- file: activity.json``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConfigError, shown
from ..site import SiteInfo
from ..wording import unknown_name

if TYPE_CHECKING:
    from ..store.activity import Activity
    from ..store.ledger import Ledger


def _empty_ledger() -> Ledger:
    from ..store.ledger import Ledger

    return Ledger()


@dataclass(frozen=True)
class Context:
    """What every source may use: the site, the run's date, and what the ledger already holds
    (for incremental fetching: known post ids, saved cursors)."""

    site: SiteInfo
    as_of: dt.date
    offline: bool = False
    ledger: Ledger = field(default_factory=_empty_ledger)


@dataclass(frozen=True)
class Result:
    activity: Activity
    warnings: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()  # warnings that mean the data is wrong, not just partial: shown without -v


class Source(Protocol):
    """The protocol: a name for the ledger, whether each run lists everything, and how to
    collect. Local sources implement ``collect(ctx)``; network sources (``network = True``)
    implement ``async collect_async(ctx, http)`` and are run concurrently by the pipeline."""

    name: str
    #: True when every run lists all posts (so a missing post was removed).
    complete: bool
    #: True when collecting needs the network (skipped with ``--offline``).
    network: bool


@dataclass(frozen=True)
class SourceSpec:
    """One validated entry of the ``sources`` list."""

    kind: str
    target: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def base_url(self, default: str) -> str:
        """The API's address: ``base_url:`` (a mirror, or a test's local server) or ``default``, without a trailing slash."""
        return str(self.options.get("base_url") or default).rstrip("/")


def _blog(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .blog import BlogSource

    return BlogSource()


def _file(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .file import FileSource

    return FileSource(Path(spec.target))


def _feed(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .feed import FeedSource

    return FeedSource(spec)


def _mastodon(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .mastodon import MastodonSource

    return MastodonSource(spec)


def _bluesky(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .bluesky import BlueskySource

    return BlueskySource(spec)


def _devto(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .devto import DevtoSource

    return DevtoSource(spec)


def _webmentions(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .webmentions import WebmentionSource

    return WebmentionSource(spec, kinds)


def _xarchive(spec: SourceSpec, kinds: frozenset[str]) -> Source:
    from .xarchive import XArchiveSource

    return XArchiveSource(spec)


def _conversation(module: str, cls: str) -> Callable[[SourceSpec, frozenset[str]], Source]:
    """A factory importing ``.<module>.<cls>`` only when the source is built."""

    def make(spec: SourceSpec, kinds: frozenset[str]) -> Source:
        import importlib

        return getattr(importlib.import_module(f".{module}", __name__), cls)(spec)

    return make


_NET = frozenset({"base_url", "token_env", "refresh_days"})
_KEYED = frozenset({"base_url", "token_env"})
_GITHUB = frozenset({"base_url", "token_env", "category", "mapping"})
#: giscus' and utterances' ways of naming a page's thread (``data-mapping`` / ``issue-term``)
MAPPINGS = ("pathname", "url", "title", "og:title", "specific", "number")
#: kind → (factory, whether a target value is required, allowed extra keys)
KINDS: dict[str, tuple[Callable[[SourceSpec, frozenset[str]], Source], bool, frozenset[str]]] = {
    "blog": (_blog, False, frozenset()),
    "file": (_file, True, frozenset()),
    "feed": (_feed, True, frozenset({"base_url"})),
    "webmentions": (_webmentions, True, frozenset({"base_url", "token_env"})),
    "mastodon": (_mastodon, True, _NET),
    "bluesky": (_bluesky, True, _NET),
    "devto": (_devto, True, _NET),
    "x-archive": (_xarchive, True, frozenset()),
    "hackernews": (_conversation("hackernews", "HackerNewsSource"), False, frozenset({"base_url", "domain"})),
    "lobsters": (_conversation("lobsters", "LobstersSource"), False, frozenset({"base_url", "domain"})),
    "reddit": (_conversation("reddit", "RedditSource"), False, _KEYED),
    "giscus": (_conversation("giscus", "GiscusSource"), True, _GITHUB),
    "utterances": (_conversation("utterances", "UtterancesSource"), True, _GITHUB),
    "disqus": (_conversation("disqus", "DisqusSource"), True, _KEYED),
    "plausible": (_conversation("plausible", "PlausibleSource"), True, _KEYED),
    "goatcounter": (_conversation("goatcounter", "GoatCounterSource"), True, _KEYED),
    "umami": (_conversation("umami", "UmamiSource"), True, _KEYED),
}
#: Sources that need nothing from the user: on by default when ``site_url`` is set.
KEYLESS = ("hackernews", "lobsters")


def default_specs(site_url: str = "", root: Path | None = None) -> list[SourceSpec]:
    """The sources used when ``sources:`` is not given: the blog; Hacker News and Lobsters when
    the site has a ``site_url``; giscus or utterances when the site's templates load them."""
    specs = [SourceSpec("blog", "")]
    if site_url:
        specs += [SourceSpec(kind, "") for kind in KEYLESS]
    if root is not None:
        from ._detect import detect_comments

        found = detect_comments(root)
        if found is not None:
            specs.append(found)
    return specs


def _check_option(here: str, key: str, value: Any) -> None:
    if key == "base_url" and not (isinstance(value, str) and value.startswith(("http://", "https://"))):
        raise ConfigError(f"{here}.base_url: expected an http:// or https:// URL, got {value!r}")
    if key == "token_env" and not (isinstance(value, str) and value.replace("_", "").isalnum()):
        raise ConfigError(
            f"{here}.token_env: expected the NAME of an environment variable (the token itself never goes in a file)"
        )
    if key == "domain" and not (isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?", value.strip())):
        raise ConfigError(f"{here}.domain: expected a host name such as blog.example.org, got {shown(value)}")
    if key == "mapping" and value not in MAPPINGS:
        raise ConfigError(f"{here}.mapping: {unknown_name(value, MAPPINGS, what='mapping')}")
    if key == "category" and not (isinstance(value, str) and value.strip()):
        raise ConfigError(f"{here}.category: expected the category's name")
    if key == "refresh_days" and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650):
        raise ConfigError(f"{here}.refresh_days: expected a whole number of days from 0 to 3650")


def _refuse(message: str) -> None:
    raise ConfigError(message)


def parse_specs(raw: Any, where: str = "sources", warn: Callable[[str], None] = _refuse) -> list[SourceSpec]:
    """Validate the ``sources`` option; errors name the entry and say what is expected.

    An unknown option of an entry goes to ``warn`` (an error by default; a warning under
    MkDocs) and is dropped; an unknown kind is always an error: there is nothing to build."""
    if raw is None:
        return []  # not given: the site's defaults apply (config.source_specs → default_specs)
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
            raise ConfigError(f"{here}: {unknown_name(kind, KINDS, what='source')}")
        _, needs_target, allowed = KINDS[kind]
        if needs_target and (not isinstance(target, str) or not target.strip()):
            raise ConfigError(f"{here}.{kind}: expected a non-empty string")
        if not needs_target and target not in ("", None):
            raise ConfigError(f"{here}.{kind}: takes no value")
        for key, value in list(options.items()):
            if key not in allowed:
                warn(unknown_name(key, allowed, prefix=f"{here}."))
                del options[key]
                continue
            _check_option(here, key, value)
        specs.append(SourceSpec(kind, (target or "").strip(), options))
    return specs


def build(specs: Sequence[SourceSpec]) -> list[Source]:
    kinds = frozenset(spec.kind for spec in specs)
    names = [spec.kind for spec in specs]
    dup = next((k for k in names if names.count(k) > 1), None)
    if dup:
        raise ConfigError(f"sources: {dup!r} is configured twice (one entry per kind)")
    return [KINDS[spec.kind][0](spec, kinds) for spec in specs]
