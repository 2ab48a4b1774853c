"""DEV.to (Forem): the user's articles with comment and reaction counts.

``- devto: me`` reads ``/api/articles?username=me&page=N&per_page=30`` (``base_url``
default ``https://dev.to``), no token; pages until a short page or known old articles.
An unknown username answers ``200 []`` there, so an empty first page is checked with
``/api/users/by_username?url=`` (one more request, only then): a typo fails clearly instead
of reporting "ok, 0 posts". Every 30 days (``_refresh.FULL_DAYS``) the walk goes to the last page, so
older articles' counts are confirmed too. DEV.to has no public follower count, so it adds no
reach.
"""

from __future__ import annotations

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise
from ..net.http import Http
from ..store.activity import Activity, Post, parse_tags
from ..store.ledger import latest_posts
from . import Context, Result, SourceSpec
from ._refresh import full_read_due, refresh_cutoff
from ._social import counts, known_and_old, page_posts, when

PER_PAGE = 30
ACCEPT = {"Accept": "application/vnd.forem.api-v1+json"}


def article_post(article: dict, where: str) -> Post:
    ident = article.get("id")
    if not isinstance(ident, str | int) or isinstance(ident, bool) or not str(ident).strip():
        raise SourceError(f"{where}: no usable id")
    tags = article.get("tag_list")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    metrics = counts(
        {
            "comments": article.get("comments_count"),
            "likes": article.get("public_reactions_count") or article.get("positive_reactions_count"),
        },
        where,
    )
    return Post(
        source="devto",
        id=str(ident),
        title=str(article.get("title") or "(untitled)"),
        published=when(article.get("published_at") or article.get("published_timestamp"), f"{where}.published_at"),
        url=str(article.get("url") or ""),
        tags=parse_tags(tags, f"{where}.tag_list"),
        text=str(article.get("description") or ""),
        metrics=metrics,
    )


class DevtoSource:
    name = "devto"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.user = spec.target
        self.base = spec.base_url("https://dev.to")
        self.refresh_days = int(spec.options.get("refresh_days", 30))
        self.token_env = spec.options.get("token_env")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        known = set(latest_posts(ctx.ledger, "devto"))
        cutoff = refresh_cutoff(ctx.as_of, self.refresh_days)
        full = full_read_due(ctx.ledger, self.name, ctx.as_of)
        posts: dict[str, Post] = {}
        warnings: list[str] = []
        page_no, whole = 0, True
        while True:
            page_no += 1
            params = {"username": self.user, "page": page_no, "per_page": PER_PAGE}
            try:
                page = (await http.get(f"{self.base}/api/articles", params, headers=ACCEPT)).data
                if not isinstance(page, list):
                    raise Stopped("devto", "expected a list of articles")
            except HttpStatus as exc:
                if exc.status == 404 and not posts:
                    raise SourceError(f"devto: no user {self.user!r} on {self.base}") from None
                warnings.append(keep_or_raise(exc, len(posts)))
                whole = False
                break
            except Stopped as exc:
                warnings.append(keep_or_raise(exc, len(posts)))
                whole = False
                break
            if page_no == 1 and not page:
                await self._check_user(http)
            batch, repeated = [], 0
            for post in page_posts(http, page, "devto", "article", article_post, warnings):
                if post.id in posts:
                    repeated += 1
                    continue
                batch.append(post)
                posts[post.id] = post
            if len(page) < PER_PAGE:
                break
            if not full and known_and_old((p.id for p in batch), known, (p.published for p in batch), cutoff):
                break
            if repeated and not batch:
                warnings.append("devto: the server repeated a page; stopped paging: kept what was read")
                break
            if http.enough(len(posts)):
                whole = False
                break
        done = {"full_read": ctx.as_of.isoformat()} if full and whole else {}
        return Result(Activity(tuple(posts.values()), state=done), tuple(warnings))

    async def _check_user(self, http: Http) -> None:
        """Fail clearly when the user does not exist (the articles list answers ``[]`` for anyone)."""
        try:
            await http.get(f"{self.base}/api/users/by_username", {"url": self.user}, headers=ACCEPT)
        except HttpStatus as exc:
            if exc.status == 404:
                raise SourceError(f"devto: no user {self.user!r} on {self.base}") from None
            raise
