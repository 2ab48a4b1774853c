"""The ledger: an append-only record of what was observed, and when.

Stored as ``ledger.jsonl`` in the data folder: a header line ``{"kind":"header","schema":1}``
then one observation per line, sorted by (source, post id, kind, date), keys sorted, so
diffs stay small and identical inputs give identical bytes. A line is added only when
a value changed since the previous observation of the same thing.

Line kinds:

- ``post``: a post's metadata (title, url, published, tags, lang, *terms*, ``text_sha``, path) as of
  ``observed``; ``removed: true`` when a complete source no longer lists it.
- ``metrics``: a post's counts as of ``observed`` (zeros omitted).
- ``audience``: followers on a source as of ``observed``.
- ``fetch``: a source delivered ``items`` posts on ``observed`` (freshness).

Full post text is never stored: only its candidate terms (see :mod:`.text`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from badges import clean_text

from ..errors import LedgerError, shown
from ..terms.text import post_terms
from .activity import METRICS, YEARS, Activity, checked, in_years
from .fileio import LEDGER_FILE, atomic_write
from .ledger_values import bad_values, json_line

SCHEMA = 1
FILENAME = LEDGER_FILE
#: schema N → a function turning schema-N lines (after the header) into schema-N+1 lines.
#: Schema 1 is the first released one, so there is nothing to upgrade yet; each later
#: schema adds its step here, with a test that loads a file written in the old schema.
MIGRATIONS: dict[int, Callable[[list[str]], list[str]]] = {}
_KIND_ORDER = {"post": 0, "metrics": 1, "audience": 2, "fetch": 3, "state": 4}


@dataclass(frozen=True)
class Record:
    """One observation. ``data`` holds the kind's fields (see the module docstring)."""

    kind: str
    source: str
    id: str
    observed: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What this record is an observation *of*: a later record with the same key supersedes it."""
        return (self.kind, self.source, self.id, str(self.data.get("via", "")) if self.kind == "metrics" else "")

    def sort_key(self) -> tuple[str, str, int, str, str]:
        return (self.source, self.id, _KIND_ORDER[self.kind], self.key[3], self.observed.isoformat())

    def to_line(self) -> str:
        obj = {"kind": self.kind, "source": self.source, "observed": self.observed.isoformat(), **self.data}
        if self.id:
            obj["id"] = self.id
        return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Ledger:
    """All observations, sorted. Pure value: ``observe`` returns a new ledger."""

    records: tuple[Record, ...] = ()

    def latest_date(self) -> dt.date | None:
        return max((r.observed for r in self.records), default=None)

    def of_kind(self, kind: str) -> Iterable[Record]:
        return (r for r in self.records if r.kind == kind)


def _post_data(post_published: dt.datetime, **fields: Any) -> dict[str, Any]:
    """A post line's fields: text cleaned of controls, bidi overrides and lone surrogates
    (they could hide or reorder what is shown, and cannot be written as UTF-8)."""
    data: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = clean_text(value)
        elif isinstance(value, list):
            value = [v for v in map(clean_text, value) if v.strip()]
        if value:  # empty texts, lists and mappings, None and False are left out
            data[key] = value
    data["published"] = post_published.strftime("%Y-%m-%dT%H:%M:%SZ")
    return data


def _latest(records: Iterable[Record]) -> dict[tuple[str, str, str, str], Record]:
    out: dict[tuple[str, str, str, str], Record] = {}
    for r in records:
        if r.key not in out or out[r.key].observed <= r.observed:
            out[r.key] = r
    return out


def latest_posts(ledger: Ledger, source: str) -> dict[str, Record]:
    """The newest ``post`` record of each post of ``source`` (removed ones included)."""
    return {r.id: r for r in _latest(r for r in ledger.records if r.kind == "post" and r.source == source).values()}


def latest_metrics(ledger: Ledger, source: str, via: str = "") -> dict[str, dict[str, int]]:
    """The newest counts of each post of ``source`` (as recorded by ``via``, if given)."""
    recs = (r for r in ledger.records if r.kind == "metrics" and r.source == source and r.key[3] == via)
    return {r.id: {k: v for k, v in r.data.items() if k != "via"} for r in _latest(recs).values()}


def state(ledger: Ledger, source: str, name: str) -> Any:
    """A source's saved cursor (e.g. webmention.io's ``since_id``), or None."""
    recs = [r for r in ledger.records if r.kind == "state" and r.source == source and r.id == name]
    return max(recs, key=lambda r: r.observed).data.get("value") if recs else None


def observe(
    ledger: Ledger,
    source: str,
    activity: Activity,
    observed: dt.date,
    *,
    complete: bool,
    warnings: list[str] | None = None,
    known_terms: Mapping[str, Mapping[str, int]] | None = None,
) -> Ledger:
    """Add what ``source`` delivered on ``observed``; only changed values make new lines.

    ``complete`` sources list every post each time (the blog), so a post they no longer
    list is marked removed; incremental sources only ever add or update. Every value is
    checked first (:func:`~.activity.checked`): what is dropped is said in ``warnings``.
    ``known_terms`` are terms by text digest from elsewhere (``influence score``'s cache).
    """
    activity = checked(activity, source, [] if warnings is None else warnings)
    latest = _latest(ledger.records)
    new: dict[tuple[str, str, str, str, dt.date], Record] = {}

    existing = {(*r.key, r.observed): r.data for r in ledger.records}

    def add(record: Record) -> None:
        if existing.get((*record.key, record.observed)) == record.data:
            return  # already recorded (e.g. an activity file's dated audience samples)
        prev = latest.get(record.key)
        if prev is None or prev.data != record.data:
            if prev is not None and prev.observed > observed:
                raise LedgerError(
                    f"cannot record {source} data for {observed}: the ledger already has {prev.observed} (use a later --as-of)"
                )
            new[(*record.key, record.observed)] = record

    seen = set()
    for post in activity.posts:
        seen.add(post.id)
        before = latest.get(("post", post.source, post.id, ""))
        text_sha, terms = post_terms(post.title, post.text, post.lang, None if before is None else before.data, known_terms)
        data = _post_data(
            post.published,
            title=post.title,
            url=post.url,
            tags=list(post.tags),
            lang=post.lang if post.lang != "en" else "",
            terms=terms,
            text_sha=text_sha,  # terms are kept while the text is unchanged (docs/topics.md)
            path=post.path,
            unmeasured=not post.measured,
        )
        add(Record("post", post.source, post.id, observed, data))
        metrics = {m: post.metrics[m] for m in METRICS if post.metrics.get(m)}
        if metrics or ("metrics", post.source, post.id, "") in latest:
            add(Record("metrics", post.source, post.id, observed, metrics))
    for link in activity.links:
        counts = {m: link.metrics[m] for m in METRICS if link.metrics.get(m)}
        add(Record("metrics", link.source, link.id, observed, {**counts, "via": source}))
    for name, value in sorted(activity.state.items()):
        add(Record("state", source, name, observed, {"value": value}))
    if complete:
        for (kind, src, pid, _), rec in latest.items():
            if kind == "post" and src == source and pid not in seen and not rec.data.get("removed"):
                add(Record("post", src, pid, observed, {**rec.data, "removed": True}))
    for sample in activity.audience:
        add(Record("audience", sample.source, "", sample.date, {"followers": sample.followers}))
    if not new:
        return ledger
    # Freshness: when this source last brought something new (a quiet day adds nothing).
    fetch = Record("fetch", source, "", observed, {"items": len(activity.posts)})
    new[(*fetch.key, observed)] = fetch
    # A second run on the same day replaces that day's lines instead of adding twins.
    kept = [r for r in ledger.records if (*r.key, r.observed) not in new]
    return Ledger(tuple(sorted((*kept, *new.values()), key=Record.sort_key)))


def dumps(ledger: Ledger) -> str:
    header = json.dumps({"kind": "header", "schema": SCHEMA}, sort_keys=True, separators=(",", ":"))
    return "\n".join([header, *(r.to_line() for r in ledger.records)]) + "\n"


#: Without these fields a line means nothing: a line whose value for one is bad is dropped whole.
_REQUIRED = {"post": "published", "audience": "followers"}


def _parse_line(line: str, where: str, problems: list[str] | None = None) -> Record | None:
    """One line as a :class:`Record`. A broken line (not JSON, unknown kind, no source or date)
    is an error; a bad *value* is dropped (noted in ``problems``), and the line is dropped
    (None) only when that value is the one it records."""
    obj = json_line(line, where)
    if not isinstance(obj, dict):
        raise LedgerError(f"{where}: expected a JSON object")
    kind = obj.pop("kind", None)
    if kind not in _KIND_ORDER:
        raise LedgerError(f"{where}: unknown kind {shown(kind)}")
    source = obj.pop("source", None)
    if not isinstance(source, str) or not source:
        raise LedgerError(f"{where}: missing 'source'")
    pid = obj.pop("id", "")
    try:
        observed = dt.date.fromisoformat(obj.pop("observed"))
    except (KeyError, TypeError, ValueError):
        raise LedgerError(f"{where}: missing or invalid 'observed' date") from None
    if kind in _REQUIRED and _REQUIRED[kind] not in obj:
        raise LedgerError(f"{where}: {kind} without {_REQUIRED[kind]!r}")
    if kind == "metrics" and not all(m in METRICS or m == "via" for m in obj):  # another schema, or a typo
        raise LedgerError(f"{where}: metrics must be known names ({', '.join(METRICS)})")
    bad = bad_values(kind, obj)
    if not in_years(observed):
        bad.append(f"observed = {observed} (outside the years {YEARS[0]}-{YEARS[1]})")
    if bad and problems is not None:
        problems.extend(f"{where}: {message}" for message in bad)
    if (kind in _REQUIRED and _REQUIRED[kind] not in obj) or not in_years(observed):
        return None
    return Record(kind, source, str(pid), observed, obj)


def loads(text: str, origin: str = FILENAME, problems: list[str] | None = None) -> Ledger:
    """Parse ledger text. A broken line is an error naming the file and line; a bad value
    in a good line is left out (and noted in ``problems``), so the report never sees it."""
    lines = text.splitlines()
    if not lines:
        return Ledger()
    try:
        header = json.loads(lines[0])
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("kind") != "header":
        raise LedgerError(f"{origin} line 1: missing header (is this a mkdocs-influence ledger?)")
    schema = header.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA or (schema < SCHEMA and schema not in MIGRATIONS):
        raise LedgerError(f"{origin}: schema {shown(schema)} is not supported (this version reads schemas up to {SCHEMA})")
    body = lines[1:]
    if schema < SCHEMA and problems is not None:
        problems.append(f"{origin}: schema {schema} upgraded to {SCHEMA}")
    while schema < SCHEMA:  # upgrade an older store on load; it is written back in the new schema on save
        body = MIGRATIONS[schema](body)
        schema += 1
    parsed = [_parse_line(line, f"{origin} line {n}", problems) for n, line in enumerate(body, start=2) if line.strip()]
    kept = [r for r in parsed if r is not None]
    records = sorted(kept, key=Record.sort_key)
    if problems is not None and (len(kept) < len(parsed) or not all(map(operator.is_, records, kept))):
        problems.append(f"{origin}: lines out of order or without the value they record")
    return Ledger(tuple(records))


def check(text: str | bytes, origin: str = FILENAME) -> tuple[Ledger, list[str]]:
    """(the ledger of every usable line, with its bad values taken out; one message per broken
    line or bad value): what ``doctor`` shows and ``repair`` keeps, from one parse. Given the
    file's bytes, bytes that are not UTF-8 are a problem too (replaced, so ``repair`` rewrites them)."""
    records, problems = [], []
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{origin}: not UTF-8 text at byte {exc.start}; the bytes are replaced")
            text = text.decode("utf-8", errors="replace")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            if n == 1:
                loads(line + "\n", origin)  # the header alone
                continue
            record = _parse_line(line, f"{origin} line {n}", problems)
        except LedgerError as exc:
            problems.append(exc.message)
            continue
        if record is not None:
            records.append(record)
    return Ledger(tuple(sorted(records, key=Record.sort_key))), problems


def load(folder: Path, problems: list[str] | None = None) -> Ledger:
    """The ledger in ``folder``; what :func:`loads` had to tidy (bad values, order, an older
    schema) is said in ``problems``, so a caller knows the file needs writing back."""
    path = folder / FILENAME
    if not path.exists():
        return Ledger()
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"cannot read {path}: {exc}") from None
    return loads(text, str(path), problems)


