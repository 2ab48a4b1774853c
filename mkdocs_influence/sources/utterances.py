"""utterances: the comments and reactions of each post's GitHub issue.

``- utterances: owner/repo`` (found by itself in the site's templates, :mod:`._detect`)
with ``category`` (the issue label utterances adds, if any), ``mapping`` and ``token_env``
(default ``GITHUB_TOKEN``; without it GitHub's search allows 10 requests a minute instead of
30). Lists the repository's issues through the search API (``/search/issues?q=repo:…
is:issue``, 100 a page, ``base_url`` default ``https://api.github.com``). An issue
belongs to the post its title names (pathname, URL, title or og:title: every form is
tried, as for giscus). Per post: ``comments`` and ``likes`` (reactions). Never who.
"""

from __future__ import annotations

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, skipped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import listed, match_thread, post_index, tally, thread_terms, walk_stopped

PER_PAGE = 100
MAX_PAGES = 10  # GitHub's search stops at 1,000 results


def issue_counts(item: dict) -> dict[str, int]:
    reactions = item.get("reactions")
    likes = reactions.get("total_count", 0) if isinstance(reactions, dict) else 0
    comments = item.get("comments")
    if not isinstance(comments, int) or isinstance(comments, bool) or not isinstance(likes, int):
        raise TypeError("comments")
    return {"comments": comments, "likes": likes}


class UtterancesSource:
    name = "utterances"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.repo = spec.target
        self.label = spec.options.get("category")
        self.base = spec.base_url("https://api.github.com")
        self.token_env = str(spec.options.get("token_env") or "GITHUB_TOKEN")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        token = token_from_env(self.name, self.token_env, required=False)
        headers = {"Accept": "application/vnd.github+json", **({"Authorization": f"Bearer {token}"} if token else {})}
        query = f"repo:{self.repo} is:issue" + (f' label:"{self.label}"' if self.label else "")
        index = post_index(ctx)
        counted, terms = tally(self.name, ctx), thread_terms(index, ctx.site.site_name)
        warnings = [] if token else [f"{self.name}: {self.token_env} is not set: GitHub's search allows 10 requests a minute"]
        read = unmatched = 0
        complete = True
        for page in range(1, MAX_PAGES + 1):
            params = {"q": query, "per_page": PER_PAGE, "page": page, "sort": "created", "order": "asc"}
            try:
                data = (await http.get(f"{self.base}/search/issues", params, headers=headers)).data
            except Stopped as exc:  # an HTTP status too
                if isinstance(exc, HttpStatus) and exc.status == 422:  # GitHub's answer for a repository it cannot search
                    raise SourceError(
                        f"{self.name}: GitHub cannot search {self.repo} (check the value after 'utterances:')"
                    ) from None
                warnings.append(walk_stopped(self.name, exc, read, "GitHub", self.token_env))
                complete = False
                break
            items = listed(self.name, data, "items")
            for i, item in enumerate(http.take(items)):
                read += 1
                try:
                    if not match_thread(counted, terms, item.get("title"), issue_counts(item), item.get("html_url")):
                        unmatched += 1
                except Exception as exc:
                    warnings.append(f"{self.name}: skipped an issue: {skipped(exc, f'issue #{i + 1}')}")
            if len(items) < PER_PAGE or http.enough(0):
                complete = complete and not http.enough(0)
                break
        if unmatched:
            warnings.append(f"{self.name}: {unmatched} issues are not about a blog post; not counted")
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("issues")))
