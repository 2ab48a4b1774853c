"""Bluesky: the account's own posts (no reposts; a pinned post counted once) and followers.

``- bluesky: me.example.social`` reads the public AppView (``base_url`` default
``https://public.api.bsky.app``), no token: ``app.bsky.actor.getProfile`` and
``app.bsky.feed.getAuthorFeed`` (100 a page, ``filter=posts_and_author_threads``: the
author's own thread continuations are kept, replies to other people skipped; ``cursor``).
Stops like Mastodon: at known posts older than ``refresh_days``, and at a short page of
known posts (no request for the empty page behind it). Older posts' counts are confirmed
in monthly sweeps (:mod:`._refresh`) with ``app.bsky.feed.getPosts``, 25 URIs a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, item_name, keep_or_raise
from ..net.http import Http
from ..store.activity import Post
from ..store.ledger import latest_posts, state
from . import Context, Result, SourceSpec
from ._refresh import batches, plan, refresh_cutoff, walk_on
from ._social import counts, known_and_old, own_text, page_posts, timeline_result, title_from, when

PER_PAGE = 100
GET_POSTS = 25  # URIs per app.bsky.feed.getPosts request (the lexicon's maximum)

TAG_FACET = "app.bsky.richtext.facet#tag"
MENTION_FACET = "app.bsky.richtext.facet#mention"


def _without_mentions(record: dict) -> str:
    """The post text with the byte ranges of mention facets cut out."""
    raw = str(record.get("text") or "").encode("utf-8")
    cuts = []
    for facet in record.get("facets") or ():
        if any(f.get("$type") == MENTION_FACET for f in facet.get("features") or ()):
            index = facet.get("index") or {}
            cuts.append((int(index.get("byteStart", 0)), int(index.get("byteEnd", 0))))
    for start, end in sorted(cuts, reverse=True):
        raw = raw[:start] + raw[end:]
    return own_text(raw.decode("utf-8", "replace"))


def _own_thread(record: dict, did: str) -> bool:
    """True for a reply that continues the author's own thread (parent and root are theirs)."""
    reply = record.get("reply") or {}
    mine = f"at://{did}/"
    return all(str((reply.get(k) or {}).get("uri", "")).startswith(mine) for k in ("parent", "root"))


def _name(item: Any, index: int) -> str:
    """How a warning names a feed item: its record key (the end of its ``at://`` URI), else its position."""
    post = item.get("post") if isinstance(item, dict) else None
    uri = post.get("uri") if isinstance(post, dict) else None
    return item_name({"id": uri.rsplit("/", 1)[-1]} if isinstance(uri, str) else None, "id", index)


def feed_post(item: dict, did: str, handle: str, where: str, *, refresh: bool = False) -> Post | None:
    """One feed item as a post; None for reposts, others' posts and replies to other people."""
    post = item.get("post") or {}
    reason = (item.get("reason") or {}).get("$type", "")
    if reason.endswith("#reasonRepost") or (post.get("author") or {}).get("did") != did:
        return None
    record = post.get("record") or {}
    if record.get("reply") and not refresh and not _own_thread(record, did):
        return None  # replies to others are conversations on their posts, not the blogger's own posts
    text = _without_mentions(record)
    tags = [str(t) for t in record.get("tags") or ()]
    for facet in record.get("facets") or ():
        tags += [str(f.get("tag")) for f in facet.get("features") or () if f.get("$type") == TAG_FACET and f.get("tag")]
    rkey = str(post.get("uri", "")).rsplit("/", 1)[-1]
    if not rkey:
        raise SourceError(f"{where}: post without uri")
    metrics = counts(
        {
            "replies": post.get("replyCount"),
            "reposts": post.get("repostCount"),
            "likes": post.get("likeCount"),
            "quotes": post.get("quoteCount"),
            "bookmarks": post.get("bookmarkCount"),
        },
        where,
    )
    langs = record.get("langs") or ["en"]
    return Post(
        source="bluesky",
        id=rkey,
        title=title_from(text),
        published=when(record.get("createdAt") or post.get("indexedAt"), f"{where}.createdAt"),
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        tags=tuple(dict.fromkeys(tags)),
        lang=str(langs[0]),
        text=text,
        metrics=metrics,
    )


