"""HTTP for the network sources: polite, bounded, conditional, staying home, never leaking a token.

Every limit lives here, not in the sources (defaults in :mod:`.limits`):

- one whole-request deadline (connect, headers and body together, not per read), within a
  per-source time budget and a per-source request count;
- 5xx answers, timeouts and broken connections retried with exponential backoff; 429
  waits as the server says (``Retry-After``, ``X-RateLimit-Reset``, ``RateLimit-Reset``);
  every wait at least ``min_wait`` and all of them within ``wait_budget``;
- the rate limit obeyed *before* a 429: once ``X-RateLimit-Remaining``/``RateLimit-Remaining``
  reaches ``rate_floor``, the next request waits for the reset (within the wait budget) or
  the source stops there and keeps what it read;
- bodies bounded while they stream, on the wire and decompressed (:mod:`.body`);
- redirects followed here, never to ``http:`` from ``https:``, and never to another host
  when the source has a secret; next-page URLs and cursors must stay on the source's host;
- only validators and the source's own derived data are cached (:mod:`.cache`);
- secrets masked in every form before any truncation (:mod:`.redact`).

A source that reaches a limit mid-walk gets :class:`.fail.Stopped`: it keeps the pages it had
read and says so (``stopped after 200 requests (limit): kept what was read``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from .. import __version__
from ..errors import SourceError
from .body import ACCEPT_ENCODING, BodyTooLarge, UnsupportedEncoding, read_body
from .cache import HttpCache
from .fail import HttpStatus, Stopped
from .limits import Limits
from .rate import remaining, reset_in, retry_after
from .redact import safe

USER_AGENT = f"mkdocs-influence/{__version__} (+https://pypi.org/project/mkdocs-influence/; reads only the configured account)"
RETRY_STATUSES = {500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}


def _why(exc: BaseException) -> str:
    """A transport failure in words."""
    if isinstance(exc, asyncio.TimeoutError | httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, zlib.error):
        return "sent a body that does not decompress"
    return "broke the connection"


@dataclass
class Response:
    data: Any
    headers: httpx.Headers
    url: str
    not_modified: bool = False


@dataclass
class Http:
    """One source's view of the network: its client, its secrets, its limits, its notes."""

    client: httpx.AsyncClient
    source: str
    secrets: tuple[str, ...] = ()
    cache_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
    requests: int = 0
    waited: float = 0.0
    home: str | None = None  # scheme and host of the source's first request: paging stays there
    host: str = ""  # the host last asked, for messages
    notes: list[str] = field(default_factory=list)  # warnings of the layer itself (cache, paging)
    looked_at: int = 0  # raw items of all pages so far (see take)
    rate_left: int | None = None  # requests the server says are left in its window
    rate_reset: float | None = None  # monotonic time that window ends (None: not said)

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.cache = HttpCache(self.cache_dir, self.secrets, lambda text: self.note(f"{self.source}: {text}"))
        self._seen: set[str] = set()

    def safe(self, text: str, limit: int = 200) -> str:
        return safe(text, self.secrets, limit)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # --- paging ------------------------------------------------------------------

    def next_url(self, url: str | None) -> str | None:
        """``url`` if a walk may follow it: on the source's own host, not seen before."""
        if not url:
            return None
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}".lower() != (self.home or "").lower():
            where = self.safe(parts.netloc, 60)
            self.note(f"{self.source}: the next page is on another host ({where}); stopped paging: kept what was read")
            return None
        return url if self.next_cursor(url) else None

    def next_cursor(self, cursor: str | None) -> bool:
        """True to go on with ``cursor``; False at the end or when the server repeats one."""
        if not cursor:
            return False
        if cursor in self._seen:
            self.note(f"{self.source}: the server repeated a paging cursor; stopped paging: kept what was read")
            return False
        self._seen.add(cursor)
        return True

    def enough(self, items: int) -> bool:
        """True (with a note) once a walk has kept ``max_items`` items or looked at as many."""
        if max(items, self.looked_at) < self.limits.max_items:
            return False
        self.note(f"{self.source}: stopped after {self.limits.max_items} items (limit): kept what was read")
        return True

    def take(self, items: list[Any]) -> list[Any]:
        """The part of one page's raw items a walk may still look at (``max_items`` per source per
        run): a page of millions of bogus items costs neither the time nor the memory of millions."""
        allowed = items[: max(0, self.limits.max_items - self.looked_at)]
        self.looked_at += len(allowed)
        if len(allowed) < len(items):
            self.enough(self.looked_at)
        return allowed

    # --- requests ----------------------------------------------------------------

    async def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        kind: str = "json",
        headers: Mapping[str, str] | None = None,
        derive: Callable[[Any], Any] | None = None,
        fresh: bool = False,
        method: str = "GET",
        content: bytes | None = None,
    ) -> Response:
        """GET ``url``; ``kind`` is ``json`` or ``bytes``. Raises :class:`Stopped` (or :class:`HttpStatus`).

        With ``derive``, the answer is ``derive(data)`` (JSON-able), cached with the validators so
        that a 304 returns it; without, nothing is cached and no validators are sent. ``fresh``
        skips the cached entry (a source that cannot use what an older version derived).
        ``method`` and ``content`` are for :meth:`post`.
        """
        query = {k: v for k, v in (params or {}).items() if v is not None}
        full = url + ("?" + urlencode(query, doseq=True) if query else "")  # lists repeat: uris=a&uris=b
        parts = urlsplit(full)
        self.home = self.home or f"{parts.scheme}://{parts.netloc}"
        name = f"{kind}:{getattr(derive, '__qualname__', '-')}"
        entry = self.cache.load(full, name) if derive and not fresh else None
        send = {**(headers or {}), **(entry.validators() if entry else {})}
        status, answer, body, final = await self._fetch(full, send, method, content)
        if status == 304 and entry is not None:
            return Response(entry.derived, answer, final, not_modified=True)
        if status >= 400:
            raise HttpStatus(self.source, status, self.safe(full, 300), self.safe(_error_text(body), 200))
        data: Any = body
        if kind == "json":
            data = self._json(body, answer, full)
        if derive is not None:
            data = derive(data)
            self.cache.store(full, name, answer, data)
        return Response(data, answer, final)

    async def post(
        self, url: str, body: Mapping[str, Any] | str, *, headers: Mapping[str, str] | None = None, kind: str = "json"
    ) -> Response:
        """POST a JSON body (a GraphQL or stats query) or, given text, a form (an OAuth token
        request); read-only queries, so retried like a GET; never cached."""
        form = isinstance(body, str)
        ctype = "application/x-www-form-urlencoded" if form else "application/json"
        content = (body if form else json.dumps(body, sort_keys=True)).encode()
        send = {"Content-Type": ctype, **(headers or {})}
        return await self.get(url, kind=kind, headers=send, fresh=True, method="POST", content=content)

    def _json(self, body: bytes, headers: httpx.Headers, url: str) -> Any:
        ctype = headers.get("content-type", "")
        if "json" not in ctype:
            got = self.safe(ctype, 60) or "no content type"
            raise Stopped(self.source, f"expected JSON from {self.safe(url, 300)}, got {got}")
        try:
            return json.loads(body)
        except RecursionError:
            raise Stopped(self.source, f"malformed JSON from {self.safe(url, 300)} (nested too deeply)") from None
        except ValueError as exc:
            raise Stopped(self.source, f"malformed JSON from {self.safe(url, 300)} ({self.safe(str(exc), 80)})") from None

    def _left(self) -> float:
        return self.limits.source_budget - (time.monotonic() - self.started)

    def _check(self) -> None:
        """Refuse another request beyond the request count or the time budget."""
        if self.requests >= self.limits.max_requests:
            raise Stopped(self.source, f"stopped after {self.requests} requests (limit)")
        if self._left() <= 0:
            raise Stopped(self.source, f"stopped after {self.limits.source_budget:g} s (time limit)")

    async def _wait(self, delay: float, why: str) -> None:
        """Sleep ``delay`` (at least ``min_wait``) if the wait budget and the time budget allow it."""
        delay = max(delay, self.limits.min_wait)
        if self.waited + delay > self.limits.wait_budget or delay >= self._left():
            raise Stopped(self.source, why)
        self.waited += delay
        await self.sleep(delay)

    async def _fetch(
        self, url: str, headers: Mapping[str, str], method: str = "GET", content: bytes | None = None
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """One logical GET: retries, rate-limit waits, redirects, deadline and size limits."""
        failures = 0
        host = urlsplit(url).netloc
        while True:
            self._check()
            await self._respect_rate(host)
            try:
                status, answer, body, final = await asyncio.wait_for(
                    self._once(url, headers, method, content), timeout=max(0.01, min(self.limits.timeout, self._left()))
                )
            except (httpx.TransportError, asyncio.TimeoutError, zlib.error) as exc:
                status, answer, body, final, why = 0, httpx.Headers(), b"", url, _why(exc)
            else:
                why = f"HTTP {status}"
                self._note_rate(answer)
            if status == 429:
                delay = retry_after(answer, self.clock())
                delay = 60.0 if delay is None else delay
                later = f"try again in {delay:.0f} s" if delay >= 1 else "try again later"
                tried = f"{self.requests} request{'s' if self.requests > 1 else ''}, {self.waited:.0f} s waited"
                await self._wait(delay, f"rate limited by {host} ({tried}); {later}")
                continue
            if status and status not in RETRY_STATUSES:
                return status, answer, body, final
            failures += 1
            give_up = f"{host} failed {failures} time{'s' if failures > 1 else ''} ({why})"
            if failures >= self.limits.attempts:
                raise Stopped(self.source, give_up)
            delay = self.limits.backoff * 2 ** (failures - 1)
            await self._wait(max(delay, retry_after(answer, self.clock()) or 0.0), give_up)

    def _note_rate(self, headers: httpx.Headers) -> None:
        """Remember what the server said of its rate limit (for :meth:`_respect_rate`)."""
        left = remaining(headers)
        if left is None:
            return
        reset = reset_in(headers, self.clock())
        self.rate_left = left
        self.rate_reset = None if reset is None else time.monotonic() + reset

    async def _respect_rate(self, host: str) -> None:
        """Before a request: wait for the window's reset once the server says too few are left."""
        if self.rate_left is None or self.rate_left > self.limits.rate_floor:
            return
        delay = 60.0 if self.rate_reset is None else self.rate_reset - time.monotonic()
        self.rate_left = self.rate_reset = None
        if delay <= 0:
            return
        later = f"try again in {delay:.0f} s" if delay >= 1 else "try again later"
        await self._wait(delay, f"rate limit of {host} used up ({self.requests} requests); {later}")

    async def _once(
        self, url: str, headers: Mapping[str, str], method: str = "GET", content: bytes | None = None
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """One request and its redirects, each counted; the body read within ``max_bytes``."""
        for _ in range(self.limits.max_redirects + 1):
            self._check()
            self.requests += 1
            self.host = urlsplit(url).netloc
            send = {"Accept-Encoding": ACCEPT_ENCODING, **headers}
            async with self.client.stream(method, url, headers=send, content=content) as response:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    url = self._redirect(url, urljoin(url, location.strip()))
                    continue
                try:
                    body = await read_body(response, self.limits.max_bytes)
                except BodyTooLarge as exc:
                    raise Stopped(self.source, f"{self.host} sent too large an answer ({exc.what}); refused") from None
                except UnsupportedEncoding as exc:
                    raise Stopped(self.source, f"{self.host} sent an unsupported encoding ({exc}); refused") from None
                return response.status_code, response.headers, body, url
        raise Stopped(self.source, f"{self.host} redirected more than {self.limits.max_redirects} times")

    def _redirect(self, old: str, new: str) -> str:
        """``new`` if following it is safe: never down to http, never off host with a secret."""
        a, b = urlsplit(old), urlsplit(new)
        where = self.safe(f"{b.scheme}://{b.netloc}", 80)
        if b.scheme not in ("http", "https"):
            raise Stopped(self.source, f"{a.netloc} redirected to {where}, not HTTP; not followed")
        if a.scheme == "https" and b.scheme == "http":
            raise Stopped(self.source, f"{a.netloc} redirected from HTTPS to {where}; not followed")
        if self.secrets and b.netloc.lower() != a.netloc.lower():
            raise Stopped(self.source, f"{a.netloc} redirected to another host ({where}); not followed with a token")
        return new


def _error_text(body: bytes) -> str:
    """The server's own error message, if it sent one as JSON (masked and cut by the caller)."""
    try:
        data = json.loads(body[:65536])
    except (ValueError, RecursionError):
        return ""
    if isinstance(data, dict):
        for key in ("error_description", "message", "error"):
            if isinstance(data.get(key), str):
                return data[key]
    return ""


def token_from_env(source: str, name: str | None, *, required: bool) -> str | None:
    """The token in environment variable ``name`` (never from a file, never logged)."""
    if not name:
        if required:
            raise SourceError(f"{source}: needs a token: set token_env to the name of an environment variable holding it")
        return None
    value = os.environ.get(name)
    if not value and required:
        raise SourceError(f"{source}: environment variable {name} is not set (it should hold the token)")
    return value or None


def client(timeout: float = 20.0) -> httpx.AsyncClient:
    """One client for a run: connection reuse, redirects followed by :class:`Http` itself (to
    check each hop), at most 8 connections (sources run concurrently, each one request at a time)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        limits=httpx.Limits(max_connections=8),
    )