def save(folder: Path, ledger: Ledger) -> bool:
    """Write the ledger atomically; False when nothing changed."""
    return atomic_write(folder / FILENAME, dumps(ledger).encode("utf-8"))


# --- the view the model needs -------------------------------------------------------


@dataclass(frozen=True)
class PostView:
    """A post as of some date: its latest metadata and counts."""

    key: str
    source: str
    title: str
    url: str
    path: str
    published: dt.datetime
    tags: tuple[str, ...]
    lang: str
    terms: Mapping[str, int]
    metrics: Mapping[str, int]
    reconstructed: bool  # counts were first observed after the as-of date
    measured: bool = True  # the source reports interactions for this post


@dataclass(frozen=True)
class Snapshot:
    """What the ledger says about one date; the only input of the model."""

    as_of: dt.date
    posts: tuple[PostView, ...]
    followers: Mapping[str, int]
    fetched: Mapping[str, dt.date]
    reconstructed: bool


@dataclass(frozen=True)
class Step:
    """What changed by ``as_of`` since the previous date of :meth:`LedgerIndex.steps`."""

    as_of: dt.date
    #: (view before, view now) of each post whose view changed; None where it was or is not visible
    changed: tuple[tuple[PostView | None, PostView | None], ...]
    followers: Mapping[str, int]
    fetched: Mapping[str, dt.date]
    reconstructed: bool  # some visible count or follower number is reconstructed