class BlueskySource:
    name = "bluesky"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.handle = spec.target.lstrip("@")
        self.base = spec.base_url("https://public.api.bsky.app")
        self.refresh_days = int(spec.options.get("refresh_days", 14))
        self.token_env = spec.options.get("token_env")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        xrpc = f"{self.base}/xrpc"
        try:
            profile = (await http.get(f"{xrpc}/app.bsky.actor.getProfile", {"actor": self.handle})).data
        except HttpStatus as exc:
            if exc.status == 400 and exc.detail:
                raise SourceError(f"bluesky: {self.handle}: {exc.detail}") from None
            raise
        did = profile.get("did") if isinstance(profile, dict) else None
        if not did or not isinstance(did, str):
            raise SourceError(f"bluesky: unexpected profile answer for {self.handle}")
        known = set(latest_posts(ctx.ledger, "bluesky"))
        cutoff = refresh_cutoff(ctx.as_of, self.refresh_days)
        posts: dict[str, Post] = {}
        warnings: list[str] = []
        handle = profile.get("handle") if isinstance(profile.get("handle"), str) else self.handle
        saved = state(ctx.ledger, self.name, "resume")
        resume = saved if isinstance(saved, str) and saved else None

        def old(batch: list[Post], short: bool) -> bool:
            if batch and known_and_old((p.id for p in batch), known, (p.published for p in batch), cutoff):
                return True
            return short and bool(batch) and all(p.id in known for p in batch)  # a short page of known posts: the end, or swept

        feed = (f"{xrpc}/app.bsky.feed.getAuthorFeed", did, handle)
        stopped = await walk_on(
            lambda start, done: self._walk(http, feed, start, posts, warnings, done), old, lambda batch, short: False, resume
        )
        refresh = await self._sweep(ctx, http, did, handle, posts, warnings)
        return timeline_result("bluesky", ctx, posts, profile.get("followersCount"), refresh, (stopped, saved), warnings)

    async def _walk(
        self,
        http: Http,
        feed: tuple[str, str, str],
        cursor: str | None,
        posts: dict[str, Post],
        warnings: list[str],
        done: Callable,
    ) -> str | None:
        """Read pages from ``cursor`` (None: the newest) until ``done(batch, short)`` or the end: None;
        stopped by a limit, the cursor of the page to read next (a later run resumes there)."""
        url, did, handle = feed
        while True:
            params = {"actor": did, "limit": PER_PAGE, "filter": "posts_and_author_threads", "cursor": cursor}
            try:
                page = (await http.get(url, params)).data
                if not isinstance(page, dict) or not isinstance(page.get("feed"), list):
                    raise Stopped("bluesky", "unexpected getAuthorFeed answer")
            except Stopped as exc:
                warnings.append(keep_or_raise(exc, len(posts)))
                return cursor
            batch = []
            for post in page_posts(
                http, page["feed"], "bluesky", "post", lambda i, w: feed_post(i, did, handle, w), warnings, _name
            ):
                if post.id not in posts:  # a pinned post shows up twice
                    batch.append(post)
                    posts[post.id] = post
            if done(batch, len(page["feed"]) < PER_PAGE):
                return None
            following, page = page.get("cursor"), None  # one parsed page alive at a time
            if not http.next_cursor(following if isinstance(following, str) else None):
                return None
            cursor = following
            if http.enough(len(posts)):
                return cursor

    async def _sweep(self, ctx: Context, http: Http, did: str, handle: str, posts: dict[str, Post], warnings: list[str]) -> dict:
        """Re-confirm older posts' counts with ``getPosts`` (see :mod:`._refresh`); the sweep's state."""
        todo = plan(ctx.ledger, self.name, ctx.as_of, set(posts))
        if todo is None:
            return {}
        read = 0
        for batch in batches(todo.ids, GET_POSTS):
            uris = [f"at://{did}/app.bsky.feed.post/{rkey}" for rkey in batch]
            try:
                answer = (await http.get(f"{self.base}/xrpc/app.bsky.feed.getPosts", {"uris": uris})).data
                if not isinstance(answer, dict) or not isinstance(answer.get("posts"), list):
                    raise Stopped("bluesky", "unexpected getPosts answer")
            except Stopped as exc:
                warnings.append(exc.partial + "; the refresh of older posts resumes next run")
                break

            def confirmed(view: Any, where: str) -> Post | None:  # a getPosts view is a feed item's post
                return feed_post({"post": view}, did, handle, where, refresh=True)

            for post in page_posts(
                http, answer["posts"], "bluesky", "post", confirmed, warnings, lambda v, i: _name({"post": v}, i)
            ):
                if post.id in batch:
                    posts[post.id] = post
            read += len(batch)
        return {"refresh": todo.state_after(read)}
