"""RSS/Atom feeds (any blog): posts, dates, categories and comment counts where given.

``- feed: https://example.org/feed.xml`` fetched with ``ETag``/``If-Modified-Since`` and
parsed with feedparser. Comment counts come from ``slash:comments`` (WordPress) or
``thr:total`` (Blogger); a feed with neither says nothing about engagement, so its
posts count for rhythm and topics only. WordPress feeds are paged with ``?paged=N`` until a
page holds a post the ledger already has (older pages hold nothing new); every
30 days (``_refresh.FULL_DAYS``) the feed and all its pages are read again without validators, because
WordPress's ETag changes only when a post does, never when a comment arrives. FeedBurner
entries are linked by ``feedburner:origLink``, not the ``feedproxy`` redirect. A target that
is not an http(s) URL is a file relative to the config folder (``feed: feed.xml``, the way
Hugo and Jekyll sites have one), read without the network. Feeds that declare entities
(billion laughs, external entities) are refused unparsed; malformed-but-readable feeds are
kept with a warning. Comment feeds are never fetched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise, reason
from ..net.http import Http
from ..store.activity import Activity, Post, post_data, post_from_data
from ..store.ledger import latest_posts
from . import Context, Result, SourceSpec
from ._refresh import full_read_due
from ._social import own_text

MAX_PAGES = 50


def refuse_entities(body: bytes, url: str) -> None:
    """Refuse XML that declares entities before feedparser could expand them."""
    head = body[:65536].lower()
    if b"<!entity" in head or (b"<!doctype" in head and b"[" in head.split(b"<!doctype", 1)[1][:2048]):
        raise SourceError(f"feed: {url} declares XML entities; refused (possible entity-expansion attack)")


def _count(entry: Any) -> int | None:
    for key in ("slash_comments", "thr_total"):
        value = entry.get(key)
        if value is not None:
            try:
                return max(0, int(str(value).strip()))
            except ValueError:
                return None
    return None


def _published(entry: Any) -> dt.datetime | None:
    keys = entry.keys()  # plain keys: .get() of a missing date triggers feedparser's deprecated fallback
    parsed = (entry["published_parsed"] if "published_parsed" in keys else None) or (
        entry["updated_parsed"] if "updated_parsed" in keys else None
    )
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)


def _entry_post(entry: Any, lang: str) -> Post | None:
    """One entry as a post; None without a date or an id."""
    published = _published(entry)
    link = str(entry.get("feedburner_origlink") or entry.get("link") or "")  # FeedBurner: the post, not the proxy
    ident = str(entry.get("id") or link)
    if published is None or not ident:
        return None
    comments = _count(entry)
    return Post(
        source="feed",
        id=hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:16],
        title=own_text(str(entry.get("title") or ""), is_html=True) or "(untitled)",
        published=published,
        url=link,
        tags=tuple(dict.fromkeys(str(t.get("term")).strip() for t in entry.get("tags") or () if t.get("term"))),
        lang=lang,
        text=own_text(str(entry.get("summary") or ""), is_html=True),
        metrics={"comments": comments} if comments else {},
    )


def parse_feed(body: bytes, url: str, limit: int | None = None) -> tuple[list[Post], list[str], bool]:
    """(posts, warnings, measured) from feed bytes; at most ``limit`` entries looked at."""
    import feedparser

    refuse_entities(body, url)
    parsed = feedparser.parse(body)
    warnings = []
    if parsed.get("bozo"):
        warnings.append(
            f"feed: {url} is not well-formed ({type(parsed.get('bozo_exception')).__name__}); kept what could be read"
        )
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise SourceError(f"feed: {url} could not be read as RSS or Atom")
    posts, measured = [], False
    lang = str(parsed.feed.get("language") or "en").split("-")[0] or "en"
    if limit is not None and len(parsed.entries) > limit:
        warnings.append(f"feed: stopped after {limit} items (limit): kept what was read")
    for i, entry in enumerate(parsed.entries[:limit]):
        try:
            post = _entry_post(entry, lang)
        except Exception as exc:  # one bad entry never fails the feed
            warnings.append(f"feed: {url}: skipped entry {i + 1} ({reason(exc)})")
            continue
        if post is None:
            warnings.append(f"feed: {url}: skipped entry {i + 1} (no date or no id)")
            continue
        measured |= _count(entry) is not None
        posts.append(post)
    return posts, warnings, measured


class FeedSource:
    name = "feed"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.url = str(spec.options.get("base_url") or spec.target)
        self.token_env = spec.options.get("token_env")
        self.network = self.url.lower().startswith(("http://", "https://"))  # else a local file

    def collect(self, ctx: Context) -> Result:
        """A feed that is a local file (``feed: feed.xml``, relative to the config folder): no network."""
        path = Path(self.url).expanduser()
        path = path if path.is_absolute() else ctx.site.config_dir / path
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"feed: cannot read {path}: {exc.strerror or exc}") from None
        posts, warnings, measured = parse_feed(body, self.url, 10_000)
        if not measured:
            posts = [Post(**{**p.__dict__, "measured": False}) for p in posts]
        return Result(Activity(tuple(posts)), tuple(warnings))

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        def summary(body: bytes) -> dict[str, Any]:
            """What the cache keeps of the feed: the blogger's own posts as parsed, not the body."""
            posts, warnings, measured = parse_feed(body, self.url, http.limits.max_items)
            wordpress = b"wordpress" in body[:4096].lower()
            return {"posts": [post_data(p) for p in posts], "warnings": warnings, "measured": measured, "wordpress": wordpress}

        full = full_read_due(ctx.ledger, self.name, ctx.as_of)
        stored = set(latest_posts(ctx.ledger, self.name))
        try:
            first = await http.get(self.url, kind="bytes", derive=summary, fresh=full)
            try:
                posts, warnings, measured, wordpress = _decoded(first.data)
            except (KeyError, TypeError, ValueError, AttributeError):  # derived by another version: read again
                first = await http.get(self.url, kind="bytes", derive=summary, fresh=True)
                posts, warnings, measured, wordpress = _decoded(first.data)
        except HttpStatus as exc:
            raise SourceError(f"feed: {self.url} answered HTTP {exc.status}") from None
        known = {p.id for p in posts}
        page, complete = 2, True
        last = posts
        while wordpress and not first.not_modified and posts and (full or not any(p.id in stored for p in last)):
            if page > MAX_PAGES:
                warnings.append(f"feed: stopped after {MAX_PAGES} pages (limit): kept what was read")
                break
            if http.enough(len(posts)):
                break
            sep = "&" if "?" in self.url else "?"
            try:
                more = await http.get(f"{self.url}{sep}paged={page}", kind="bytes")
                extra, more_warnings, more_measured = parse_feed(more.data, self.url, http.limits.max_items)
            except HttpStatus:
                break  # WordPress answers 404 past the last page
            except SourceError as exc:
                stop = exc if isinstance(exc, Stopped) else Stopped("feed", f"page {page}: {exc.message.removeprefix('feed: ')}")
                warnings.append(keep_or_raise(stop, len(posts)))
                complete = False
                break
            last = extra
            new = [p for p in extra if p.id not in known]
            if not new:
                break
            posts += new
            known |= {p.id for p in new}
            warnings += more_warnings
            measured |= more_measured
            page += 1
        if not measured:
            posts = [Post(**{**p.__dict__, "measured": False}) for p in posts]
        done = {"full_read": ctx.as_of.isoformat()} if full and complete and not first.not_modified else {}
        return Result(Activity(tuple(posts), state=done), tuple(warnings))


def _decoded(data: dict[str, Any]) -> tuple[list[Post], list[str], bool, bool]:
    """(posts, warnings, measured, wordpress) from what ``summary`` derived (now or in an earlier run)."""
    posts = [post_from_data(p, source="feed") for p in data["posts"]]
    return posts, [str(w) for w in data["warnings"]], bool(data["measured"]), bool(data["wordpress"])
