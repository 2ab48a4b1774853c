"""Small helpers that make every message a user sees read as a sentence.

One place for counted nouns ("1 post", "2 posts") and for the "did you mean" hint of an
unknown name, so the CLI, the plugin, the pages and ``explain`` word them the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

#: nouns whose plural is not the singular plus "s"
_IRREGULAR = {"reply": "replies", "entry": "entries"}


def plural(n: int, singular: str, many: str | None = None) -> str:
    """``1 post``, ``2 posts``, ``0 posts``; ``many`` for irregular plurals."""
    if n == 1:
        return f"{n} {singular}"
    return f"{n} {many or _IRREGULAR.get(singular) or singular + 's'}"


def day_label(day: dt.date | str, year: bool = True) -> str:
    """``20 Nov 2026``: a date in words, the same in every locale."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def counted(n: int, metric: str) -> str:
    """A metric's count in words: ``1 reply``, ``3 likes`` (metric names are plurals)."""
    return plural(n, "reply" if metric == "replies" else metric.removesuffix("s"), metric)


def unknown_name(name: object, valid: Iterable[str], *, prefix: str = "", what: str = "option") -> str:
    """``unknown option 'topics.alow' — did you mean 'topics.allow'?``

    ``prefix`` is the path of the mapping the name sits in (``topics.``); the nearest valid
    name (difflib) is suggested, else the valid names are listed.
    """
    names = sorted(valid)
    text = f"unknown {what} '{prefix}{name}'"
    close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
    if close:
        return f"{text} — did you mean '{prefix}{close[0]}'?"
    if names:
        return f"{text} (expected one of {', '.join(names)})"
    return f"{text} (none is allowed here)"
