"""The two jobs both shells run: *update* the data folder, and *report* from it.

``update`` reads each configured source and records what changed in the ledger; a
source that fails keeps its last good data and does not stop the others. ``report``
only reads: it is what ``mkdocs build`` runs, never touching the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InfluenceError, LedgerError, SourceError, shown
from ..model import formula as F
from ..net.limits import Limits
from ..store.fileio import EPOCHS_FILE, LEDGER_FILE, locked, read_cached_json, to_json, write_cache_entry
from ..store.runs import RUNS_FILE

if TYPE_CHECKING:  # the heavy modules are imported where a run needs them, not by `mkdocs build`
    from ..settings import Settings
    from ..site import SiteInfo
    from ..sources import Context, Result, SourceSpec
    from ..store.ledger import Ledger


@dataclass(frozen=True)
class SourceOutcome:
    name: str
    status: str  # "ok", "skipped" (offline), "failed"
    posts: int = 0
    message: str = ""
    warnings: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()  # printed without -v (wrong post URLs)


@dataclass(frozen=True)
class UpdateResult:
    outcomes: tuple[SourceOutcome, ...]
    changed: bool
    new_formula: str | None = None  # set when this run made an installed formula current

    @property
    def all_failed(self) -> bool:
        tried = [o for o in self.outcomes if o.status != "skipped"]
        return bool(tried) and all(o.status == "failed" for o in tried)


@dataclass(frozen=True)
class NetSettings(Limits):
    """How far the network sources may go (:class:`~mkdocs_influence.net.limits.Limits`; tests make these
    small), and where the validator cache lives (not in the data folder)."""

    cache_dir: Path | None = None


def _secrets(source: Any) -> tuple[str, ...]:
    name = getattr(source, "token_env", None)
    value = os.environ.get(name) if name else None
    return (value,) if value else ()


Progress = Callable[[str], None]
MAX_WARNINGS = 100  # per source and run; the rest are counted


def _quiet(message: str) -> None:
    """The default progress: say nothing."""


async def _collect_network(
    sources: Sequence[Any], ctx: Context, net: NetSettings, progress: Progress = _quiet
) -> list[Result | InfluenceError]:
    import asyncio
    import dataclasses
    from urllib.parse import urlsplit

    from ..net.cache import purge
    from ..net.fail import reason
    from ..net.http import Http, client
    from ..wording import plural

    limits = Limits(**{f.name: getattr(net, f.name) for f in dataclasses.fields(Limits)})
    purge(net.cache_dir)  # entries of older versions held whole bodies
    async with client(net.timeout) as http_client:

        async def one(source: Any) -> Result | InfluenceError:
            secrets = _secrets(source)
            http = Http(http_client, source.name, secrets, net.cache_dir, limits)
            progress(f"{source.name}: reading…")
            try:
                result = await source.collect_async(ctx, http)
            except InfluenceError as exc:
                return SourceError(http.safe(exc.message, 2000))
            except Exception as exc:  # a bug or an answer no check foresaw: one sentence, never a traceback
                configured = str(getattr(source, "base", "") or getattr(source, "url", ""))
                host = http.host or urlsplit(configured).netloc or "the server"
                return SourceError(
                    f"{source.name}: could not read the answer from {http.safe(host, 80)} ({reason(exc)}); kept the earlier data"
                )
            if len(result.activity.posts) > limits.max_items:  # one page may hold more than the whole allowance
                posts = result.activity.posts[: limits.max_items]
                result = dataclasses.replace(result, activity=dataclasses.replace(result.activity, posts=posts))
                http.note(f"{source.name}: stopped after {limits.max_items} items (limit): kept what was read")
            every = (*http.notes, *result.warnings)
            warnings = tuple(http.safe(w, 500) for w in every[:MAX_WARNINGS])
            if len(every) > MAX_WARNINGS:
                warnings += (f"{source.name}: … and {len(every) - MAX_WARNINGS} more warnings like these",)
            items = len(result.activity.posts) or len(result.activity.links)
            progress(f"{source.name}: {plural(items, 'item')} in {plural(http.requests, 'request')}")
            return dataclasses.replace(result, warnings=warnings)

        return await asyncio.gather(*(one(s) for s in sources))


def _unexpected(name: str, doing: str, exc: Exception) -> str:
    """One sentence for an error no check foresaw: what stopped, and that nothing was lost."""
    return f"{name}: an unexpected {type(exc).__name__} while {doing} ({shown(str(exc), quote=False)}); kept the earlier data"


def _record(current: Ledger, source: Any, result: Result | InfluenceError, as_of: dt.date, outcomes: dict) -> Ledger:
    """Observe one source's result into the ledger; a failure leaves the ledger as it was."""
    from ..store import ledger as ledger_mod

    if isinstance(result, InfluenceError):
        outcomes[source.name] = SourceOutcome(source.name, "failed", message=result.message)
        return current
    dropped: list[str] = []
    try:
        current = ledger_mod.observe(current, source.name, result.activity, as_of, complete=source.complete, warnings=dropped)
    except InfluenceError as exc:
        outcomes[source.name] = SourceOutcome(source.name, "failed", message=exc.message)
        return current
    except Exception as exc:  # the ledger is a value: a failed observe leaves ``current`` as it was
        outcomes[source.name] = SourceOutcome(source.name, "failed", message=_unexpected(source.name, "recording", exc))
        return current
    count = len(result.activity.posts) or len(result.activity.links)
    outcomes[source.name] = SourceOutcome(source.name, "ok", count, warnings=(*result.warnings, *dropped), alerts=result.alerts)
    return current


