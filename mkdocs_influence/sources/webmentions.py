"""Webmentions (webmention.io): replies, likes, reposts, bookmarks and mentions of blog posts.

``- webmentions: example.org`` with ``token_env: WEBMENTION_IO_TOKEN`` reads
``/api/mentions.jf2?domain=…&token=…`` (``base_url`` default ``https://webmention.io``),
100 a page, 0-based ``page``, oldest first (``sort-dir=up``: ordered by creation, and
``since_id`` means ``id > since_id``, as webmention.io's ``controllers/api.rb`` does), and from
the second run only mentions newer than the saved ``since_id``. The pipeline records the blog before this source
runs, so mentions are matched against *this run's* posts, by the canonical form of their
published URL shared by every source (:mod:`..urls`: old URLs from redirects and aliases too;
by path alone without ``site_url``, as if the site were at its domain's root).

Nothing is lost and nothing counted twice:

- a mention of a page that is not (yet) a post is kept as a count per path (``pending``
  state: no identities), and moves to the post published at that path later;
- ``since_id`` only ever moves to the newest mention actually read, and the walk is oldest
  first, so a walk stopped half-way (a limit, a failing server) resumes there next run;
- every 30 days (``_refresh.FULL_DAYS``) the whole history is read again and the counts are rebuilt
  from it, so deleted and edited mentions are seen (webmention.io's ``since_id`` never shows
  them); a rebuild stopped half-way is kept in the ``rebuild`` state and resumed, and the
  old counts stay until it completes;
- Bridgy (``brid.gy``, ``www.brid.gy``, ``brid-gy.appspot.com``) likes and reposts from a
  silo that is also a configured source, and Mastodon/Bluesky replies, are dropped (that
  source counts them); Bridgy ``/post/`` mentions (other people's posts linking here) and
  silos not read directly are kept; within a walk a mention is counted once per source URL.

Nothing about who sent a mention is kept: only the kind is counted. One malformed mention is
skipped with a warning.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, skipped
from ..net.http import Http, token_from_env
from ..store.activity import METRICS, Activity, Link
from ..store.ledger import latest_metrics, state
from ..urls import PostIndex
from . import Context, Result, SourceSpec
from ._convo import post_index, refused
from ._refresh import full_read_due

PER_PAGE = 100
MAX_PENDING = 500  # paths that are not posts kept as counts; beyond, the least-mentioned are dropped
PROPERTIES = {
    "in-reply-to": "replies",
    "like-of": "likes",
    "repost-of": "reposts",
    "bookmark-of": "bookmarks",
    "mention-of": "mentions",
}
BRIDGY_HOSTS = frozenset({"brid.gy", "www.brid.gy", "brid-gy.appspot.com"})
#: Bridgy silo → the source that reads it directly, and the Bridgy kinds that source already counts.
BRIDGY_SILOS = {
    "mastodon": ("mastodon", frozenset({"like", "repost", "comment"})),
    "bluesky": ("bluesky", frozenset({"like", "repost", "comment"})),
    "twitter": ("x-archive", frozenset({"like", "repost"})),  # the archive has no reply counts
}
Counts = dict[str, Counter[str]]


NEEDS_SITE_URL = (
    "webmentions: site_url is not set, so mentions are matched as if the site were at the root of {domain};"
    " set site_url in mkdocs.yml to the address the site is published at"
)


def bridgy(url: str) -> tuple[str, str] | None:
    """(kind, silo) of a Bridgy source URL (``https://brid.gy/like/mastodon/…``), else None."""
    parts = urlsplit(url)
    if parts.netloc.lower() not in BRIDGY_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    return (segments[0].lower(), segments[1].lower()) if len(segments) >= 2 else None


def _source_key(url: str) -> str:
    """A mention's source URL with the differences that do not make another mention removed."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    host = "brid.gy" if host == "brid-gy.appspot.com" else host
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"


def _counts(raw: Any) -> Counts:
    """Counts saved in a state (per post or per path), as far as they are readable."""
    out: Counts = {}
    if isinstance(raw, dict):
        for key, kinds in raw.items():
            if isinstance(key, str) and isinstance(kinds, dict):
                out[key] = Counter(
                    {k: v for k, v in kinds.items() if k in METRICS and isinstance(v, int) and not isinstance(v, bool) and v > 0}
                )
    return out


def _plain(counts: Counts) -> dict[str, dict[str, int]]:
    return {k: dict(sorted(v.items())) for k, v in sorted(counts.items()) if +v}


class WebmentionSource:
    name = "webmentions"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec, configured: frozenset[str] = frozenset()) -> None:
        self.domain = spec.target
        self.base = spec.base_url("https://webmention.io")
        self.token_env = spec.options.get("token_env")
        self.configured = configured

    def _drop(self, source_url: str) -> bool:
        """True for a Bridgy mention that a directly read silo already counts."""
        found = bridgy(source_url)
        if found is None:
            return False
        kind, silo = found
        reader, kinds = BRIDGY_SILOS.get(silo, ("", frozenset()))
        return reader in self.configured and kind in kinds

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        token = token_from_env("webmentions", self.token_env, required=True)
        since = state(ctx.ledger, self.name, "since_id")
        if since is not None and (isinstance(since, bool) or not isinstance(since, int) or since < 0):
            raise SourceError(f"webmentions: the since_id saved in the ledger ({str(since)[:40]!r}) is not a mention id")
        index = post_index(ctx)  # the run's shared index: canonical URLs (old ones too) → post ids
        by_path = index.by_url
        rebuild = state(ctx.ledger, self.name, "rebuild")
        due = full_read_due(ctx.ledger, self.name, ctx.as_of)
        if isinstance(rebuild, dict):  # a rebuild stopped half-way: go on from where it stopped
            after, counts, pending = rebuild.get("after"), _counts(rebuild.get("posts")), _counts(rebuild.get("pending"))
            after = after if isinstance(after, int) and not isinstance(after, bool) else None
            full = True
        elif due:
            after, counts, pending, full = None, {}, {}, True
        else:
            after, full = since, False
            counts = {pid: Counter(m) for pid, m in latest_metrics(ctx.ledger, "blog", self.name).items()}
            pending = _counts(state(ctx.ledger, self.name, "pending"))
        for path, kinds in list(pending.items()):  # a page that became a post receives its mentions
            if path in by_path:
                counts.setdefault(by_path[path], Counter()).update(kinds)
                del pending[path]
        warnings: list[str] = [] if ctx.site.site_url else [NEEDS_SITE_URL.format(domain=self.domain)]
        newest, stopped, tally = await self._walk(http, token, after, index, counts, pending, warnings)
        for path in sorted(pending, key=lambda p: (-sum(pending[p].values()), p))[MAX_PENDING:]:
            del pending[path]
        if tally["unmatched"]:
            warnings.append(
                f"webmentions: {tally['unmatched']} mentions of pages that are not blog posts kept as counts per page"
                " (they count once a post is published there)"
            )
        if tally["dropped"]:
            warnings.append(f"webmentions: {tally['dropped']} Bridgy mentions dropped (their silo is read directly)")
        if tally["twins"]:
            warnings.append(f"webmentions: {tally['twins']} mentions from a source URL already counted were not counted again")
        cursor = max(newest, after or 0) or None
        if stopped is not None:
            warnings.append(stopped.partial + ("; the re-read resumes next run" if full else "; the walk resumes next run"))
        if full and stopped is not None:  # keep the old counts until the rebuild completes
            saved = {"after": cursor, "posts": _plain(counts), "pending": _plain(pending)}
            return Result(Activity(state={"rebuild": saved}), tuple(warnings))
        links = tuple(Link("blog", pid, dict(counts.get(pid, Counter()))) for pid in sorted(set(by_path.values()) | set(counts)))
        saved_state: dict[str, Any] = {}
        if pending or state(ctx.ledger, self.name, "pending") is not None:
            saved_state["pending"] = _plain(pending) or None  # None: nothing pending any more
        if full:
            cursor = max(cursor or 0, since or 0) or None
            saved_state["full_read"] = ctx.as_of.isoformat()
            if rebuild is not None:
                saved_state["rebuild"] = None
        if cursor:
            saved_state["since_id"] = cursor
        return Result(Activity(links=links, state=saved_state), tuple(warnings))

    async def _walk(
        self,
        http: Http,
        token: str | None,
        after: int | None,
        index: PostIndex,
        counts: Counts,
        pending: Counts,
        warnings: list[str],
    ) -> tuple[int, Stopped | None, Counter[str]]:
        """Read mentions newer than ``after``, oldest first, into ``counts``/``pending``.

        Returns (newest id read, the stop if the walk stopped half-way, tallies)."""
        newest, tally = 0, Counter[str]()
        seen_ids: set[int] = set()
        seen_sources: set[tuple[str, str, str]] = set()
        page_no = -1
        while True:
            page_no += 1
            params = {"domain": self.domain, "token": token, "per-page": PER_PAGE, "page": page_no, "since_id": after}
            try:
                page = (await http.get(f"{self.base}/api/mentions.jf2", {**params, "sort-dir": "up"})).data
                children = page.get("children") if isinstance(page, dict) else None
                if not isinstance(children, list):
                    raise Stopped("webmentions", "unexpected answer (no 'children' list)")
            except Stopped as exc:  # HttpStatus too
                if isinstance(exc, HttpStatus) and exc.status in (401, 403):
                    raise refused("webmentions", exc, "webmention.io", self.token_env) from None
                if not newest:
                    raise
                return newest, exc, tally
            fresh = 0
            for i, child in enumerate(http.take(children)):
                wm_id = child.get("wm-id") if isinstance(child, dict) else None
                if not isinstance(wm_id, int) or isinstance(wm_id, bool) or wm_id in seen_ids:
                    continue
                seen_ids.add(wm_id)
                fresh += 1
                newest = max(newest, wm_id)
                try:
                    self._place(child, index, counts, pending, seen_sources, tally)
                except Exception as exc:  # one bad mention never fails the source
                    warnings.append(f"webmentions: skipped mention {wm_id}: {skipped(exc, f'mention #{i + 1}')}")
            if http.enough(0):
                return newest, Stopped("webmentions", f"stopped after {http.limits.max_items} mentions (limit)"), tally
            if len(children) < PER_PAGE or fresh == 0:
                return newest, None, tally

    def _place(self, child: dict, index: PostIndex, counts: Counts, pending: Counts, seen: set, tally: Counter[str]) -> None:
        """Count one mention on its post, on its page's pending counts, or nowhere (Bridgy twin, other kinds)."""
        kind = PROPERTIES.get(str(child.get("wm-property")))
        if kind is None:
            return
        source_url = str(child.get("wm-source") or "")
        if self._drop(source_url):
            tally["dropped"] += 1
            return
        path = index.key(str(child.get("wm-target") or ""), strict=True)  # the shared canonical form
        key = (_source_key(source_url), path, kind)
        if source_url and key in seen:
            tally["twins"] += 1
            return
        seen.add(key)
        pid = index.by_url.get(path)
        if pid is None:
            pending.setdefault(path, Counter())[kind] += 1
            tally["unmatched"] += 1
        else:
            counts.setdefault(pid, Counter())[kind] += 1
