"""One canonical form of a URL of this site, so that every source lands on the same post.

A Hacker News story, a giscus thread, a webmention and an analytics row name a post in
different ways: ``http://www.blog.example/posts/x/index.html?utm_source=hn#comments`` and
``https://blog.example/posts/x`` are the same post. :func:`canonical` drops what does not
name a page (scheme, ``www.``, default port, fragment, ``index.html``, a trailing slash or
``.html``, tracking parameters) and keeps the rest (host, path, other query parameters,
sorted). :class:`PostIndex` maps canonical URLs to the blog's posts, old URLs included: the
``redirect_maps`` of mkdocs-redirects and a post's own ``aliases`` (Hugo) or
``redirect_from`` (Jekyll) front matter. :class:`Tally` sums one source's counts per post
and counts what was on the site but not a post, so nothing is lost without a word.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

from .postid import page_url
from .site import SiteInfo
from .store.activity import Activity, Link, checked_counts

#: Query parameters that say where a reader came from, not which page they read.
TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref", "ref_src", "source", "hn", "share"}
)
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "_hs", "mkt_")
_INDEX = re.compile(r"/(index|default)\.(html?|php)$")
_SAFE = "/:@!$&'()*+,;=-._~"
MAX_THREADS = 5  # thread addresses kept per post and source
MAX_THREAD_URL = 300


def canonical(url: str, base: str = "") -> str:
    """``host/path[?query]`` naming the page ``url`` shows (relative URLs against ``base``); "" if not an
    http(s) URL. A URL that cannot be parsed (``http://[::1``, a port out of range) raises ValueError:
    the caller skips that one item with a warning."""
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    port = parts.port
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".").removeprefix("www.")
    if port and port not in (80, 443):
        host += f":{port}"
    path = re.sub(r"/{2,}", "/", quote(unquote(parts.path), safe=_SAFE))
    path = _INDEX.sub("/", path)
    path = path.removesuffix(".html").removesuffix(".htm").rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in TRACKING and not k.startswith(TRACKING_PREFIXES)
    )
    return host + path + ("?" + urlencode(query) if query else "")


def domain(site_url: str) -> str:
    """The site's host without ``www.`` (what Hacker News and Lobsters list stories by)."""
    return canonical(site_url).split("/", 1)[0].split(":", 1)[0]


@dataclass(frozen=True)
class PostRef:
    """What sources need to find a post: its id, absolute URL, title and source file."""

    id: str
    url: str
    title: str = ""
    path: str = ""


class PostIndex:
    """The blog's posts by canonical URL (old URLs too); knows which URLs are on the site at all."""

    def __init__(self, site: SiteInfo, posts: Iterable[PostRef], aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self.site = site
        self.posts = tuple(posts)
        self.prefix = self.key(site.site_url) if site.site_url else ""
        self.by_url: dict[str, str] = {}
        by_path = {p.path: p.id for p in self.posts if p.path}
        for post in self.posts:
            self._alias(post.url, post.id)
        for post in self.posts:
            for old in (aliases or {}).get(post.id, ()):
                self._alias(old, post.id)
        for old, new in site.redirects:  # mkdocs-redirects: "old.md": "new.md" or "old.md": "https://…"
            target = by_path.get(new) or self.by_url.get(self.key(new if "://" in new else self._page(new)))
            if target:
                self._alias(self._page(old), target)

    def _page(self, src: str) -> str:
        return page_url(src, self.site.use_directory_urls) if src.endswith(".md") else src.lstrip("/")

    def key(self, url: str, *, strict: bool = False) -> str:
        """``url``'s canonical form; "" for one that names nothing (not http; unparseable unless
        ``strict``, which raises). Without ``site_url`` the host is unknown: the path alone counts."""
        try:
            key = canonical(url, self.site.site_url or "https://site.invalid/") if url else ""
        except ValueError:
            if strict:
                raise
            return ""
        if key and not self.site.site_url:
            key = "/" + key.partition("/")[2]
        return key

    def _alias(self, old: str, pid: str) -> None:
        key = self.key(old)
        if key:
            self.by_url.setdefault(key, pid)

    @classmethod
    def of(cls, site: SiteInfo, records: Mapping[str, object]) -> PostIndex:
        """The index of the blog posts in a ledger's ``latest_posts(…, "blog")`` (removed ones left out)."""
        posts, aliases = [], {}
        for pid, rec in records.items():
            data = getattr(rec, "data", {})
            if not data.get("url") or data.get("removed"):
                continue
            posts.append(PostRef(pid, site.published(str(data["url"])), str(data.get("title", "")), str(data.get("path", ""))))
            aliases[pid] = _front_aliases(site, str(data.get("path", "")))
        return cls(site, posts, aliases)

    def find(self, url: str) -> str | None:
        """The id of the post ``url`` shows, or None."""
        key = self.key(url, strict=True)
        return self.by_url.get(key) if key else None

    def on_site(self, url: str) -> bool:
        """Whether ``url`` is on this site (under ``site_url``'s path)."""
        key = self.key(url, strict=True)
        return bool(self.prefix) and (key == self.prefix or key.startswith(self.prefix.rstrip("/") + "/"))


def _front_aliases(site: SiteInfo, path: str) -> list[str]:
    """Old URLs a post lists itself: Hugo's ``aliases``, Jekyll's ``redirect_from``."""
    if not path:
        return []
    from .sources.blog import split_front_matter

    with contextlib.suppress(Exception):  # an unreadable file has no aliases; the blog source says why
        text = (site.docs_dir / path).read_text("utf-8-sig")
        if "aliases" in text or "redirect_from" in text:
            meta, _ = split_front_matter(text, path)
            out = []
            for key in ("aliases", "redirect_from"):
                value = meta.get(key)
                out += [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]
            return out
    return []


class Tally:
    """One source's counts per post; what is on the site but not a post is counted for a warning."""

    def __init__(self, source: str, index: PostIndex, threads: object = None) -> None:
        self.source, self.index = source, index
        self.counts: dict[str, Counter[str]] = {}
        self.elsewhere: Counter[str] = Counter()
        #: the ``threads`` state of the last run (post id → thread addresses), kept for posts a partial walk missed
        self.known = {k: v for k, v in threads.items() if isinstance(v, list)} if isinstance(threads, dict) else {}
        self.threads: dict[str, set[str]] = {}
        self.dropped: list[str] = []  # one line per count a server sent that is not a count

    def thread(self, pid: str | None, url: object) -> None:
        """Remember where post ``pid`` was discussed: a thread's address (a thread is not a person)."""
        if pid and isinstance(url, str) and url.startswith("https://") and len(url) <= MAX_THREAD_URL:
            self.threads.setdefault(pid, set()).add(url)

    def add(self, url: str, counts: Mapping[str, object]) -> str | None:
        """Add ``counts`` (see :meth:`credit`) to the post ``url`` shows; its id, or None."""
        pid = self.index.find(url)
        if pid is None:
            if self.index.on_site(url):
                self.elsewhere[canonical(url, self.index.site.site_url)] += 1
            return None
        return self.credit(pid, counts)

    def credit(self, pid: str, counts: Mapping[str, object]) -> str:
        """Add ``counts`` to post ``pid`` (found by a source's own rule, e.g. a thread's title).

        An absent count (None, "") adds nothing; any other must be a count by the one rule
        (:func:`~.activity.checked_counts`): a bad one is dropped with a warning naming it and the
        post, the item's other counts are kept, as for the counts of social posts."""
        present = {name: n for name, n in counts.items() if n is not None and n != ""}
        total = self.counts.setdefault(pid, Counter())
        total.update(checked_counts(present, f"{self.source}: a count for {pid}", self.dropped))
        return pid

    def activity(self, *, complete: bool = True, state: Mapping[str, object] | None = None) -> Activity:
        """Links for every post when the walk was complete (a post nobody discussed has 0), else only those seen."""
        ids = sorted({p.id for p in self.index.posts} if complete else set(self.counts))
        links = tuple(Link("blog", pid, dict(sorted(self.counts.get(pid, Counter()).items()))) for pid in ids)
        found = {pid: sorted(urls)[:MAX_THREADS] for pid, urls in self.threads.items()}
        threads = dict(sorted((found if complete else {**self.known, **found}).items()))
        extra = {"threads": threads} if threads or self.known else {}
        return Activity(links=links, state={**(state or {}), **extra})

    def warnings(self, what: str = "items") -> list[str]:
        """The counts dropped, one line each, then what was on the site but not a post, in one line."""
        if not self.elsewhere:
            return list(self.dropped)
        shown = ", ".join(sorted(self.elsewhere)[:3]) + (", …" if len(self.elsewhere) > 3 else "")
        n = sum(self.elsewhere.values())
        return [*self.dropped, f"{self.source}: {n} {what} of pages that are not blog posts were not counted ({shown})"]
