"""Reading a ledger line's values defensively: older versions (and hands) wrote bad ones.

A value the model cannot use (a negative, fractional, non-finite or huge count, a date
out of range, a language code that is not a tag) is taken out of the line and named, so
loading never fails on it, the report never sees it and ``influence doctor`` lists it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..errors import LedgerError, shown
from .activity import MAX_COUNT, YEARS, checked_count, checked_lang, in_years


class _Huge(int):
    """An integer too long for Python to read (over 4,300 digits): past the ceiling either way."""

    def __new__(cls, text: str) -> _Huge:
        value = super().__new__(cls, -MAX_COUNT - 1 if text.startswith("-") else MAX_COUNT + 1)
        value.digits = len(text.lstrip("-"))  # type: ignore[attr-defined]
        return value

    def __repr__(self) -> str:
        return f"{'-' if self < 0 else ''}a number of {self.digits} digits"  # type: ignore[attr-defined]


def json_line(line: str, where: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise LedgerError(f"{where}: not valid JSON ({exc.msg})") from None
    except ValueError:  # an integer Python refuses to read: keep the line, drop that value
        try:
            return json.loads(line, parse_int=lambda s: int(s) if len(s) < 100 else _Huge(s))
        except ValueError as exc:
            raise LedgerError(f"{where}: not valid JSON ({exc})") from None


def _published(value: Any) -> str | None:
    """Why a post line's ``published`` cannot be used (it must be an aware date-time in range), or None."""
    try:
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        return "not an ISO-8601 date-time with a time zone"
    return None if in_years(when) else f"outside the years {YEARS[0]}-{YEARS[1]}"


def _plain_counts(values: Any) -> bool:
    """Whether every value is a plain int in range: the usual case, checked in C (30 terms a post line)."""
    return set(map(type, values)) <= {int} and (not values or (min(values) >= 0 and max(values) <= MAX_COUNT))


def terms_ok(terms: Any) -> bool:
    """Whether ``terms`` is a mapping of words to counts the model can use."""
    return isinstance(terms, dict) and (_plain_counts(terms.values()) or not any(map(checked_count, terms.values())))


def bad_values(kind: str, obj: dict[str, Any]) -> list[str]:
    """Each value of a line the model cannot use, as ``field = value (why)``; the bad fields are
    removed from ``obj``. Older versions wrote some (negative or huge counts, NaN)."""
    bad: list[tuple[str, str]] = []
    if kind == "metrics":
        for name, value in obj.items():
            problem = ("not a text" if not isinstance(value, str) else None) if name == "via" else checked_count(value)
            if problem:
                bad.append((name, problem))
    elif kind == "audience":
        problem = checked_count(obj.get("followers"))
        if problem:
            bad.append(("followers", problem))
    elif kind == "fetch" and "items" in obj and checked_count(obj["items"]):
        bad.append(("items", str(checked_count(obj["items"]))))
    elif kind == "post":
        problem = _published(obj.get("published"))
        if problem:
            bad.append(("published", problem))
        for name in ("title", "url", "path", "text_sha"):
            if name in obj and not isinstance(obj[name], str):
                bad.append((name, "not a text"))
        if "lang" in obj and checked_lang(obj["lang"]) is None:
            bad.append(("lang", "not a language tag"))
        for name in ("removed", "unmeasured"):
            if name in obj and not isinstance(obj[name], bool):
                bad.append((name, "not true or false"))
        tags, terms = obj.get("tags", []), obj.get("terms", {})
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            bad.append(("tags", "not a list of texts"))
        if not terms_ok(terms):
            bad.append(("terms", "not a mapping of words to counts"))
    messages = [f"{name} = {shown(obj.get(name))} ({problem})" for name, problem in bad]
    for name, _ in bad:
        obj.pop(name, None)
    return messages
