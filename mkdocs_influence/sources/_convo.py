"""What the conversation and reader sources share: the blog's posts to match, the site's domain,
one item's counts added safely, and the 401/403/404 messages that name the setting to fix."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise, skipped
from ..store.ledger import latest_posts, state
from ..urls import PostIndex, Tally, domain
from . import Context, SourceSpec

_INDEXES: dict[int, tuple[Context, PostIndex]] = {}


def tally(name: str, ctx: Context) -> Tally:
    """A :class:`Tally` over the blog's posts that remembers the thread addresses of the last run."""
    return Tally(name, post_index(ctx), state(ctx.ledger, name, "threads"))


def post_index(ctx: Context) -> PostIndex:
    """The blog's posts: the ledger's, and this run's own files (a first run has no ledger yet).

    Built once per run (sources run concurrently over the same :class:`Context`)."""
    hit = _INDEXES.get(id(ctx))
    if hit is not None and hit[0] is ctx:
        return hit[1]
    records: dict[str, Any] = dict(latest_posts(ctx.ledger, "blog"))
    if (ctx.site.docs_dir / ctx.site.blog.post_dir).is_dir():
        from types import SimpleNamespace

        from .blog import BlogSource

        try:
            fresh = BlogSource().collect(ctx).activity.posts
        except Exception:  # the blog source itself says what is wrong with the files
            fresh = ()
        for post in fresh:
            records[post.id] = SimpleNamespace(data={"url": post.url, "title": post.title, "path": post.path})
    index = PostIndex.of(ctx.site, records)
    _INDEXES.clear()  # one run at a time: keep only this one
    _INDEXES[id(ctx)] = (ctx, index)
    return index


def site_domain(name: str, spec: SourceSpec, ctx: Context) -> str:
    """``domain:`` if given, else the host of ``site_url``; an error naming both when neither is set."""
    value = str(spec.options.get("domain") or "") or domain(ctx.site.site_url)
    if not value:
        raise SourceError(f"{name}: needs the site's domain: set site_url in the config (or domain: under {name})")
    return value


def listed(name: str, data: Any, key: str) -> list:
    """The answer's ``key`` list; any other shape is an error, since the API itself has changed."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourceError(f"{name}: unexpected answer (no '{key}' list)")
    return items


def add_item(
    tally: Tally,
    item: Any,
    url_key: str,
    counts: dict[str, str],
    index: int,
    warnings: list[str],
    thread: Callable[[dict], Any] | None = None,
) -> None:
    """Add one API item's counts (``counts``: our metric → the item's field) and, with ``thread``, the
    address of its discussion; a bad item is a warning, never a failure."""
    try:
        if not isinstance(item, dict):
            raise TypeError
        url = item.get(url_key)
        if url is None or url == "":
            return  # a text post (Ask HN, a Lobsters text story): no URL, not about a post
        if not isinstance(url, str):
            raise TypeError
        pid = tally.add(url, {ours: item.get(theirs) for ours, theirs in counts.items()})
        if thread is not None:
            tally.thread(pid, thread(item))
    except Exception as exc:
        warnings.append(f"{tally.source}: skipped an item: {skipped(exc, f'item #{index + 1}')}")


def add_new(
    tally: Tally,
    items: list[Any],
    key: str,
    seen: set[str],
    counts: dict[str, str],
    warnings: list[str],
    thread: Callable[[dict], Any] | None = None,
) -> list[dict]:
    """Add each item whose ``key`` was not ``seen`` before (this page included) as :func:`add_item`
    does, by its ``url``; the fresh items, in order (a story listed twice counts once)."""
    fresh = []
    for item in items:
        if isinstance(item, dict) and str(item.get(key)) not in seen:
            seen.add(str(item.get(key)))
            add_item(tally, item, "url", counts, len(fresh), warnings, thread)
            fresh.append(item)
    return fresh


def refused(name: str, exc: HttpStatus, what: str, token_env: str | None = None) -> SourceError:
    """401/403/404 in words that say which setting to fix; other statuses as they are."""
    if exc.status in (401, 403):
        var = f"the token in {token_env}" if token_env else "the request"
        return SourceError(
            f"{name}: {what} refused {var} ({exc.detail or f'HTTP {exc.status}'}); check {token_env or 'token_env'}"
        )
    if exc.status == 404:
        return SourceError(f"{name}: {what} does not exist (HTTP 404): check the value after '{name}:'")
    return exc


def walk_stopped(name: str, exc: Stopped, read: int, what: str, token_env: str | None = None) -> str:
    """The warning for a walk whose request failed after ``read`` items, which it keeps; with
    nothing read the source fails, an HTTP 401/403/404 in words that name the setting to fix."""
    if isinstance(exc, HttpStatus) and not read:
        raise refused(name, exc, what, token_env) from None
    return keep_or_raise(exc, read)


def thread_terms(index: PostIndex, site_name: str) -> dict[str, str]:
    """Thread title → post id, for every term giscus and utterances may title a thread with:
    ``pathname`` (with and without its leading ``/``, extension and trailing ``/``),
    ``url``, ``title`` / ``og:title`` (the post's title, and Material's "Title - Site")."""
    terms: dict[str, str] = {}
    for post in index.posts:
        path = urlsplit(post.url).path or "/"
        bare = path.strip("/") or "index"
        for term in (path, path.lstrip("/"), bare, re.sub(r"\.\w+$", "", bare), post.url, post.title):
            if term:
                terms.setdefault(term.casefold(), post.id)
        if post.title and site_name:
            terms.setdefault(f"{post.title} - {site_name}".casefold(), post.id)
    return terms


def match_thread(tally: Tally, terms: Mapping[str, str], title: Any, counts: Mapping[str, Any], url: Any = None) -> bool:
    """Credit a thread titled ``title`` to its post (by term, else as a URL); False when it is no post's."""
    if not isinstance(title, str):
        return False
    pid = terms.get(title.strip().casefold())
    if pid is None and ("://" in title or title.strip().startswith("/")):  # a URL, or a path from the site's root
        pid = tally.index.find(title.strip())
    if pid is None:
        return False
    tally.credit(pid, counts)
    tally.thread(pid, url)
    return True


def add_views(tally: Tally, path: Any, views: Any, warnings: list[str], index: int) -> None:
    """One analytics row: ``views`` readers of the page at ``path`` (site-absolute)."""
    try:
        if not isinstance(path, str) or isinstance(views, bool) or not isinstance(views, int):
            raise TypeError
        tally.add(path, {"views": views})
    except (TypeError, ValueError):
        warnings.append(f"{tally.source}: skipped row #{index + 1}: not a page path and a count")
