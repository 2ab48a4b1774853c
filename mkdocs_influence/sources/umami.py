"""Umami: page views of each post over everything the site's analytics holds.

``- umami: website-id`` with ``token_env`` (default ``UMAMI_API_KEY``) and ``base_url``
(default ``https://api.umami.is/v1``, Umami Cloud; a self-hosted server's API is
``https://<host>/api``). The key goes both as ``x-umami-api-key`` (Cloud) and as a bearer
token (self-hosted). ``GET /websites/<id>/metrics?type=path&startAt=0&endAt=<as of, ms>``
→ ``[{"x": "/path", "y": views}]``, 500 rows a page (``offset``); a server older than
the ``path`` type (a 400) is asked again with ``type=url``. Per post: ``views``.
"""

from __future__ import annotations

import datetime as dt

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped
from ..net.http import Http, token_from_env
from . import Context, Result, SourceSpec
from ._convo import add_views, tally, walk_stopped

PER_PAGE = 500


class UmamiSource:
    name = "umami"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        self.website = spec.target
        self.base = spec.base_url("https://api.umami.is/v1")
        self.token_env = str(spec.options.get("token_env") or "UMAMI_API_KEY")

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        key = token_from_env(self.name, self.token_env, required=True)
        headers = {"Authorization": f"Bearer {key}", "x-umami-api-key": str(key)}
        end = dt.datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        kind, offset, complete = "path", 0, True
        while True:
            params = {
                "type": kind,
                "startAt": 0,
                "endAt": int(end.timestamp() * 1000),
                "limit": PER_PAGE,
                "offset": offset or None,
            }
            try:
                rows = (await http.get(f"{self.base}/websites/{self.website}/metrics", params, headers=headers)).data
            except Stopped as exc:  # an HTTP status too
                if isinstance(exc, HttpStatus) and exc.status == 400 and kind == "path" and not offset:
                    kind = "url"  # releases before the rename
                    continue
                warnings.append(walk_stopped(self.name, exc, offset, "Umami", self.token_env))
                complete = False
                break
            if not isinstance(rows, list):
                raise SourceError(f"{self.name}: unexpected answer (not a list of rows)")
            for i, row in enumerate(http.take(rows)):
                add_views(
                    counted,
                    row.get("x") if isinstance(row, dict) else None,
                    row.get("y") if isinstance(row, dict) else None,
                    warnings,
                    offset + i,
                )
            offset += len(rows)
            if len(rows) < PER_PAGE or http.enough(0):
                complete = complete and len(rows) < PER_PAGE
                break
        return Result(counted.activity(complete=complete), tuple(warnings + counted.warnings("page rows")))
