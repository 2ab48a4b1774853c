"""Where each blog post was discussed: the line ``post_discussions: bottom`` adds under a post.

Computed with the report (nothing is fetched, nothing is read at build time but the report):
the counts Hacker News, Lobsters and Reddit gave a post (``via`` metrics) with the address of
its thread (each source's ``threads`` state), and the comments of the site's own comment
system (giscus, utterances, Disqus) — ``Discussed on Hacker News (312 points, 150 comments) ·
Lobsters (41 points) · 4 comments``. Only the sources configured now count; a post nobody
discussed gets nothing. A thread is a place, not a person: no name is ever shown. The same
wording serves MkDocs (the plugin), Material's blog index (the short form) and the
Hugo/Jekyll/Eleventy snippets (``discussions.json``, already worded and escaped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import badges

from ..store.ledger import Ledger, latest_metrics, state
from ..wording import counted

#: Discussion sites, in the order shown, with their names.
PLACES = {"hackernews": "Hacker News", "lobsters": "Lobsters", "reddit": "Reddit"}
#: The site's own comment systems: their comments are shown as one count, linked to the post's comments.
COMMENTS = ("giscus", "utterances", "disqus")
#: Material's comments anchor (its ``partials/comments.html``); other themes have none in common.
MATERIAL_COMMENTS = "#__comments"


@dataclass(frozen=True)
class Place:
    name: str  # "" for the site's own comments
    counts: tuple[tuple[str, int], ...]  # (metric, n) with n > 0, in the order shown
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "counts": [list(c) for c in self.counts], "url": self.url}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Place:
        return cls(str(raw["name"]), tuple((str(m), int(n)) for m, n in raw["counts"]), str(raw.get("url", "")))


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
            out.setdefault(pid, []).append(Place("", (("comments", n),), MATERIAL_COMMENTS))
    return out


def from_report(report: Mapping[str, Any]) -> dict[str, list[Place]]:
    """The report's ``post_discussions`` (post id → places): what a build shows, no ledger read."""
    return {d["id"]: [Place.from_dict(p) for p in d["places"]] for d in report.get("post_discussions") or ()}


def counts_text(place: Place) -> str:
    """``312 points, 150 comments``."""
    return ", ".join(counted(n, m) for m, n in place.counts)


def _parts(places: Iterable[Place], tail: Callable[[Place], str], comments: str) -> list[str]:
    """Each place as HTML: its name linked to its thread then ``tail``; the site's own comments
    (``4 comments``) linked to ``comments`` ("" for no link)."""
    parts = []
    for place in places:
        if place.name:
            name = badges.escape(place.name)
            parts.append((f'<a href="{badges.escape(place.url)}">{name}</a>' if place.url else name) + tail(place))
        else:
            parts.append(f'<a href="{badges.escape(comments)}">{counts_text(place)}</a>' if comments else counts_text(place))
    return parts


def line_html(places: Sequence[Place], comments: str = MATERIAL_COMMENTS) -> str:
    """The line under a post; "" when there is nothing to say."""
    parts = _parts(places, lambda p: f" ({counts_text(p)})", comments)
    if not parts:
        return ""
    return f'<p class="influence-discussions" data-search-exclude="true">Discussed on {" · ".join(parts)}</p>'


def short_html(places: Sequence[Place], comments: str = "") -> str:
    """The short form beside a post in a list: ``Hacker News 312 · 4 comments`` — a place's points as a
    bare number, else its count in words (``Hacker News 4 comments``: points were not given)."""

    def tail(place: Place) -> str:
        metric, n = place.counts[0]
        return f" {n}" if metric == "points" else f" {counted(n, metric)}"

    parts = _parts(places, tail, comments)
    if not parts:
        return ""
    return f'<p class="influence-discussions influence-discussions--short" data-search-exclude="true">{" · ".join(parts)}</p>'


#: How each generator's templates name a post (docs/generators/*.md): Hugo's ``.File.Path`` and
#: Jekyll's ``page.path`` are the readers' post path; Eleventy's ``page.inputPath`` is the post id.
GENERATOR_KEYS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "hugo": lambda d, _: str(d["path"]),
    "jekyll": lambda d, _: str(d["path"]),
    "eleventy": lambda d, _: str(d["id"]),
    "zensical": lambda d, site_url: site_path(str(d.get("url", "")), site_url),  # what its script finds
}


def site_path(url: str, site_url: str) -> str:
    """A post's address under the site's root (``2026/01/10/a-post/``), as a page's script finds it
    from ``location`` (Zensical has no template that can read a data file)."""
    from urllib.parse import urlsplit

    path, root = urlsplit(url).path, urlsplit(site_url).path if site_url else "/"
    root = "/" + root.strip("/") + "/" if root.strip("/") else "/"
    return path[len(root) :] if path.startswith(root) else path.lstrip("/")


def generator_data(report: Mapping[str, Any], generator: str) -> dict[str, dict[str, str]]:
    """``discussions.json`` for a generator's snippet: post key → the line and the short form,
    worded and escaped here (the templates print them as they are). The own comments are not
    linked: themes have no comments anchor in common."""
    site_url, key = str(report.get("site_url") or ""), GENERATOR_KEYS[generator]
    out = {}
    for d in report.get("post_discussions") or ():
        places = [Place.from_dict(p) for p in d["places"]]
        if places and key(d, site_url):  # (a report cached by an older version may lack a post's url)
            out[key(d, site_url)] = {"html": line_html(places, ""), "short": short_html(places)}
    return out
