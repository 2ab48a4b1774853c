"""Mastodon: the account's own posts (no boosts, no replies to others) and its followers.

``- mastodon: "@me@example.social"`` reads ``https://example.social`` (or ``base_url``)
without a token: ``/api/v1/accounts/lookup``, then ``/api/v1/accounts/:id/statuses``
(40 a page, ``Link: rel="next"``). Each run re-reads pages until it reaches posts it
already has that are older than ``refresh_days`` (default 14), so counts of recent posts
stay fresh and an unchanged account costs two requests. Older posts' counts are confirmed
in monthly sweeps (:mod:`._refresh`) with ``GET /api/v1/statuses?id[]=`` (Mastodon 4.3+),
20 a request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlsplit

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise
from ..net.http import Http
from ..store.activity import Post
from ..store.ledger import latest_posts, state
from . import Context, Result, SourceSpec
from ._refresh import batches, plan, refresh_cutoff, walk_on
from ._social import counts, known_and_old, own_text, page_posts, timeline_result, title_from, when

BY_ID = 20  # ids per GET /api/v1/statuses request (the server's limit)

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


def parse_account(target: str) -> tuple[str, str]:
    """``@user@instance`` → (user, instance)."""
    m = re.fullmatch(r"@?([\w.-]+)@([\w-]+(?:\.[\w-]+)+)", target.strip())
    if not m:
        raise SourceError(f"mastodon: {target!r} is not an account like @me@example.social")
    return m.group(1), m.group(2)


def status_post(status: dict, where: str) -> Post | None:
    """One status as a post; None for boosts. Only counts and the author's own words are kept."""
    if status.get("reblog"):
        return None
    ident = status.get("id")
    if not isinstance(ident, str | int) or isinstance(ident, bool) or not str(ident).strip():
        raise SourceError(f"{where}: no usable id")
    text = own_text(status.get("content") or "", is_html=True)
    metrics = counts(
        {
            "replies": status.get("replies_count"),
            "reposts": status.get("reblogs_count"),
            "likes": status.get("favourites_count"),
            "quotes": status.get("quotes_count"),
        },
        where,
    )
    return Post(
        source="mastodon",
        id=str(ident),
        title=title_from(text),
        published=when(status.get("created_at"), f"{where}.created_at"),
        url=str(status.get("url") or ""),
        tags=tuple(str(t.get("name", "")) for t in status.get("tags") or () if t.get("name")),
        lang=str(status.get("language") or "en"),
        text=text,
        metrics=metrics,
    )


class MastodonSource:
    name = "mastodon"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.user, host = parse_account(spec.target)
        self.base = spec.base_url(f"https://{host}")
        self.refresh_days = int(spec.options.get("refresh_days", 14))
        self.token_env = spec.options.get("token_env")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        try:
            account = (await http.get(f"{self.base}/api/v1/accounts/lookup", {"acct": self.user})).data
        except HttpStatus as exc:
            if exc.status == 404:
                raise SourceError(f"mastodon: no account @{self.user} on {self.base}") from None
            if exc.status == 401:
                raise SourceError(
                    f"mastodon: {self.base} requires login for its API; set token_env to a token's variable"
                ) from None
            raise
        if not isinstance(account, dict) or "id" not in account:
            raise SourceError(f"mastodon: unexpected answer from {self.base}/api/v1/accounts/lookup")
        known = set(latest_posts(ctx.ledger, "mastodon"))
        cutoff = refresh_cutoff(ctx.as_of, self.refresh_days)
        posts: dict[str, Post] = {}
        warnings: list[str] = []
        statuses = f"{self.base}/api/v1/accounts/{quote(str(account['id']), safe='')}/statuses"
        saved = state(ctx.ledger, self.name, "resume")
        resume = saved if isinstance(saved, str) and saved.isdigit() else None

        def old(batch: list[Post]) -> bool:
            return known_and_old((p.id for p in batch), known, (p.published for p in batch), cutoff)

        stopped = await walk_on(
            lambda start, done: self._walk(http, statuses, start, posts, warnings, done), old, lambda batch: False, resume
        )
        refresh = await self._sweep(ctx, http, posts, warnings)
        return timeline_result("mastodon", ctx, posts, account.get("followers_count"), refresh, (stopped, saved), warnings)

    async def _walk(
        self, http: Http, url: str, max_id: str | None, posts: dict[str, Post], warnings: list[str], done: Callable
    ) -> str | None:
        """Read pages from ``max_id`` (None: the newest) until ``done(batch)`` or the end: None;
        stopped by a limit, the ``max_id`` of the page to read next (a later run resumes there)."""
        params: dict | None = {"limit": 40, "exclude_reblogs": "true", "exclude_replies": "true", "max_id": max_id}
        while True:
            try:
                page = await http.get(url, params)
                if not isinstance(page.data, list):
                    raise Stopped("mastodon", f"expected a list of statuses from {http.host}")
            except Stopped as exc:
                warnings.append(keep_or_raise(exc, len(posts)))
                return max_id or None
            batch = list(page_posts(http, page.data, "mastodon", "status", status_post, warnings))
            posts.update((post.id, post) for post in batch)
            if not batch or done(batch):
                return None
            m = _NEXT.search(str(page.headers.get("link", "")))
            following, page = http.next_url(m.group(1) if m else None), None  # one parsed page alive at a time
            max_id = parse_qs(urlsplit(following).query).get("max_id", [None])[0] if following else None
            if not following or not max_id:
                return None
            url, params = following, None
            if http.enough(len(posts)):
                return max_id

    async def _sweep(self, ctx: Context, http: Http, posts: dict[str, Post], warnings: list[str]) -> dict:
        """Re-confirm older posts' counts, 20 ids a request (see :mod:`._refresh`); the sweep's state."""
        todo = plan(ctx.ledger, self.name, ctx.as_of, set(posts))
        if todo is None:
            return {}
        read = 0
        for batch in batches(todo.ids, BY_ID):
            try:
                answer = (await http.get(f"{self.base}/api/v1/statuses", {"id[]": list(batch)})).data
                if not isinstance(answer, list):
                    raise Stopped("mastodon", f"expected a list of statuses from {http.host}")
            except HttpStatus as exc:
                if exc.status in (400, 404, 422):  # before Mastodon 4.3 there is no way to ask for many ids
                    warnings.append(f"mastodon: {self.base} cannot list statuses by id (Mastodon 4.3+); older posts' counts kept")
                    return {}
                warnings.append(exc.partial + "; the refresh of older posts resumes next run")
                break
            except Stopped as exc:
                warnings.append(exc.partial + "; the refresh of older posts resumes next run")
                break
            posts.update(
                (post.id, post)
                for post in page_posts(http, answer, "mastodon", "status", status_post, warnings)
                if post.id in batch
            )
            read += len(batch)
        return {"refresh": todo.state_after(read)}
