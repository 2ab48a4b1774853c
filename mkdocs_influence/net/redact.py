"""Secrets out of every message: masked first, in every form a server may echo, then cut.

A token can come back from a server raw, percent-encoded (``quote``/``quote_plus``, in
either hex case, even twice), form-encoded or JSON-escaped. Every such form is replaced
by ``***`` *before* any truncation, so a cut can never leave half a token behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, quote_plus

MASK = "***"
_QUERY_SECRET = re.compile(r"(?i)\b(token|access_token|api_key|key|secret|password)=[^&\s\"'<>]+")


def forms(secret: str) -> frozenset[str]:
    """Every spelling of ``secret`` a server might echo back."""
    out = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    for encode in (lambda s: quote(s, safe=""), quote, quote_plus):
        once = encode(secret)
        out |= {once, encode(once)}
    return frozenset(f for f in out if f)


@lru_cache(maxsize=64)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    spellings = sorted({f for s in secrets if s for f in forms(s)}, key=len, reverse=True)
    if not spellings:
        return None
    # hex digits of percent-escapes may come back in either case: match case-insensitively
    return re.compile("|".join(re.escape(s) for s in spellings), re.IGNORECASE)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every form of every secret (and any ``token=``-like query value) masked."""
    pattern = _pattern(tuple(sorted(set(secrets))))
    if pattern is not None:
        text = pattern.sub(MASK, text)
    return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}={MASK}", text)


def contains(text: str, secrets: Iterable[str]) -> bool:
    """True when ``text`` holds any form of any secret (then it must not be stored)."""
    pattern = _pattern(tuple(sorted(set(secrets))))
    return pattern is not None and pattern.search(text) is not None


def clip(text: str, limit: int = 200) -> str:
    """At most ``limit`` characters of ``text`` on one line (call after :func:`redact`)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe(text: str, secrets: Iterable[str], limit: int = 200) -> str:
    """Masked, then cut: the only order that cannot print part of a secret."""
    return clip(redact(text, secrets), limit)
