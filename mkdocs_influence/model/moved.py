"""The posts that moved the score: what the history chart marks and the page lists.

A post "moved the score" by the points its engagement adds to the score at the end of the
chart (the report's as-of date): its share of conversation, resonance and (formula v2)
reach through its readers, exactly the contributions ``explain`` attributes. Rhythm is
left out (writing, not engagement) and so are followers (a source's, not a post's). A
post published inside a chart's range was worth nothing at its start, so this is also its
contribution's change over the range. Each range (the last 30, 90, 365 days, all time)
marks its own few largest at the posts' publication dates; the report keeps their union.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the history page imports in_range at build time: no ledger/score import for it
    from ..store.ledger import PostView
    from .score import Score

#: the page's chart ranges in days (None: all time), and how many posts each marks
RANGES: tuple[int | None, ...] = (30, 90, 365, None)
MARKS = 3
NOISE = 0.05  # as in explain: a post adding less than this is not worth a mark
NOT_ENGAGEMENT = frozenset({"rhythm", "base"})


def engagement_points(post: PostView, score: Score) -> float:
    """The points ``post``'s engagement adds to ``score``."""
    return sum(c.contribution(post.key) for c in score.components if c.name not in NOT_ENGAGEMENT)


def in_range(entries: Sequence[dict[str, Any]], as_of: str, days: int | None, limit: int = MARKS) -> list[dict[str, Any]]:
    """The ``limit`` entries of :func:`moved` with the most points among those published in the
    last ``days`` days up to ``as_of`` (all of them for ``None``), oldest first (the chart's order)."""
    start = "" if days is None else (dt.date.fromisoformat(as_of) - dt.timedelta(days=days)).isoformat()
    inside = [e for e in entries if start < e["date"] <= as_of]
    top = sorted(inside, key=lambda e: (-e["points"], e["date"], e["title"]))[:limit]
    return sorted(top, key=lambda e: (e["date"], e["title"]))


def moved(posts: Sequence[PostView], score: Score, as_of: dt.date) -> list[dict[str, Any]]:
    """The report's ``moved`` field: every post that is among the :data:`MARKS` largest of one of
    :data:`RANGES` ending on ``as_of``, as ``{title, url, path, date, points}``, oldest first.
    Deterministic: ties go to the older post, then the title."""
    entries = []
    for post in posts:
        points = engagement_points(post, score)
        if points >= NOISE:
            day = post.published.date().isoformat()
            entries.append({"title": post.title, "url": post.url, "path": post.path, "date": day, "points": points})
    chosen = {id(e): e for days in RANGES for e in in_range(entries, as_of.isoformat(), days)}
    return sorted(chosen.values(), key=lambda e: (e["date"], e["title"]))
