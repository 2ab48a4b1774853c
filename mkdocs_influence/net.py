"""HTTP for the network sources: polite, bounded, conditional, and never leaking a token.

- Every request has a timeout and a descriptive ``User-Agent``.
- 5xx answers, timeouts and broken connections are retried with exponential backoff
  (tenacity), a few times.
- 429 waits as the server says (``Retry-After``, ``X-RateLimit-Reset``,
  ``RateLimit-Reset``) if that fits the run's wait budget; otherwise the source stops
  with a message saying when to try again.
- 401/403 stop the source with a message saying how to fix it.
- ``ETag``/``Last-Modified`` validators and bodies are kept in a cache folder, so an
  unchanged endpoint costs a 304.
- Secrets are removed from every message (:func:`redact`).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email.utils
import hashlib
import json
import os
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from . import __version__
from .errors import SourceError
from .fileio import atomic_write, read_cached_json

USER_AGENT = f"mkdocs-influence/{__version__} (+https://pypi.org/project/mkdocs-influence/; reads only the configured account)"
RETRY_STATUSES = {500, 502, 503, 504}
MAX_PAGES = 500  # a hard stop for any paging loop


class _Retryable(Exception):
    """A transient failure worth another try."""


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (and any ``token=`` query value) replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"(?i)(token|access_token|key)=[^&\s\"']+", r"\1=***", text)


def _retry_after(headers: httpx.Headers, now: dt.datetime) -> float | None:
    """Seconds to wait, from whichever rate-limit header the server sent."""
    value = headers.get("retry-after")
    if value:
        if value.strip().isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        if when is not None:
            return max(0.0, (when - now).total_seconds())
    for name in ("x-ratelimit-reset", "ratelimit-reset"):
        value = headers.get(name)
        if not value:
            continue
        value = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", value):
            number = float(value)
            # epoch seconds (Bluesky) or seconds from now (IETF draft)
            return max(0.0, number - now.timestamp()) if number > 1e9 else number
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return max(0.0, (when - now).total_seconds())
    return None


@dataclass
class Response:
    data: Any
    headers: httpx.Headers
    url: str
    not_modified: bool = False


@dataclass
class Http:
    """One source's view of the network: its client, its secrets, its budgets."""

    client: httpx.AsyncClient
    source: str
    secrets: tuple[str, ...] = ()
    cache_dir: Path | None = None
    wait_budget: float = 120.0  # seconds this source may spend waiting on rate limits
    backoff: float = 1.0  # first retry delay, doubled each time
    attempts: int = 4
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
    requests: int = 0

    def _safe(self, text: str) -> str:
        return redact(text, self.secrets)

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(self._safe(url).encode()).hexdigest()[:32]}.json"

    async def get(
        self, url: str, params: Mapping[str, Any] | None = None, *, kind: str = "json", headers: Mapping[str, str] | None = None
    ) -> Response:
        """GET ``url``; ``kind`` is ``json`` or ``bytes``. Raises :class:`SourceError` or :class:`HttpStatus`."""
        full = url + ("?" + urlencode({k: v for k, v in (params or {}).items() if v is not None}) if params else "")
        cache_path = self._cache_path(full)
        cached = read_cached_json(cache_path)
        send = dict(headers or {})
        if cached:
            if cached.get("etag"):
                send["If-None-Match"] = cached["etag"]
            if cached.get("last_modified"):
                send["If-Modified-Since"] = cached["last_modified"]
        waited = 0.0
        while True:
            response = await self._with_retries(full, send)
            if response.status_code != 429:
                break
            delay = _retry_after(response.headers, self.clock())
            host = urlsplit(full).netloc
            if delay is None:
                delay = 60.0
            if waited + delay > self.wait_budget:
                raise SourceError(f"{self.source}: rate limited by {host}; try again in {delay:.0f} s")
            waited += delay
            await self.sleep(delay)
        if response.status_code == 304 and cached is not None:
            raw = base64.b64decode(cached["body"])
            return Response(json.loads(raw) if kind == "json" else raw, response.headers, full, not_modified=True)
        if response.status_code >= 400:
            raise HttpStatus(self.source, response.status_code, self._safe(full), _error_text(response))
        body = response.content
        if kind == "json":
            ctype = response.headers.get("content-type", "")
            if "json" not in ctype:
                raise SourceError(f"{self.source}: expected JSON from {self._safe(full)}, got {ctype or 'no content type'}")
            try:
                data: Any = json.loads(body)
            except ValueError as exc:
                raise SourceError(f"{self.source}: malformed JSON from {self._safe(full)} ({exc})") from None
        else:
            data = body
        if cache_path is not None and (response.headers.get("etag") or response.headers.get("last-modified")):
            entry = {
                "etag": response.headers.get("etag"),
                "last_modified": response.headers.get("last-modified"),
                "body": base64.b64encode(body).decode("ascii"),
            }
            atomic_write(cache_path, json.dumps(entry, sort_keys=True).encode("utf-8"))
        return Response(data, response.headers, full)

    async def _with_retries(self, url: str, headers: Mapping[str, str]) -> httpx.Response:
        last: list[str] = []

        async def once() -> httpx.Response:
            self.requests += 1
            try:
                response = await self.client.get(url, headers=dict(headers))
                await response.aread()
            except httpx.TransportError as exc:  # timeouts, resets, truncated bodies
                last[:] = [type(exc).__name__]
                raise _Retryable() from None
            if response.status_code in RETRY_STATUSES:
                last[:] = [f"HTTP {response.status_code}"]
                raise _Retryable()
            return response

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=self.backoff, max=30 * self.backoff),
                retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
                sleep=self.sleep,
                reraise=True,
            ):
                with attempt:
                    return await once()
        except _Retryable:
            what = last[0] if last else "error"
            raise SourceError(
                f"{self.source}: {urlsplit(url).netloc} failed {self.attempts} times ({what}); kept the earlier data"
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover


class HttpStatus(SourceError):
    """A 4xx answer; sources turn 401/403/404 into a message that says how to fix it."""

    def __init__(self, source: str, status: int, url: str, detail: str) -> None:
        self.status, self.url, self.detail = status, url, detail
        hint = {401: "the server wants authentication (check the token)", 403: "access was refused (check the token)"}.get(
            status, ""
        )
        super().__init__(
            f"{source}: HTTP {status} from {url}" + (f": {detail}" if detail else "") + (f"; {hint}" if hint else "")
        )


def _error_text(response: httpx.Response) -> str:
    """The server's short error message, if it sent one (never more than 200 characters)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("error_description", "message", "error"):
            if isinstance(body.get(key), str):
                return body[key][:200]
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
    """One client for a run: connection reuse, a timeout on every request, at most 4 connections
    per run (sources run concurrently, each one request at a time)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        limits=httpx.Limits(max_connections=4),
    )
