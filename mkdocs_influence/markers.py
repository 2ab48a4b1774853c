"""``<!-- influence:… -->`` markers in Markdown → images of the bundle's files.

Markers: ``badge`` (optionally ``style=<shields style>``), ``card`` and ``topics``.
Images are Markdown images with a path relative to the page's source file, linked to the
history page, so MkDocs itself resolves them to correct URLs on every page and checks
them under ``--strict``.
Markers inside fenced code blocks are left alone, so docs can show them.
"""

from __future__ import annotations

import re
from typing import Any

import badges

MARKER = re.compile(r"<!--\s*influence:(badge|card|topics)((?:\s+[a-z_]+=[\w-]+)*)\s*-->")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_MD_ALT = re.compile(r"([\\\[\]])")


def _alt(text: str) -> str:
    return _MD_ALT.sub(r"\\\1", badges.escape(text))


def _image(kind: str, args: dict[str, str], prefix: str, alt: str, report: dict[str, Any]) -> str:
    if kind == "card":
        return f"![{_alt(alt)}]({prefix}/card.svg)"
    if kind == "topics":
        names = ", ".join(t["name"] for t in report["topics"][:3]) or "none yet"
        return f"![{_alt('topics: ' + names)}]({prefix}/topics.svg)"
    style = args.get("style")
    if style is None:
        return f"![{_alt(alt)}]({prefix}/badge.svg)"
    if style not in badges.STYLES:
        return f"<!-- influence: unknown badge style {badges.escape(style)} -->"
    return f"![{_alt(alt)}]({prefix}/badge-{style}.svg)"


def post_badge_html(src: str, href: str, alt: str) -> str:
    """The ``post_badge`` badge as HTML (it is added to a post's rendered page, not its Markdown)."""
    img = f'<img alt="{badges.escape(alt)}" src="{badges.escape(src)}">'
    return f'<p class="influence-post-badge" data-search-exclude="true"><a href="{badges.escape(href)}">{img}</a></p>'


def replace_markers(markdown: str, prefix: str, alt: str, report: dict[str, Any]) -> str:
    """Replace every marker outside fenced code with its image."""

    def one(m: re.Match[str]) -> str:
        args = dict(a.split("=", 1) for a in m.group(2).split())
        image = _image(m.group(1), args, prefix, alt, report)
        # a brag button leads to the evidence: every image links to the history page
        return f"[{image}]({prefix}/index.md)" if image.startswith("![") else image

    out, last = [], 0
    for fence in _FENCE.finditer(markdown):
        out.append(MARKER.sub(one, markdown[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(MARKER.sub(one, markdown[last:]))
    return "".join(out)
