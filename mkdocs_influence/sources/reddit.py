"""Reddit: the submissions of this site's posts, their score and comment count.

``- reddit`` with ``token_env`` (default ``REDDIT_CREDENTIALS``) naming an environment
variable that holds the owner's app credentials ``client_id:client_secret`` (a "script" or
"web" app at reddit.com/prefs/apps), exchanged for an app-only token
(``POST /api/v1/access_token``, ``grant_type=client_credentials``), or a bearer token
itself. For each blog post, in a fixed order, ``GET /api/info?url=<post URL>&raw_json=1``
(Reddit ignores the host's case and ``www.``; the URL with and without its trailing slash
is asked). A walk stopped at the request limit keeps what it read and starts from the
post it stopped at next time (``resume`` in the ledger), so every post is asked in turn.
``base_url`` replaces both ``https://www.reddit.com`` (token) and ``https://oauth.reddit.com`` (API).
Per post: ``points`` (score) and ``comments`` (num_comments), summed over the submissions (each counted once). Never who.
"""

from __future__ import annotations

import base64

from ..errors import SourceError
from ..net.fail import HttpStatus, Stopped, keep_or_raise
from ..net.http import Http, token_from_env
from ..store.ledger import state
from . import Context, Result, SourceSpec
from ._convo import add_new, post_index, refused, tally

COUNTS = {"points": "score", "comments": "num_comments"}


def _thread(link: dict) -> str | None:
    """The submission's comments by id alone (Reddit redirects it; no subreddit, no title kept)."""
    link_id = link.get("id")
    return f"https://www.reddit.com/comments/{link_id}/" if isinstance(link_id, str) and link_id.isalnum() else None


class RedditSource:
    name = "reddit"
    complete = False
    network = True

    def __init__(self, spec: SourceSpec) -> None:
        base = spec.options.get("base_url")
        self.auth = str(base or "https://www.reddit.com").rstrip("/")
        self.base = str(base or "https://oauth.reddit.com").rstrip("/")
        self.token_env = str(spec.options.get("token_env") or "REDDIT_CREDENTIALS")

    async def token(self, http: Http) -> str:
        secret = str(token_from_env(self.name, self.token_env, required=True))
        if ":" not in secret:
            return secret
        basic = base64.b64encode(secret.encode()).decode()
        http.secrets = (*http.secrets, basic)
        try:
            answer = (
                await http.post(
                    f"{self.auth}/api/v1/access_token",
                    "grant_type=client_credentials",
                    headers={"Authorization": f"Basic {basic}"},
                )
            ).data
        except HttpStatus as exc:
            raise refused(self.name, exc, "Reddit", self.token_env) from None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            error = answer.get("error") if isinstance(answer, dict) else None
            raise SourceError(
                f"{self.name}: Reddit gave no token ({http.safe(str(error or 'no access_token'), 80)}); check {self.token_env}"
            )
        http.secrets = (*http.secrets, token)
        return token

    async def collect_async(self, ctx: Context, http: Http) -> Result:
        index = post_index(ctx)
        token = await self.token(http)
        headers = {"Authorization": f"bearer {token}"}
        counted = tally(self.name, ctx)
        warnings: list[str] = []
        seen: set[str] = set()
        complete = True
        order = sorted(index.posts, key=lambda p: p.id, reverse=True)
        resume = state(ctx.ledger, self.name, "resume")
        start = next((i for i, p in enumerate(order) if p.id == resume), 0)
        order = order[start:] + order[:start]  # a walk stopped at a limit goes on from there next time
        stopped_at = ""
        for asked, post in enumerate(order):
            variants = dict.fromkeys([post.url, post.url.rstrip("/")])
            try:
                for url in variants:
                    listing = (await http.get(f"{self.base}/api/info", {"url": url, "raw_json": 1}, headers=headers)).data
                    children = (listing.get("data") or {}).get("children") if isinstance(listing, dict) else None
                    if not isinstance(children, list):
                        raise SourceError(f"{self.name}: unexpected answer (no listing)")
                    submissions = [c.get("data") if isinstance(c, dict) else None for c in http.take(children)]
                    add_new(counted, submissions, "name", seen, COUNTS, warnings, _thread)
            except Stopped as exc:  # an HTTP status too
                if isinstance(exc, HttpStatus) and exc.status in (401, 403):
                    raise refused(self.name, exc, "Reddit", self.token_env) from None
                warnings.append(keep_or_raise(exc, asked))
                complete, stopped_at = False, post.id
                break
        activity = counted.activity(complete=complete, state={"resume": stopped_at})
        return Result(activity, tuple(warnings + counted.warnings("submissions")))
