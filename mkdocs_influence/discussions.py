"""Where each blog post was discussed: the line ``post_discussions: bottom`` adds under a post.

Read from the ledger at build time (nothing is fetched): the counts Hacker News, Lobsters and
Reddit gave a post (``via`` metrics) with the address of its thread (each source's
``threads`` state), and the comments of the site's own comment system (giscus, utterances,
Disqus) — ``Discussed on Hacker News (312 points, 150 comments) · Lobsters (41 points) ·
4 comments``. Only the sources configured now count; a post nobody discussed gets nothing.
A thread is a place, not a person: no name is ever shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import badges

from .ledger import Ledger, latest_metrics, state
from .wording import counted

#: Discussion sites, in the order shown, with their names.
PLACES = {"hackernews": "Hacker News", "lobsters": "Lobsters", "reddit": "Reddit"}
#: The site's own comment systems: their comments are shown as one count, linked to the post's comments.
COMMENTS = ("giscus", "utterances", "disqus")


@dataclass(frozen=True)
class Place:
    name: str
    counts: tuple[tuple[str, int], ...]  # (metric, n) with n > 0, in the order shown
    url: str = ""


def for_posts(ledger: Ledger, kinds: Sequence[str] | None) -> dict[str, list[Place]]:
    """Post id → where it was discussed, for the configured ``kinds`` (None: every source)."""
    out: dict[str, list[Place]] = {}
    for source, name in PLACES.items():
        if kinds is not None and source not in kinds:
            continue
        threads = state(ledger, source, "threads")
        threads = threads if isinstance(threads, dict) else {}
        for pid, metrics in sorted(latest_metrics(ledger, "blog", source).items()):
            shown = tuple((m, metrics[m]) for m in ("points", "comments") if metrics.get(m, 0) > 0)
            if shown:
                urls = threads.get(pid) if isinstance(threads.get(pid), list) else []
                url = next((u for u in urls if isinstance(u, str) and u.startswith("https://")), "")
                out.setdefault(pid, []).append(Place(name, shown, url))
    own: dict[str, int] = {}
    for source in COMMENTS:
        if kinds is None or source in kinds:
            for pid, metrics in latest_metrics(ledger, "blog", source).items():
                own[pid] = own.get(pid, 0) + max(0, int(metrics.get("comments", 0)))
    for pid, n in sorted(own.items()):
        if n:
            out.setdefault(pid, []).append(Place("", (("comments", n),), "#__comments"))
    return out


def line_html(places: Sequence[Place]) -> str:
    """The line under a post; "" when there is nothing to say."""
    parts: list[str] = []
    for place in places:
        words = ", ".join(counted(n, m) for m, n in place.counts)
        text = f"{badges.escape(place.name)} ({words})" if place.name else words
        if place.url and place.name:
            text = f'<a href="{badges.escape(place.url)}">{badges.escape(place.name)}</a> ({words})'
        elif place.url:
            text = f'<a href="{badges.escape(place.url)}">{words}</a>'
        parts.append(text)
    if not parts:
        return ""
    return f'<p class="influence-discussions" data-search-exclude="true">Discussed on {" · ".join(parts)}</p>'


def load(folder: Any, kinds: Sequence[str] | None) -> dict[str, list[Place]]:
    """:func:`for_posts` of the data folder's ledger."""
    from .ledger import load as load_ledger

    return for_posts(load_ledger(folder), kinds)
