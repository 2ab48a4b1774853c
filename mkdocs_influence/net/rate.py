"""What servers say about their rate limits: how long to wait, how many requests are left.

Read from ``Retry-After`` (seconds or an HTTP date), ``X-RateLimit-Reset`` (Mastodon:
ISO-8601), ``RateLimit-Reset`` (Bluesky: epoch seconds; the IETF draft: seconds from now)
and ``X-RateLimit-Remaining``/``RateLimit-Remaining`` (Reddit sends ``999.0``). Headers are
any mapping with a case-insensitive ``get`` (``httpx.Headers``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

_NUMBER = re.compile(r"\d{1,12}(\.\d{1,9})?")


def reset_in(headers: Any, now: dt.datetime) -> float | None:
    """Seconds until the server's rate-limit window resets, from its reset header (never negative)."""
    for name in ("x-ratelimit-reset", "ratelimit-reset"):
        value = (headers.get(name) or "").strip()
        if _NUMBER.fullmatch(value):
            number = float(value)
            # epoch seconds (Bluesky) or seconds from now (IETF draft)
            return max(0.0, number - now.timestamp()) if number > 1e9 else number
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return max(0.0, (when - now).total_seconds())
        except (TypeError, ValueError, OverflowError):
            continue
    return None


def retry_after(headers: Any, now: dt.datetime) -> float | None:
    """Seconds to wait after a 429 or 503, from whichever header the server sent (never negative)."""
    value = (headers.get("retry-after") or "").strip()
    if value:
        if re.fullmatch(r"\d{1,12}", value):
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, (when - now).total_seconds())
        except (TypeError, ValueError, OverflowError):
            pass
    return reset_in(headers, now)


def remaining(headers: Any) -> int | None:
    """Requests left in the server's window, or None when it does not say."""
    for name in ("x-ratelimit-remaining", "ratelimit-remaining"):
        value = (headers.get(name) or "").strip()
        if _NUMBER.fullmatch(value):
            return int(float(value))
    return None
