"""giscus: the comments, replies and reactions of each post's GitHub Discussion.

``- giscus: owner/repo`` (found by itself in the site's templates, :mod:`._detect`) with
``category`` (the discussions category giscus posts in; all categories without it),
``mapping`` and ``token_env`` (default ``GITHUB_TOKEN``, which GitHub Actions provides;
GitHub's GraphQL API always needs a token). One query lists the repository's
discussions, 50 a page (``base_url`` default ``https://api.github.com``, GraphQL at
``/graphql``). A discussion belongs to the post its title names: giscus titles it with the
page's pathname, URL, title or og:title (``data-mapping``); every one of these forms is
tried, so the result does not depend on knowing the mapping (``specific`` and ``number``
work when the term is one of them). Per post: ``comments`` = comments + their replies,
``likes`` = reactions on the discussion. Never who wrote or reacted.
"""

from __future__ import annotations

from typing import Any

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise, skipped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import match_thread, post_index, refused, tally, thread_terms

PER_PAGE = 50
CATEGORIES = """query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { discussionCategories(first: 100) { nodes { id name } } }
}"""
DISCUSSIONS = """query($owner: String!, $name: String!, $after: String, $category: ID) {
  repository(owner: $owner, name: $name) {
    discussions(first: 50, after: $after, categoryId: $category) {
      pageInfo { hasNextPage endCursor }
      nodes { number title url reactions { totalCount } comments(first: 100) { totalCount nodes { replies { totalCount } } } }
    }
  }
}"""


def _total(node: Any, key: str) -> int:
    value = node.get(key) if isinstance(node, dict) else None
    count = value.get("totalCount") if isinstance(value, dict) else None
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError(key)
    return count


def discussion_counts(node: Any) -> dict[str, int]:
    """comments + replies, reactions: what giscus' widget shows for one discussion."""
    comments = node.get("comments") if isinstance(node, dict) else None
    replies = sum(_total(c, "replies") for c in (comments or {}).get("nodes") or [] if isinstance(c, dict))
    return {"comments": _total(node, "comments") + replies, "likes": _total(node, "reactions")}


class GiscusSource:
    name = "giscus"
    complete = False
    network = True
    what = "GitHub"

    def __init__(self, spec: SourceSpec) -> None:
        self.repo = spec.target
        self.category = spec.options.get("category")
        self.base = spec.base_url("https://api.github.com")
        self.token_env = str(spec.options.get("token_env") or "GITHUB_TOKEN")

    async def query(self, http: Http, token: str, query: str, variables: dict[str, Any]) -> Any:
        try:
            answer = (
                await http.post(
                    f"{self.base}/graphql", {"query": query, "variables": variables}, headers={"Authorization": f"bearer {token}"}
                )
            ).data
        except HttpStatus as exc:
            raise refused(self.name, exc, self.what, self.token_env) from None
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if errors:
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            message = http.safe(str(first.get("message") or "an error"), 200)
            hint = " (check the value after 'giscus:')" if first.get("type") == "NOT_FOUND" else ""
            raise SourceError(f"{self.name}: GitHub answered: {message}{hint}")
        repo = (answer.get("data") or {}).get("repository") if isinstance(answer, dict) else None
        if not isinstance(repo, dict):
            raise SourceError(f"{self.name}: GitHub has no repository {self.repo} (check the value after 'giscus:')")
        return repo

    async def category_id(self, http: Http, token: str, owner: str, name: str) -> str | None:
        if not self.category:
            return None
        repo = await self.query(http, token, CATEGORIES, {"owner": owner, "name": name})
        nodes = ((repo.get("discussionCategories") or {}).get("nodes")) or []
        ids = {n.get("name"): n.get("id") for n in nodes if isinstance(n, dict)}
        if self.category not in ids:
            known = ", ".join(sorted(str(k) for k in ids)) or "none"
            raise SourceError(
                f"{self.name}: {self.repo} has no discussion category {self.category!r} (it has: {known}); fix category"
            )
        return str(ids[self.category])

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        token = token_from_env(self.name, self.token_env, required=True)
        owner, _, name = self.repo.partition("/")
        if not owner or not name:
            raise SourceError(f"{self.name}: expected owner/repo, got {self.repo!r}")
        category = await self.category_id(http, str(token), owner, name)
        index = post_index(ctx)
        counted, terms = tally(self.name, ctx), thread_terms(index, ctx.site.site_name)
        warnings: list[str] = []
        after, read, unmatched, complete = None, 0, 0, True
        while True:
            variables = {"owner": owner, "name": name, "after": after, "category": category}
            try:
                repo = await self.query(http, str(token), DISCUSSIONS, variables)
            except Stopped as exc:
                warnings.append(keep_or_raise(exc, read))
                complete = False
                break
            listing = repo.get("discussions")
            if not isinstance(listing, dict) or not isinstance(listing.get("nodes"), list):
                raise SourceError(f"{self.name}: unexpected answer (no discussions list)")
            for i, node in enumerate(http.take(listing["nodes"])):
                read += 1
                try:
                    if not match_thread(counted, terms, node.get("title"), discussion_counts(node), node.get("url")):
                        unmatched += 1
                except Exception as exc:  # one odd discussion never fails the source
                    warnings.append(f"{self.name}: skipped a discussion: {skipped(exc, f'discussion #{i + 1}')}")
            info = listing.get("pageInfo") or {}
            after = info.get("endCursor") if info.get("hasNextPage") else None
            if http.enough(0):
                complete = False
                break
            if not http.next_cursor(after):
                break
        if unmatched:
            warnings.append(f"{self.name}: {unmatched} discussions are not about a blog post (pages, other topics); not counted")
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("discussions")))
