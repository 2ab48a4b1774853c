"""Hacker News: the stories that link to this site's posts, their points and comments (keyless).

``- hackernews`` (on by default when ``site_url`` is set) asks the Algolia HN Search API
(``base_url`` default ``https://hn.algolia.com/api/v1``) for stories whose URL matches the
site's domain (``domain:`` overrides it), newest first, 100 a page. Algolia stops at 1,000
hits per query, so past that the walk goes on with ``created_at_i<=`` the oldest seen. The
URL match is fuzzy (words, not equality): each hit's URL is put in canonical form
(:mod:`..urls`) and counted only when it is one of the blog's posts; hits on other pages of
the site are counted in a warning. Per post: ``points`` and ``comments`` summed over every
story that linked it. Only counts are kept: never the submitter, never a comment.
"""

from __future__ import annotations

from ..net.fail import Stopped, keep_or_raise
from ..net.http import Http
from . import Context, Result, SourceSpec
from ._convo import add_new, listed, site_domain, tally

PER_PAGE = 100
COUNTS = {"points": "points", "comments": "num_comments"}


def _thread(hit: dict) -> str | None:
    """The story's discussion page (its id is all Hacker News needs)."""
    story = str(hit.get("objectID"))
    return f"https://news.ycombinator.com/item?id={story}" if story.isdigit() else None


class HackerNewsSource:
    name = "hackernews"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.base = spec.base_url("https://hn.algolia.com/api/v1")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        domain = site_domain(self.name, self.spec, ctx)
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        seen: set[str] = set()
        page, before, complete = 0, None, True
        while True:
            params = {
                "query": domain,
                "restrictSearchableAttributes": "url",
                "tags": "story",
                "hitsPerPage": PER_PAGE,
                "page": page,
                "numericFilters": None if before is None else f"created_at_i<={before}",
            }
            try:
                data = (await http.get(f"{self.base}/search_by_date", params)).data
            except Stopped as exc:
                warnings.append(keep_or_raise(exc, len(seen)))
                complete = False
                break
            hits = listed("hackernews", data, "hits")
            fresh = add_new(counted, http.take(hits), "objectID", seen, COUNTS, warnings, _thread)
            if http.enough(0):
                complete = False
                break
            pages = data.get("nbPages")
            if not fresh or len(hits) < PER_PAGE:
                break
            if isinstance(pages, int) and page + 1 < pages:
                page += 1
                continue
            times = [h["created_at_i"] for h in fresh if isinstance(h.get("created_at_i"), int)]
            if not times or (before is not None and min(times) >= before and page == 0):
                break
            page, before = 0, min(times)  # past Algolia's 1,000-hit window: go on from the oldest seen
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("stories")))
