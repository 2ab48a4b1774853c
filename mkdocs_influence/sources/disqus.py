"""Disqus: the comment count and likes of each post's thread.

``- disqus: forum`` (the forum's shortname) with ``token_env`` (default ``DISQUS_API_KEY``)
naming the variable that holds a public API key (disqus.com/api/applications). Lists the
forum's threads, ``GET /threads/list.json?forum=…&api_key=…&limit=100`` paged by
``cursor.next`` while ``cursor.hasNext`` (``base_url`` default
``https://disqus.com/api/3.0``). A thread belongs to the post its ``link`` shows (canonical
URL, :mod:`..urls`). Per post: ``comments`` (the thread's ``posts``) and ``likes``. Never
who wrote.
"""

from __future__ import annotations

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import add_item, listed, refused, tally, walk_stopped

COUNTS = {"comments": "posts", "likes": "likes"}


class DisqusSource:
    name = "disqus"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.forum = spec.target
        self.base = spec.base_url("https://disqus.com/api/3.0")
        self.token_env = str(spec.options.get("token_env") or "DISQUS_API_KEY")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        key = token_from_env(self.name, self.token_env, required=True)
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        cursor, read, complete = None, 0, True
        while True:
            params = {"forum": self.forum, "api_key": key, "limit": 100, "cursor": cursor}
            try:
                data = (await http.get(f"{self.base}/threads/list.json", params)).data
            except Stopped as exc:  # an HTTP status too
                status = exc.status if isinstance(exc, HttpStatus) else 0
                if status == 400 and not read:  # Disqus: {"code": 2, "response": "Invalid argument, 'forum'"}
                    raise SourceError(
                        f"{self.name}: Disqus refused the forum {self.forum!r} (check the value after 'disqus:')"
                    ) from None
                if status in (401, 403):  # a refused key fails the source even mid-walk
                    raise refused(self.name, exc, "Disqus", self.token_env) from None
                warnings.append(walk_stopped(self.name, exc, read, "Disqus", self.token_env))
                complete = False
                break
            threads = listed(self.name, data, "response")
            for i, thread in enumerate(http.take(threads)):
                read += 1
                add_item(counted, thread, "link", COUNTS, i, warnings)
            page = data.get("cursor") if isinstance(data.get("cursor"), dict) else {}
            cursor = page.get("next") if page.get("hasNext") else None
            if http.enough(0):
                complete = False
                break
            if not http.next_cursor(cursor):
                break
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("threads")))
