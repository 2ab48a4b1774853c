"""``<!-- influence:… -->`` markers → images of the bundle's files, in a page's rendered HTML.

Markers: ``badge`` (optionally ``style=<shields style>``), ``card`` and ``topics``.
They are replaced after Markdown has rendered the page, where a marker the author meant
is still an HTML comment and one shown as an example is escaped text: code spans, fenced
and indented code at any nesting (admonitions, content tabs, lists) are left alone by
the same parser that renders them. What a marker becomes is plain HTML (an image linked
to the history page) added after figure/caption plugins have numbered the page's own
images. A marker with an unknown name or option becomes nothing and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import badges

from ..wording import unknown_name

#: every comment that starts ``influence:`` — the author meant a marker, so a wrong one is reported
COMMENT = re.compile(r"<!--\s*influence:(.*?)-->", re.S)
KINDS: dict[str, tuple[str, ...]] = {"badge": ("style",), "card": (), "topics": ()}
_OPTION = re.compile(r"([A-Za-z_][\w-]*)=(\S*)\Z")


@dataclass(frozen=True)
class Problem:
    comment: str  # the marker as written, to find its line in the source
    message: str


def parse(body: str) -> tuple[str, dict[str, str]] | str:
    """(kind, options) of a marker's text after ``influence:``, or the problem with it."""
    name, *words = body.split()
    if name not in KINDS:
        return unknown_name(name, KINDS, prefix="influence:", what="marker")
    options: dict[str, str] = {}
    for word in words:
        m = _OPTION.match(word)
        if m is None or m.group(1) not in KINDS[name]:
            key = m.group(1) if m else word
            return unknown_name(key, KINDS[name], prefix=f"influence:{name} ", what="marker option")
        options[m.group(1)] = m.group(2)
    style = options.get("style")
    if style is not None and style not in badges.STYLES:
        return unknown_name(style, badges.STYLES, prefix="style=", what="badge style")
    return name, options


def _image(kind: str, options: dict[str, str], alt: str, report: dict[str, Any]) -> tuple[str, str]:
    """(file in the bundle, alt text) of one marker."""
    if kind == "card":
        return "card.svg", alt
    if kind == "topics":
        return "topics.svg", "topics: " + (", ".join(t["name"] for t in report["topics"][:3]) or "none yet")
    style = options.get("style")
    return (f"badge-{style}.svg" if style else "badge.svg"), alt


def linked_image(src: str, href: str, alt: str) -> str:
    """An image linked to the history page (a brag button leads to its evidence)."""
    return f'<a href="{badges.escape(href)}"><img alt="{badges.escape(alt)}" src="{badges.escape(src)}"></a>'


def post_badge_html(src: str, href: str, alt: str) -> str:
    """The ``post_badge`` badge as HTML (it is added to a post's rendered page, not its Markdown)."""
    return f'<p class="influence-post-badge" data-search-exclude="true">{linked_image(src, href, alt)}</p>'


def replace_markers(
    html: str, url_of: Callable[[str], str], href: str, alt: str, report: dict[str, Any]
) -> tuple[str, list[Problem]]:
    """Replace every marker comment in rendered ``html``; ``url_of(name)`` gives a bundle file's URL
    relative to the page. Returns the new HTML and the markers that were not understood."""
    problems: list[Problem] = []

    def one(m: re.Match[str]) -> str:
        parsed = parse(m.group(1)) if m.group(1).split() else "empty marker 'influence:'"
        if isinstance(parsed, str):
            problems.append(Problem(m.group(0), parsed))
            return m.group(0)
        name, text = _image(*parsed, alt, report)
        return linked_image(url_of(name), href, text)

    return COMMENT.sub(one, html), problems


def line_of(source: str, comment: str, start: int = 0) -> tuple[int | None, int]:
    """(1-based line of ``comment`` in ``source`` at or after ``start``, where to look next)."""
    at = source.find(comment, start)
    if at < 0:
        return None, start
    return source.count("\n", 0, at) + 1, at + len(comment)
