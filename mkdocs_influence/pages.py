"""Pages from Jinja templates: the history page (MkDocs Markdown and standalone HTML).

All text goes through ``badges`` escaping: the environment autoescapes with
:func:`badges.escape` semantics (``finalize`` cleans controls and bidi characters
first), and the ``md`` filter escapes text that lands in Markdown instead (the MkDocs
history page's heading) so that neither Markdown nor HTML is read from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from badges import clean_text, escape
from badges._xml import fmt_num

from . import __version__
from .chart import component_chart, score_chart
from .errors import InfluenceError
from .fileio import atomic_write, read_cached_json
from .formula import COMPONENTS
from .wording import plural

# Every ASCII punctuation character: what Markdown and its extensions (emphasis, emoji
# `:x:`, `~~`, `^^`, `==`, attribute lists, magic links, smart symbols) could read as syntax.
_MD_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")


def templates_dir() -> Path:
    """``templates/`` beside the package in a checkout, or packaged inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("mkdocs-influence templates are missing from this installation")


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


def md(value: Any) -> Markup:
    """Escape for Markdown *and* HTML: the text shows literally, never as markup.

    Punctuation becomes numeric character references (``<`` → ``&#60;``), not backslash
    escapes: Markdown keeps a reference as it is whatever extensions are on, while which
    backslash escapes it understands depends on them (``\\~`` shows its backslash without
    pymdownx.tilde). Controls and bidi characters are removed first, as everywhere."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", clean_text(str(value))))


def safe_url(url: str) -> str:
    """Only http(s) and relative URLs survive; anything else (``javascript:`` …) becomes ''."""
    url = clean_text(url).strip()
    if re.match(r"https?://[^\s<>\"']+$", url) or re.match(r"[\w./~%-]*(#[\w-]*)?$", url):
        return url
    return ""


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md, pct=pct, num=fmt_num, plural=plural)
    return env


RANGES = (("all", None), ("365", 365), ("90", 90), ("30", 30))


def embed_snippets(report: dict[str, Any], alt: str) -> list[tuple[str, str]]:
    """Copy-ready snippets (format, text) that show the badge elsewhere, with absolute URLs."""
    base = safe_url(report.get("site_url", "")).rstrip("/")
    page = f"{base}/influence/" if base else "influence/"
    img = f"{page}badge.svg"
    return [
        ("Markdown", f"[![{alt}]({img})]({page})"),
        ("HTML", f'<a href="{page}"><img src="{img}" alt="{alt}"></a>'),
        ("reStructuredText", f".. image:: {img}\n   :alt: {alt}\n   :target: {page}"),
        ("BBCode", f"[url={page}][img alt={alt}]{img}[/img][/url]"),
        ("Score card (HTML)", f'<a href="{page}"><img src="{page}card.svg" alt="{alt}" width="400" height="210"></a>'),
        ("shields.io endpoint", f"https://img.shields.io/endpoint?url={page}shields.json"),
    ]


def _context(report: dict[str, Any], alt: str) -> dict[str, Any]:
    current = [r for r in report["history"] if r["formula"] == report["formula"]]
    charts = [(key, Markup(score_chart(report["history"], report["formula_changes"], days))) for key, days in RANGES]
    parts = [(name, report["components"][name]) for name in COMPONENTS if name != "base" and name in report["components"]]
    sparks = [(name, Markup(component_chart(report["history"], name, c["max"], report["formula"]))) for name, c in parts]
    return {
        "r": report,
        "charts": charts,
        "sparks": sparks,
        "rows": list(reversed(current)),
        "components": parts,
        "snippets": embed_snippets(report, alt),
    }


def history_body(report: dict[str, Any], link: Callable[[dict[str, Any]], str], alt: str) -> str:
    """The history page's content as an HTML fragment. ``link`` maps a post (its
    ``path``/``url``) to the href to use where the page is shown."""
    return environment().get_template("history_body.html.j2").render(link=link, **_context(report, alt))


def history_markdown(site_name: str, placeholder: str) -> str:
    """The MkDocs history page's Markdown: its heading (the site name escaped, so a name with
    HTML or Markdown in it shows as text) and ``placeholder``, which the rendered body replaces."""
    return environment().get_template("history.md.j2").render(site_name=site_name, placeholder=Markup(placeholder))


def history_html(report: dict[str, Any], alt: str = "") -> str:
    """A standalone history page (own minimal CSS, light and dark) for any static site."""
    site_url = report.get("site_url", "")

    def link(item: dict[str, Any]) -> str:
        url = safe_url(item.get("url", ""))
        if url and not url.startswith(("http://", "https://")) and site_url:
            return safe_url(site_url.rstrip("/") + "/" + url)
        return url

    body = Markup(history_body(report, link, alt or f"influence score: {report['score']}"))
    return environment().get_template("history.html.j2").render(body=body, r=report)


_LINK_TOKEN = re.compile(r"@@influence-link-(\d+)@@")


def _valid_page_cache(entry: Any) -> bool:
    """A page-cache entry as :func:`history_body_cached` writes it (anything else is recomputed)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("html"), str) or not isinstance(entry.get("items"), list):
        return False
    items = entry["items"]
    if not all(isinstance(i, dict) and isinstance(i.get("path"), str) and isinstance(i.get("url"), str) for i in items):
        return False
    return all(int(m.group(1)) < len(items) for m in _LINK_TOKEN.finditer(entry["html"]))


def history_body_cached(report: dict[str, Any], link: Callable[[dict[str, Any]], str], alt: str, cache_dir: Path | None) -> str:
    """:func:`history_body`, rendered once per report and reused by later builds.

    Links are rendered as placeholders and resolved at every build (where the pages are
    may change without the report changing), so the cached HTML stays valid.
    """
    key = hashlib.sha256()
    key.update(json.dumps(report, sort_keys=True).encode("utf-8", "surrogatepass"))
    key.update(alt.encode("utf-8", "surrogatepass"))
    key.update(__version__.encode())
    for template in ("history_body.html.j2",):
        key.update((templates_dir() / template).read_bytes())
    path = cache_dir / f"page-{key.hexdigest()[:32]}.json" if cache_dir is not None else None
    cached = None
    with contextlib.suppress(OSError):  # a cache folder that cannot be looked into is no cache
        cached = read_cached_json(path)
    if not _valid_page_cache(cached):
        items: list[dict[str, str]] = []

        def placeholder(item: dict[str, Any]) -> str:
            if not item.get("path") and not safe_url(str(item.get("url", ""))):
                return ""  # rendered as plain text, as history_body would
            items.append({"path": str(item.get("path", "")), "url": str(item.get("url", ""))})
            return f"@@influence-link-{len(items) - 1}@@"

        cached = {"html": history_body(report, placeholder, alt), "items": items}
        if path is not None:
            with contextlib.suppress(InfluenceError):  # a cache that cannot be written is skipped
                atomic_write(path, json.dumps(cached, sort_keys=True).encode("utf-8"))
    items = cached["items"]
    return _LINK_TOKEN.sub(lambda m: escape(link(items[int(m.group(1))])), cached["html"])