def _record_local(sources: Sequence[Any], ctx: Context, outcomes: dict[str, SourceOutcome]) -> Ledger:
    """Collect every source that needs no network and record it into ``ctx.ledger``; a source
    that fails (even through a bug) fails alone. Local sources are recorded first, so network
    sources match against this run's posts (a webmention of a post published today lands on
    it; its since_id never skips it)."""
    current = ctx.ledger
    for source in sources:
        if source.network:
            continue
        try:
            result: Result | InfluenceError = source.collect(ctx)
        except InfluenceError as exc:
            result = exc
        except Exception as exc:  # a bug or an input nobody foresaw fails this source, not the run
            result = SourceError(_unexpected(source.name, "reading", exc))
        current = _record(current, source, result, ctx.as_of, outcomes)
    return current


def _skip(remote: Sequence[Any], outcomes: dict[str, SourceOutcome]) -> None:
    for source in remote:
        outcomes[source.name] = SourceOutcome(source.name, "skipped", message="offline: kept the ledger's data")


def _runs(before: dict[str, Any], sources: Sequence[Any], outcomes: dict[str, SourceOutcome], as_of: dt.date) -> dict[str, Any]:
    """``runs.json`` after this run (:mod:`~mkdocs_influence.store.runs`): one outcome per configured source."""
    from ..store.runs import updated

    ran = [(o.name, o.status, o.message) for o in (outcomes[s.name] for s in sources if s.name in outcomes)]
    return updated(before, ran, as_of)


def update(
    site: SiteInfo,
    specs: Sequence[SourceSpec],
    folder: Path,
    as_of: dt.date,
    *,
    offline: bool = False,
    net: NetSettings | None = None,
    progress: Progress = _quiet,
) -> UpdateResult:
    """Collect from every source and save the ledger (atomically, under a lock).

    Network sources run concurrently; a failing source keeps what the ledger holds.
    """
    from ..model.report import adopt_current, load_epochs, save_epochs
    from ..sources import Context
    from ..sources import build as build_sources
    from ..store import ledger as ledger_mod
    from ..store.runs import load_runs, save_runs

    net = net or NetSettings(cache_dir=site.config_dir / ".cache" / "influence" / "http")
    outcomes: dict[str, SourceOutcome] = {}
    with locked(folder):
        tidied: list[str] = []  # what loading had to tidy: then the file is written back even when nothing is new
        current = loaded = ledger_mod.load(folder, tidied)
        ctx = Context(site=site, as_of=as_of, offline=offline, ledger=current)
        sources = build_sources(specs)
        remote = [s for s in sources if s.network]
        if offline:
            _skip(remote, outcomes)
        current = _record_local(sources, ctx, outcomes)
        if remote and not offline:
            import asyncio  # only runs that read the network need it

            ctx = Context(site=site, as_of=as_of, offline=offline, ledger=current)
            for source, result in zip(remote, asyncio.run(_collect_network(remote, ctx, net, progress)), strict=True):
                current = _record(current, source, result, as_of, outcomes)
        changed = (current is not loaded or bool(tidied)) and ledger_mod.save(folder, current)  # else nothing to write
        save_runs(folder, _runs(load_runs(folder), sources, outcomes, as_of))  # what each source's run did
        epochs = load_epochs(folder)
        adopted = adopt_current(epochs, as_of) if (folder / EPOCHS_FILE).exists() else epochs
        save_epochs(folder, adopted)
    ordered = tuple(outcomes[s.name] for s in sources if s.name in outcomes)
    return UpdateResult(ordered, changed, adopted[-1].formula if adopted != epochs else None)


