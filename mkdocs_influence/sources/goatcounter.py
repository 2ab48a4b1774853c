"""GoatCounter: readers of each post over everything the site's analytics holds.

``- goatcounter: code`` (the site's code: ``code.goatcounter.com``) with ``token_env``
(default ``GOATCOUNTER_API_KEY``); ``base_url`` for a self-hosted server (default
``https://<code>.goatcounter.com``). ``GET /api/v0/stats/hits?start=2000-01-01&end=<as of>
&limit=100`` (``Content-Type: application/json`` even on GET, as GoatCounter wants), then
the next pages with ``exclude_paths`` of the paths already read while ``more`` is true
(at most 1,000 paths: the most read ones, as GoatCounter lists them first).
Per post: ``views`` = the path's ``count`` (visitors). Per-path counts only.
"""

from __future__ import annotations

import datetime as dt

from ..net.fail import Stopped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import add_views, listed, tally, walk_stopped

PER_PAGE = 100
MAX_PATHS = 1000  # exclude_paths grows with each page: the URL stays well under servers' 8 KiB limits
START = dt.date(2000, 1, 1)  # before any GoatCounter site: the whole period it holds


class GoatCounterSource:
    name = "goatcounter"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.code = spec.target
        self.base = spec.base_url(f"https://{spec.target}.goatcounter.com")
        self.token_env = str(spec.options.get("token_env") or "GOATCOUNTER_API_KEY")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        key = token_from_env(self.name, self.token_env, required=True)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        seen: list[str] = []
        complete = True
        while True:
            params = {
                "start": START.isoformat(),
                "end": (ctx.as_of + dt.timedelta(days=1)).isoformat(),
                "limit": PER_PAGE,
                "exclude_paths": ",".join(seen) or None,
            }
            try:
                data = (await http.get(f"{self.base}/api/v0/stats/hits", params, headers=headers)).data
            except Stopped as exc:  # an HTTP status too
                warnings.append(walk_stopped(self.name, exc, len(seen), "GoatCounter", self.token_env))
                complete = False
                break
            hits = listed(self.name, data, "hits")
            fresh = 0
            for i, hit in enumerate(http.take(hits)):
                pid = hit.get("path_id") if isinstance(hit, dict) else None
                if pid is not None and str(pid) in seen:
                    continue
                fresh += 1
                seen.append(str(pid))
                add_views(
                    counted,
                    hit.get("path") if isinstance(hit, dict) else None,
                    hit.get("count") if isinstance(hit, dict) else None,
                    warnings,
                    i,
                )
            if not data.get("more") or not fresh or http.enough(0) or len(seen) >= MAX_PATHS:
                complete = complete and not data.get("more")
                if data.get("more") and len(seen) >= MAX_PATHS:
                    warnings.append(f"{self.name}: stopped after {MAX_PATHS} paths (limit): kept what was read")
                break
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("page rows")))
