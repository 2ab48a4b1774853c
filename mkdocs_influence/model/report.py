"""The report: everything the renderers show, as plain JSON-serialisable data.

A pure function of (ledger, as-of date, settings, formula epochs, each source's last run). The history is not
stored but derived from the ledger, one row a week up to the as-of date, under each
formula the data folder has seen (``formulas.json``), so a formula change recomputes
the whole history and both lines stay visible where they overlap.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LedgerError
from ..settings import Settings
from ..sources.file import FILE_KIND, FILE_NAMES_STATE
from ..store.fileio import EPOCHS_FILE, atomic_write
from ..store.ledger import Ledger, LedgerIndex, PostView, latest_posts, readers_only, state
from ..wording import day_label, plural
from . import formula as F
from .explain import explain
from .moved import moved
from .rolling import RollingScore, fits
from .score import Memo, compute, points
from .topics import extract

if TYPE_CHECKING:
    from ..render.discussions import Place

REPORT_SCHEMA = 1
HISTORY_STEP_DAYS = 7
CHANGE_WINDOWS = (30, 90)  # "why it moved" on the history page


@dataclass(frozen=True)
class Epoch:
    """From ``since`` on, ``formula`` is the current one (``since`` None: from the start)."""

    formula: str
    since: dt.date | None = None


def load_epochs(folder: Path) -> list[Epoch]:
    path = folder / EPOCHS_FILE
    if not path.exists():
        return [Epoch(F.CURRENT.id)]
    try:
        raw = json.loads(path.read_text("utf-8"))
        epochs = [Epoch(e["formula"], dt.date.fromisoformat(e["since"]) if e.get("since") else None) for e in raw["epochs"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LedgerError(f"{path}: not a valid formula history ({exc})") from None
    unknown = [e.formula for e in epochs if e.formula not in F.FORMULAS]
    if unknown:
        raise LedgerError(f"{path}: formula {unknown[0]!r} is unknown to this version of mkdocs-influence")
    return epochs or [Epoch(F.CURRENT.id)]


def save_epochs(folder: Path, epochs: Sequence[Epoch]) -> bool:
    data = {"epochs": [{"formula": e.formula, "since": e.since.isoformat() if e.since else None} for e in epochs], "schema": 1}
    return atomic_write(folder / EPOCHS_FILE, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())


def adopt_current(epochs: Sequence[Epoch], since: dt.date) -> list[Epoch]:
    """The epochs with the installed formula made current from ``since`` (unchanged if it is)."""
    out = list(epochs)
    if out[-1].formula != F.CURRENT.id:
        out.append(Epoch(F.CURRENT.id, since))
    return out


def history_dates(ledger: Ledger, as_of: dt.date) -> list[dt.date]:
    """Weekly dates ending on ``as_of``, from the first post (or observation) on."""
    starts = [dt.date.fromisoformat(r.data["published"][:10]) for r in ledger.of_kind("post")]
    starts += [r.observed for r in ledger.records if r.kind != "post"]
    if not starts:
        return [as_of]
    first = min(starts)
    dates = []
    d = as_of
    while d >= first:
        dates.append(d)
        d -= dt.timedelta(days=HISTORY_STEP_DAYS)
    return sorted(dates)


def history(ledger: Ledger, as_of: dt.date, epochs: Sequence[Epoch], index: LedgerIndex | None = None) -> list[dict[str, Any]]:
    """One row per date and formula; older formulas stop where the next one starts.

    Rows are evaluated incrementally (:mod:`.rolling`); the as-of row, which is the
    headline score, with :func:`.score.points` exactly.
    """
    rows = []
    dates = history_dates(ledger, as_of)
    index = index or LedgerIndex(ledger)
    formulas = {e.formula: F.FORMULAS[e.formula] for e in epochs}
    steps = list(index.steps(dates))
    views = {id(v): v for step in steps for pair in step.changed for v in pair if v is not None}.values()
    t0 = min((v.published.timestamp() for v in views), default=0.0)
    rolling = {name: RollingScore(f, views, t0) for name, f in formulas.items() if fits(f, t0, as_of)}
    memo: Memo = {}
    for step in steps:
        for roll in rolling.values():
            for before, after in step.changed:
                roll.update(before, after)
        d = step.as_of
        snap = index.snapshot(d) if d == as_of or len(rolling) < len(formulas) else None
        for i, epoch in enumerate(epochs):
            until = epochs[i + 1].since if i + 1 < len(epochs) else None
            if until is not None and d >= until:
                continue
            if snap is not None:
                value, parts = points(snap, formulas[epoch.formula], memo)
            else:
                value, parts = rolling[epoch.formula].points(d, step.followers)
            rows.append(
                {
                    "date": d.isoformat(),
                    "formula": epoch.formula,
                    "score": max(1, min(100, math.floor(value + 0.5))),
                    "value": value,
                    "components": parts,
                    "reconstructed": step.reconstructed,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["formula"]))
    return rows


def source_names(ledger: Ledger, kinds: Sequence[str]) -> frozenset[str]:
    """The ledger's source names that belong to the configured source ``kinds``.

    Each kind records under its own name, except ``file``: an activity file brings any names
    (``mastodon``…), which its run records as its ``sources`` state. A ledger written before
    that state existed counts every name while ``file`` is configured (the next update records it).
    """
    names = set(kinds)
    if FILE_KIND in kinds:
        brought = state(ledger, FILE_KIND, FILE_NAMES_STATE)
        names |= set(brought) if isinstance(brought, list) else {r.source for r in ledger.records}
    return frozenset(names)


def configured(ledger: Ledger, kinds: Sequence[str] | None) -> Ledger:
    """Only the data of the configured sources (``None``: all of it). A removed source's data
    stays in the ledger, unused, until ``influence forget`` removes it (docs/privacy.md)."""
    if kinds is None:
        return ledger
    names = source_names(ledger, kinds)
    kept = tuple(r for r in ledger.records if r.source in names and r.data.get("via", r.source) in names)
    return ledger if len(kept) == len(ledger.records) else Ledger(kept)


def unused(ledger: Ledger, kinds: Sequence[str]) -> dict[str, str]:
    """Source names whose data the ledger holds but no configured source brings, with what it holds."""
    names = source_names(ledger, kinds)
    held = sorted({r.source for r in ledger.records} | {str(r.data["via"]) for r in ledger.records if "via" in r.data})
    out = {}
    for name in held:
        if name in names:
            continue
        posts = [r for r in latest_posts(ledger, name).values() if not r.data.get("removed")]
        linked = {r.id for r in ledger.records if r.data.get("via") == name}
        followers = [r for r in ledger.records if r.kind == "audience" and r.source == name]
        parts = [plural(len(posts), "post")] if posts else []
        parts += [f"counts on {plural(len(linked), 'post')}"] if linked else []
        parts += [plural(max(followers, key=lambda r: r.observed).data["followers"], "follower")] if followers else []
        out[name] = ", ".join(parts) or "no posts"
    return out


#: Sources that count the conversation around this site's own posts: once one has run and found
#: nothing, that is a zero, not a blank (no discussion yet is an answer).
CONVERSATION_SOURCES = frozenset({"webmentions", "hackernews", "lobsters", "reddit", "giscus", "utterances", "disqus"})
#: What the page suggests when nothing measures engagement: keyless first, then one token.
SUGGESTED_SOURCES = ("hackernews", "lobsters", "webmentions")
Runs = Mapping[str, Mapping[str, str]]  # store/runs.py: each source's last run


def _has_read(ledger: Ledger, name: str, runs: Runs) -> bool:
    """Whether source ``name`` has ever read successfully (``runs.json``'s ``read``), or delivered something."""
    run = runs.get(name)
    return bool(run and run.get("read")) or any(r.kind == "fetch" and r.source == name for r in ledger.records)


def engagement_measured(ledger: Ledger, kinds: Sequence[str] | None, runs: Runs | None = None) -> bool:
    """Whether engagement data is actually there: posts whose own source carries counts (Mastodon,
    an activity file…), counts of engagement added to posts by another source (``via``; readers
    alone do not count), or a configured conversation source that has read successfully and
    found nothing yet. A conversation source that is configured but never read, or only ever
    failed, measures nothing: the page then says so, and why (:func:`unmeasured_sources`)."""
    for r in ledger.records:
        if r.kind == "post" and not r.data.get("unmeasured") and not r.data.get("removed"):
            return True
        if r.kind == "metrics" and "via" in r.data and not readers_only(r.data):
            return True
    runs = runs or {}
    names = CONVERSATION_SOURCES.intersection(runs if kinds is None else kinds)
    return any(_has_read(ledger, name, runs) for name in names)


def source_status(has_data: bool, run: Mapping[str, str] | None) -> str:
    """What happened to a configured source, in words, where its data does not say it already:
    ``failing since 30 Nov 2026: <reason>``, ``not read yet (offline run)``, ``not read yet``,
    ``nothing found yet (read since …)``; '' for a source whose data speaks for it."""
    if run is not None and run["status"] == "failed":
        return f"failing since {day_label(run['since'])}: {run['reason'] or 'no reason given'}"
    if has_data:
        return ""
    if run is None:
        return "not read yet"
    if run["status"] == "skipped":
        return "not read yet (offline run)"
    return f"nothing found yet (read since {day_label(run.get('read') or run['since'])})"


def engagement_note(site_url: str, pending: Mapping[str, str] | None = None) -> str:
    """The plain sentence the page, the badge's alt text and the CLI give when nothing measures
    engagement; ``pending``: the configured conversation sources that delivered nothing, with what happened to each."""
    if pending:
        groups: dict[str, list[str]] = {}
        for name, status in pending.items():  # "failing since …: reason" → "failing" (the page lists each reason)
            groups.setdefault("failing" if status.startswith("failing since ") else status, []).append(name)
        listed = "; ".join(f"{what}: {', '.join(names)}" for what, names in groups.items())
        unread = any(what.startswith("not read yet") for what in groups)
        return (
            "Engagement is not measured yet: the configured sources that see replies, comments or discussions of your posts "
            f"have delivered nothing ({listed}), so this score is posting rhythm (and reach) alone."
            + (" Run influence update without --offline to read them." if unread else "")
        )
    keyless = "hackernews and lobsters need no key" + ("" if site_url else " (set site_url first)")
    return (
        "Engagement is not measured: no configured source sees replies, comments or discussions of your posts, "
        f"so this score is posting rhythm (and reach) alone. Add a source to measure it: {keyless}; "
        "webmentions needs one webmention.io token."
    )


def build(
    ledger: Ledger, as_of: dt.date, settings: Settings = Settings(), epochs: Sequence[Epoch] = (), runs: Runs | None = None
) -> dict[str, Any]:
    """The full report for ``as_of``, from the data of the configured sources only; ``runs``: what
    each source's last run did (``runs.json``, see :mod:`~mkdocs_influence.store.runs`)."""
    ledger = configured(ledger, settings.sources)
    with _cycle_collector_paused():
        return _build(ledger, as_of, settings, epochs, runs or {})


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """The model makes hundreds of thousands of small objects and no reference cycles;
    Python's cyclic collector would rescan all of them again and again while they pile up,
    which made a 20,000-post history 1.4x slower than linear (profiled). Reference
    counting still frees everything; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summary(ledger: Ledger, as_of: dt.date, settings: Settings = Settings()) -> dict[str, Any]:
    """The report's headline only — as of, score, formula, components, topics — under the current
    formula: what ``influence score`` prints, without the weekly history and changes it would discard."""
    with _cycle_collector_paused():
        _, _, result, topics = _scored(configured(ledger, settings.sources), as_of, settings, F.CURRENT)
    return _headline(as_of, result, topics)


def _scored(ledger: Ledger, as_of: dt.date, settings: Settings, formula: F.Formula) -> tuple[LedgerIndex, Any, Any, Any]:
    """(index, snapshot, score, topics) as of ``as_of``: the part every report starts from."""
    index = LedgerIndex(ledger)
    snap = index.snapshot(as_of)
    return index, snap, compute(snap, formula), extract(snap, settings.topics, settings.site_name)


def _headline(as_of: dt.date, result: Any, topics: Any) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "formula": result.formula,
        "score": result.rounded,
        "value": result.value,
        "components": {c.name: c.to_dict() for c in result.components},
        "topics": [t.to_dict() for t in topics],
    }


def _sources(snap: Any, kinds: Sequence[str] | None, runs: Runs) -> dict[str, dict[str, Any]]:
    """The report's ``sources``: what each source's data holds (posts, followers, last new data),
    and every configured source, even one that delivered nothing, with its last ``run`` and, where
    the data does not say it, its ``status`` in words (:func:`source_status`)."""
    sources: dict[str, dict[str, Any]] = {}
    for post in snap.posts:
        sources.setdefault(post.source, {"posts": 0})["posts"] += 1
    for src, n in snap.followers.items():
        sources.setdefault(src, {"posts": 0})["followers"] = n
    for src, day in snap.fetched.items():
        sources.setdefault(src, {"posts": 0})["last_new_data"] = day.isoformat()
    for name in dict.fromkeys(kinds or ()):  # a kind configured twice (two feeds) is one source
        entry = sources.setdefault(name, {"posts": 0})
        has_data = len(entry) > 1 or entry["posts"] > 0  # followers or a day it brought something new
        run = runs.get(name)
        if run is not None:
            entry["run"] = {k: v for k, v in run.items() if v}
        status = source_status(has_data, run)
        if status:
            entry["status"] = status
    return dict(sorted(sources.items()))


def _build(ledger: Ledger, as_of: dt.date, settings: Settings, epochs: Sequence[Epoch], runs: Runs) -> dict[str, Any]:
    epochs = list(epochs) or [Epoch(F.CURRENT.id)]
    formula = F.FORMULAS[epochs[-1].formula]
    index, snap, result, topics = _scored(ledger, as_of, settings, formula)
    scored = {as_of: (snap, result)}
    sources = _sources(snap, settings.sources, runs)
    return {
        "schema": REPORT_SCHEMA,
        **_headline(as_of, result, topics),
        "sources": sources,
        "posts": len(snap.posts),
        "reconstructed": snap.reconstructed,
        "site_name": settings.site_name,
        "site_url": settings.site_url,
        **_engagement_fields(ledger, settings, runs, sources),
        **_discussion_fields(ledger, snap.posts),
        "moved": moved(snap.posts, result, as_of),
        "history": history(ledger, as_of, epochs, index),
        "formula_changes": [{"formula": e.formula, "since": e.since.isoformat()} for e in epochs if e.since],
        "changes": {
            str(days): explain(index, as_of - dt.timedelta(days=days), as_of, formula, scored) for days in CHANGE_WINDOWS
        },
    }


def _discussion_fields(ledger: Ledger, posts: Sequence[PostView]) -> dict[str, Any]:
    """``discussed`` for the history page and ``post_discussions`` (every discussed post, by id)
    for the line under each post: a build reads them from the report, never the ledger."""
    from ..render.discussions import for_posts

    views = {p.key: p for p in posts}
    found = {pid: (views[f"blog:{pid}"], places) for pid, places in for_posts(ledger, None).items() if f"blog:{pid}" in views}
    every = [
        {"id": pid, "path": post.path, "url": post.url, "places": [p.to_dict() for p in places]}
        for pid, (post, places) in found.items()
    ]
    return {"discussed": discussed(found), "post_discussions": sorted(every, key=lambda d: d["id"])}


def discussed(found: dict[str, tuple[PostView, list[Place]]], limit: int = 10) -> list[dict[str, Any]]:
    """Where the blog's posts were discussed, most discussed first: each place with its counts and
    thread address (a thread is a place, never a person). Counts are the latest the ledger holds,
    for the posts of this report (the ledger is already the configured sources')."""
    from ..render.discussions import counts_text

    out = []
    for post, places in found.values():
        shown = [
            {
                "name": p.name or "Comments",
                "url": p.url,
                "counts": dict(p.counts),
                "text": counts_text(p),
            }
            for p in places
        ]
        total = sum(n for p in places for _, n in p.counts)
        out.append({"title": post.title, "url": post.url, "path": post.path, "total": total, "places": shown})
    out.sort(key=lambda d: (-d["total"], d["title"], d["url"]))
    return out[:limit]


def _engagement_fields(ledger: Ledger, settings: Settings, runs: Runs, sources: Mapping[str, Any]) -> dict[str, Any]:
    """``engagement_measured`` always; when false, the sources that would measure it (the configured
    conversation sources that delivered nothing, else the suggested ones) and the sentence saying so and why."""
    if engagement_measured(ledger, settings.sources, runs):
        return {"engagement_measured": True}
    pending = {n: sources[n].get("status", "") for n in sorted(CONVERSATION_SOURCES.intersection(settings.sources or ()))}
    note = engagement_note(settings.site_url, pending)
    return {"engagement_measured": False, "suggest": list(pending or SUGGESTED_SOURCES), "engagement_note": note}


def default_as_of(ledger: Ledger) -> dt.date:
    """The date of the newest observation: builds are reproducible, not tied to today."""
    latest = ledger.latest_date()
    if latest is None:
        raise LedgerError("the ledger is empty: run `influence update` first")
    return latest
