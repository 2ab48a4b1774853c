"""The network limits and their defaults (light: no httpx import, so settings load fast).

The defaults are chosen so that, whatever the servers do, one ``influence update`` ends
within 120 s (every source stops within ``source_budget``; sources run concurrently), a
source answering only 429/503 makes at most ``1 + wait_budget / min_wait`` = 31 requests,
and no answer can hold more than ``max_bytes`` in memory. ``bench/attack_bench.py`` runs
each attack with these defaults; docs/reliability.md records its figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How far one network source may go in one run (tests make these small)."""

    timeout: float = 20.0  # seconds for one whole request: connect, headers and body (not per read)
    source_budget: float = 80.0  # seconds one source may take in all; then it stops and keeps what it read
    max_requests: int = 200  # requests per source per run (redirects and retries count)
    min_wait: float = 2.0  # no wait on 429/5xx is shorter (Retry-After: 0 or a reset in the past)
    wait_budget: float = 60.0  # seconds one source may wait in all on 429/5xx; beyond it, it stops
    backoff: float = 1.0  # first retry delay after a 5xx or a broken connection, doubled each time
    attempts: int = 4  # tries of one request on 5xx, timeouts and broken connections
    max_bytes: int = 8 << 20  # bytes of one answer, on the wire and once decompressed (8 MiB)
    max_items: int = 10_000  # posts (or mentions) one source may read per run
    max_redirects: int = 5  # redirects followed for one request
    rate_floor: int = 1  # no request while the server says this many or fewer are left (X-RateLimit-Remaining)
