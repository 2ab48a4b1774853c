"""Lobsters: the stories that link to this site's posts, their score and comment count (keyless).

``- lobsters`` (on by default when ``site_url`` is set) reads ``/domains/<domain>.json`` and
``/domains/<domain>/page/<n>.json`` (``base_url`` default ``https://lobste.rs``; ``domain:``
overrides the host of ``site_url``), 25 stories a page, newest first, until a short page.
A domain Lobsters never saw is a 404: no stories, every post 0. Lobsters has no search
JSON, so URLs are matched here (:mod:`..urls`). Per post: ``points`` (score) and ``comments``
(comment_count), summed over the stories. Never the submitter, never a comment.
"""

from __future__ import annotations

from urllib.parse import quote

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise
from ..net.http import Http
from . import Context, Result, SourceSpec
from ._convo import add_new, site_domain, tally

PER_PAGE = 25
COUNTS = {"points": "score", "comments": "comment_count"}


class LobstersSource:
    name = "lobsters"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.base = spec.base_url("https://lobste.rs")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        domain = quote(site_domain(self.name, self.spec, ctx), safe="")
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        seen: set[str] = set()
        complete = True
        page = 1
        while True:
            url = f"{self.base}/domains/{domain}.json" if page == 1 else f"{self.base}/domains/{domain}/page/{page}.json"
            try:
                stories = (await http.get(url)).data
            except Stopped as exc:  # an HTTP status too
                if isinstance(exc, HttpStatus) and exc.status == 404 and page == 1:
                    break  # Lobsters never saw this domain: nothing discussed there
                warnings.append(keep_or_raise(exc, len(seen)))
                complete = False
                break
            if not isinstance(stories, list):
                raise SourceError("lobsters: unexpected answer (not a list of stories)")
            fresh = add_new(counted, http.take(stories), "short_id", seen, COUNTS, warnings, lambda s: s.get("short_id_url"))
            if http.enough(0):
                complete = False
                break
            if not fresh or len(stories) < PER_PAGE:
                break
            page += 1
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("stories")))
