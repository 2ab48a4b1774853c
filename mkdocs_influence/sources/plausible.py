"""Plausible: readers of each post over everything the site's analytics holds.

``- plausible: site-id`` (the domain the site is registered under) with ``token_env``
(default ``PLAUSIBLE_API_KEY``) naming the variable holding a Stats API key;
``base_url`` (default ``https://plausible.io``) for a self-hosted server. One Stats API v2
query, ``POST /api/v2/query`` with ``date_range: "all"``, ``dimensions: ["event:page"]`` and
``metrics: ["visitors", "pageviews"]``, 10,000 rows a page (``pagination.offset``). Per
post: ``views`` = visitors (unique readers; page views are not stored). Only per-page counts
are read: no referrers, no visitor data.
"""

from __future__ import annotations

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import add_views, listed, tally, walk_stopped

PER_PAGE = 10_000


class PlausibleSource:
    name = "plausible"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.site_id = spec.target
        self.base = spec.base_url("https://plausible.io")
        self.token_env = str(spec.options.get("token_env") or "PLAUSIBLE_API_KEY")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        key = token_from_env(self.name, self.token_env, required=True)
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        offset, complete = 0, True
        while True:
            query = {
                "site_id": self.site_id,
                "metrics": ["visitors", "pageviews"],
                "date_range": "all",
                "dimensions": ["event:page"],
                "pagination": {"limit": PER_PAGE, "offset": offset},
            }
            try:
                data = (await http.post(f"{self.base}/api/v2/query", query, headers={"Authorization": f"Bearer {key}"})).data
            except Stopped as exc:  # an HTTP status too
                if isinstance(exc, HttpStatus) and exc.status in (400, 404) and not offset:
                    detail = f" ({exc.detail})" if exc.detail else ""
                    raise SourceError(
                        f"{self.name}: Plausible refused the query for {self.site_id!r}{detail}; check the site id"
                    ) from None
                warnings.append(walk_stopped(self.name, exc, offset, "Plausible", self.token_env))
                complete = False
                break
            rows = listed(self.name, data, "results")
            for i, row in enumerate(http.take(rows)):
                dims = row.get("dimensions") if isinstance(row, dict) else None
                values = row.get("metrics") if isinstance(row, dict) else None
                ok = isinstance(dims, list) and dims and isinstance(values, list) and values
                add_views(counted, dims[0] if ok else None, values[0] if ok else None, warnings, offset + i)
            offset += len(rows)
            if len(rows) < PER_PAGE or http.enough(0):
                complete = complete and len(rows) < PER_PAGE
                break
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("page rows")))