def _as_of(records: list[Record], as_of: dt.date) -> tuple[Record | None, bool]:
    """Latest record on or before ``as_of``; else the earliest one, flagged as reconstructed."""
    best = None
    for r in records:
        if r.observed <= as_of:
            best = r
    if best is not None:
        return best, False
    return (records[0], True) if records else (None, False)


def readers_only(counts: Mapping[str, Any]) -> bool:
    """Counts another source added that are page views alone (analytics): they say how many
    read a post, not whether anyone answered, so they do not make the post's engagement measured."""
    return "views" in counts and all(k in ("via", "views") for k in counts)


class LedgerIndex:
    """The ledger grouped once, for many snapshots (the weekly history).

    Post views are reused between dates when nothing about them changed, so a history of
    500 weeks over 2,000 posts builds each post a handful of times, not 500.
    """

    def __init__(self, ledger: Ledger) -> None:
        grouped: dict[tuple[str, str, str, str], list[Record]] = {}
        for r in ledger.records:  # sorted by date within each key
            grouped.setdefault(r.key, []).append(r)
        self.vias: dict[tuple[str, str], list[list[Record]]] = {}
        self.posts: list[tuple[str, str, list[Record], dt.datetime]] = []
        self.audience: list[tuple[str, list[Record]]] = []
        self.fetch: list[tuple[str, list[Record]]] = []
        for (kind, source, pid, _), recs in grouped.items():
            if kind == "metrics":
                self.vias.setdefault((source, pid), []).append(recs)
            elif kind == "post":
                earliest = min(dt.datetime.fromisoformat(r.data["published"]) for r in recs)
                self.posts.append((source, pid, recs, earliest))
            elif kind == "audience":
                self.audience.append((source, recs))
            elif kind == "fetch":
                self.fetch.append((source, recs))
        self.posts.sort(key=lambda t: t[3])
        # the dates on which anything about a post changed: between two of them its view is the same
        self._changes = [self._change_days(src, pid, recs) for src, pid, recs, _ in self.posts]
        self._last: list[tuple[int, PostView | None, bool] | None] = [None] * len(self.posts)
        self._views: dict[tuple[int, tuple[int, ...]], PostView] = {}
        self._bases: dict[int, tuple[Any, ...]] = {}
        self._recent: Snapshot | None = None

    def _change_days(self, source: str, pid: str, recs: list[Record]) -> list[int]:
        days = {r.observed.toordinal() for r in recs}
        for series in self.vias.get((source, pid), []):
            days |= {r.observed.toordinal() for r in series}
        return sorted(days)

    def _view(self, source: str, pid: str, meta: Record, counts: list[Record], recon: bool) -> PostView:
        cache_key = (id(meta), tuple(id(c) for c in counts), recon)
        view = self._views.get(cache_key)  # type: ignore[arg-type]
        if view is None:
            metrics: dict[str, int] = {}
            for rec in counts:
                for name, n in rec.data.items():
                    if name != "via":
                        metrics[name] = metrics.get(name, 0) + n
            base = self._bases.get(id(meta))
            if base is None:  # the metadata part, shared by every view of this post record
                base = self._bases[id(meta)] = (
                    f"{source}:{pid}",
                    source,
                    meta.data.get("title", ""),
                    meta.data.get("url", ""),
                    meta.data.get("path", ""),
                    dt.datetime.fromisoformat(meta.data["published"]),
                    tuple(meta.data.get("tags", ())),
                    meta.data.get("lang", "en"),
                    MappingProxyType(meta.data.get("terms", {})),  # shared with the record, read-only
                )
            measured = any("via" in c.data and not readers_only(c.data) for c in counts) or not meta.data.get("unmeasured", False)
            view = PostView(*base, metrics, recon, measured)
            self._views[cache_key] = view  # type: ignore[index]
        return view

    def snapshot(self, as_of: dt.date) -> Snapshot:
        """The posts published by ``as_of``, with the counts known then (see :func:`snapshot`).

        The latest one is kept: the report asks for the as-of date's snapshot twice."""
        if self._recent is None or self._recent.as_of != as_of:
            self._recent = self._snapshot(as_of)
        return self._recent

    def _snapshot(self, as_of: dt.date) -> Snapshot:
        limit = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
        posts: list[PostView] = []
        any_reconstructed = False
        day = as_of.toordinal()
        for n, (source, pid, recs, earliest) in enumerate(self.posts):
            if earliest >= limit:
                break  # sorted by earliest publication date: nothing later can qualify
            pos = bisect.bisect_right(self._changes[n], day)
            last = self._last[n]
            if last is None or last[0] != pos:
                last = self._last[n] = (pos, *self._select(source, pid, recs, as_of))
            view, recon = last[1], last[2]
            if view is None or view.published >= limit:
                continue
            any_reconstructed |= recon
            posts.append(view)
        followers, fetched, accounts_recon = self._accounts(as_of)
        any_reconstructed |= accounts_recon
        posts.sort(key=_POST_ORDER)
        return Snapshot(as_of, tuple(posts), followers, fetched, any_reconstructed)

    def steps(self, dates: Iterable[dt.date]) -> Iterator[Step]:
        """For ascending ``dates``: which post views changed since the previous date.

        Incremental: between two dates only the posts published or changed in between are
        looked at again (plus the rare post whose publication date moved later than its
        first one), so a 10-year weekly history costs little more than one pass.
        """
        changing: dict[int, list[int]] = {}
        for n, days in enumerate(self._changes):
            for day in days:
                changing.setdefault(day, []).append(n)
        event_days = sorted(changing)
        visible: list[tuple[PostView, bool] | None] = [None] * len(self.posts)
        waiting: set[int] = set()  # a view exists but its publication date is still ahead
        reconstructed = 0  # visible posts whose counts are reconstructed
        admitted = 0  # posts[:admitted] have earliest publication before the current limit
        next_event = 0
        previous: dt.date | None = None
        for as_of in dates:
            if previous is not None and as_of < previous:
                raise ValueError("steps() needs ascending dates")
            previous = as_of
            limit = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
            day = as_of.toordinal()
            stale = set(waiting)
            while next_event < len(event_days) and event_days[next_event] <= day:
                stale.update(changing[event_days[next_event]])
                next_event += 1
            while admitted < len(self.posts) and self.posts[admitted][3] < limit:
                stale.add(admitted)
                admitted += 1
            changed = []
            for n in sorted(stale):
                if n >= admitted:
                    continue
                source, pid, recs, _ = self.posts[n]
                view, recon = self._select(source, pid, recs, as_of)
                waiting.discard(n)
                if view is not None and view.published >= limit:
                    waiting.add(n)
                    view = None
                now = (view, recon) if view is not None else None
                before = visible[n]
                same = before is None if now is None else before is not None and before[0] is view and before[1] == recon
                if same:  # compared by identity: views are cached, and comparing fields is slow
                    continue
                visible[n] = now
                reconstructed += (now is not None and now[1]) - (before is not None and before[1])
                changed.append((before[0] if before else None, view))
            followers, fetched, accounts_recon = self._accounts(as_of)
            yield Step(as_of, tuple(changed), followers, fetched, reconstructed > 0 or accounts_recon)

    def snapshots(self, dates: Iterable[dt.date]) -> Iterator[Snapshot]:
        """Snapshots for ascending ``dates``, each equal to :meth:`snapshot` of that date."""
        current: dict[str, PostView] = {}
        for step in self.steps(dates):
            for before, after in step.changed:
                if before is not None:
                    del current[before.key]
                if after is not None:
                    current[after.key] = after
            posts = sorted(current.values(), key=_POST_ORDER)
            yield Snapshot(step.as_of, tuple(posts), step.followers, step.fetched, step.reconstructed)

    def _accounts(self, as_of: dt.date) -> tuple[dict[str, int], dict[str, dt.date], bool]:
        """Followers per source and the last day each source brought news, as of a date."""
        followers: dict[str, int] = {}
        fetched: dict[str, dt.date] = {}
        reconstructed = False
        for source, recs in self.audience:
            rec, recon = _as_of(recs, as_of)
            if rec is not None:
                followers[source] = rec.data["followers"]
                reconstructed |= recon
        for source, recs in self.fetch:
            done = [r.observed for r in recs if r.observed <= as_of]
            if done:
                fetched[source] = done[-1]
        return followers, fetched, reconstructed

    def _select(self, source: str, pid: str, recs: list[Record], as_of: dt.date) -> tuple[PostView | None, bool]:
        """The view of one post as of a date (None when removed), and whether it is reconstructed."""
        meta, recon = _as_of(recs, as_of)
        if meta is None or meta.data.get("removed"):
            return None, False
        counts = []
        for series in self.vias.get((source, pid), []):
            rec, counts_recon = _as_of(series, as_of)
            if rec is not None:
                counts.append(rec)
                recon |= counts_recon
        return self._view(source, pid, meta, counts, recon), recon


_POST_ORDER = operator.attrgetter("published", "key")


def snapshot(ledger: Ledger, as_of: dt.date) -> Snapshot:
    """The posts published by ``as_of``, with the counts known then.

    Before the first observation, the earliest known counts stand in and the snapshot is
    flagged ``reconstructed`` (a first run shows a history rebuilt from post dates).
    """
    return LedgerIndex(ledger).snapshot(as_of)