def _cache_key(folder: Path, settings: Settings, as_of: dt.date | None) -> str:
    """Everything the report depends on: the data files, the settings, the date, the code."""
    digest = hashlib.sha256()
    for name in (LEDGER_FILE, EPOCHS_FILE, RUNS_FILE):
        path = folder / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    formulas = sorted((k, F.fingerprint(v)) for k, v in F.FORMULAS.items())
    digest.update(repr((settings, as_of, __version__, formulas)).encode())
    return digest.hexdigest()[:32]


_REPORT_KEYS = frozenset(
    {"schema", "as_of", "formula", "score", "components", "topics", "sources", "history", "changes", "post_discussions"}
)


def has_data(folder: Path) -> bool:
    """Whether ``influence update`` has written the data folder: else :func:`report` refuses
    and a build shows :func:`preview` instead."""
    return (folder / LEDGER_FILE).is_file()


def report(folder: Path, settings: Settings, as_of: dt.date | None = None, cache_dir: Path | None = None) -> dict[str, Any]:
    """The report for ``as_of`` (default: the ledger's newest observation).

    With ``cache_dir``, a report computed before from the same data, settings, date and code
    is read back instead of recomputed (``influence update`` computes it ahead of the build).
    """
    if not has_data(folder):
        raise LedgerError(f"no influence data in {folder}: run `influence update` first (or set data_dir)")
    cached = cache_dir / f"report-{_cache_key(folder, settings, as_of)}.json" if cache_dir else None
    hit = read_cached_json(cached)
    if isinstance(hit, dict) and hit.keys() >= _REPORT_KEYS:
        return hit
    from ..model.report import build, configured, default_as_of, load_epochs
    from ..store import ledger as ledger_mod
    from ..store.runs import load_runs

    ledger = ledger_mod.load(folder)
    when = as_of or default_as_of(configured(ledger, settings.sources))  # a removed source's later data never dates the report
    text = to_json(build(ledger, when, settings, load_epochs(folder), load_runs(folder)))
    if cached is not None:
        write_cache_entry(cached, text.encode("utf-8"))  # skipped when it cannot be written, never fatal
    return json.loads(text)  # the same plain data whether computed now or read from the cache


def preview(
    site: SiteInfo, specs: Sequence[SourceSpec], settings: Settings, as_of: dt.date | None = None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The report ``influence update --offline`` would give, computed in memory: (report, warnings).

    For a site whose data folder does not exist yet (a fresh clone): only the sources that
    need no network run (the site's own posts, local files), their activity goes into an
    empty ledger that is never saved, and nothing is written anywhere. ``as_of`` defaults
    to today (UTC): there is no observation yet to date the report by.
    """
    from ..model.report import build
    from ..sources import Context
    from ..sources import build as build_sources
    from ..store import ledger as ledger_mod

    when = as_of or dt.datetime.now(dt.timezone.utc).date()
    outcomes: dict[str, SourceOutcome] = {}
    ctx = Context(site=site, as_of=when, offline=True, ledger=ledger_mod.Ledger())
    sources = build_sources(specs)
    _skip([s for s in sources if s.network], outcomes)
    current = _record_local(sources, ctx, outcomes)  # the same reading and recording as update
    warnings = [w for o in outcomes.values() for w in ((o.message,) if o.status == "failed" else (*o.alerts, *o.warnings))]
    return json.loads(to_json(build(current, when, settings, (), _runs({}, sources, outcomes, when)))), tuple(warnings)
