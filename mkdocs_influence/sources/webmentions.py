"""Webmentions (webmention.io): replies, likes, reposts, bookmarks and mentions of blog posts.

``- webmentions: example.org`` with ``token_env: WEBMENTION_IO_TOKEN`` reads
``/api/mentions.jf2?domain=…&token=…`` (``base_url`` default ``https://webmention.io``),
100 a page, 0-based ``page``, and from the second run only mentions newer than the saved
``since_id``. Counts are attached to this site's own blog posts (matched by their canonical URL,
:mod:`..urls`; by path alone without ``site_url``, as if the site were at its domain's root), so the
blog's posts become *measured*. Mentions relayed by Bridgy from a silo that is also a
configured source (e.g. Mastodon) are dropped, so nothing is counted twice. Nothing
about who sent a mention is kept: only the kind is counted. One malformed mention is
skipped with a warning. A walk stopped half-way (a limit, a server that keeps failing)
fails the source and keeps the earlier data: ``since_id`` cannot safely move past
mentions that were never read.
"""

from __future__ import annotations

from collections import Counter

from ..activity import Activity, Link
from ..errors import SourceError
from ..ledger import latest_metrics, latest_posts, state
from ..net import Http, HttpStatus, Stopped, page_items, skipped, token_from_env
from ..urls import PostIndex
from . import Context, Result, SourceSpec

PER_PAGE = 100
PROPERTIES = {
    "in-reply-to": "replies",
    "like-of": "likes",
    "repost-of": "reposts",
    "bookmark-of": "bookmarks",
    "mention-of": "mentions",
}
BRIDGY_SILOS = {"mastodon": "mastodon", "bluesky": "bluesky", "twitter": "x-archive"}


NEEDS_SITE_URL = (
    "webmentions: site_url is not set, so mentions are matched as if the site were at the root of {domain};"
    " set site_url in mkdocs.yml to the address the site is published at"
)


class WebmentionSource:
    name = "webmentions"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec, configured: frozenset[str] = frozenset()) -> None:
        self.domain = spec.target
        self.base = str(spec.options.get("base_url") or "https://webmention.io").rstrip("/")
        self.token_env = spec.options.get("token_env")
        self.configured = configured

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        token = token_from_env("webmentions", self.token_env, required=True)
        since = state(ctx.ledger, self.name, "since_id")
        if since is not None and (isinstance(since, bool) or not isinstance(since, int) or since < 0):
            raise SourceError(f"webmentions: the since_id saved in the ledger ({str(since)[:40]!r}) is not a mention id")
        posts = latest_posts(ctx.ledger, "blog")
        index = PostIndex.of(ctx.site, posts)  # canonical URLs (old ones too) → post ids
        by_path = index.by_url
        counts: dict[str, Counter[str]] = {pid: Counter(m) for pid, m in latest_metrics(ctx.ledger, "blog", self.name).items()}
        newest = int(since or 0)
        unmatched = dropped = 0
        warnings: list[str] = [] if ctx.site.site_url else [NEEDS_SITE_URL.format(domain=self.domain)]
        seen_ids: set[int] = set()
        page_no = -1
        while True:  # bounded by the request limit; a walk stopped half-way fails (module docstring)
            page_no += 1
            params = {"domain": self.domain, "token": token, "per-page": PER_PAGE, "page": page_no, "since_id": since}
            try:
                page = (await http.get(f"{self.base}/api/mentions.jf2", params)).data
            except HttpStatus as exc:
                if exc.status in (401, 403):
                    raise SourceError(
                        f"webmentions: webmention.io refused the token in {self.token_env} ({exc.detail or exc.status})"
                    ) from None
                raise
            children = page.get("children") if isinstance(page, dict) else None
            if not isinstance(children, list):
                raise SourceError("webmentions: unexpected answer (no 'children' list)")
            fresh = 0
            for i, child in enumerate(page_items(http, children)):
                wm_id = child.get("wm-id") if isinstance(child, dict) else None
                if not isinstance(wm_id, int) or isinstance(wm_id, bool) or wm_id in seen_ids:
                    continue
                seen_ids.add(wm_id)
                fresh += 1
                newest = max(newest, wm_id)
                try:
                    outcome = self._place(child, index)
                except Exception as exc:  # one bad mention never fails the source
                    warnings.append(f"webmentions: skipped mention {wm_id}: {skipped(exc, f'mention #{i + 1}')}")
                    continue
                if outcome == "dropped":
                    dropped += 1
                elif outcome == "unmatched":
                    unmatched += 1
                elif outcome:
                    pid, kind = outcome
                    counts.setdefault(pid, Counter())[kind] += 1
            if http.enough(0):
                limit = http.limits.max_items
                raise Stopped("webmentions", f"more than {limit} new mentions (limit); a partial walk cannot be resumed")
            if len(children) < PER_PAGE or fresh == 0:
                break
        links = tuple(Link("blog", pid, dict(counts.get(pid, Counter()))) for pid in sorted(set(by_path.values())))
        if unmatched:
            warnings.append(f"webmentions: {unmatched} mentions of pages that are not blog posts were not counted")
        if dropped:
            warnings.append(f"webmentions: {dropped} Bridgy mentions dropped (their silo is read directly)")
        return Result(Activity(links=links, state={"since_id": newest} if newest else {}), tuple(warnings))

    def _place(self, child: dict, index: PostIndex) -> tuple[str, str] | str | None:
        """Where one mention counts: (post id, kind); "dropped" (Bridgy), "unmatched", or None (not counted)."""
        kind = PROPERTIES.get(str(child.get("wm-property")))
        if kind is None:
            return None
        source_url = str(child.get("wm-source") or "")
        silo = source_url.split("/")[4] if source_url.startswith("https://brid.gy/") and source_url.count("/") >= 4 else ""
        if BRIDGY_SILOS.get(silo) in self.configured:
            return "dropped"
        pid = index.find(str(child.get("wm-target") or ""))
        return "unmatched" if pid is None else (pid, kind)
