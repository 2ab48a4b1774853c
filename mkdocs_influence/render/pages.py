"""Pages from Jinja templates: the history page (MkDocs Markdown and standalone HTML).

All text goes through ``badges`` escaping: the environment autoescapes with
:func:`badges.escape` semantics (``finalize`` cleans controls and bidi characters
first), and the ``md`` filter escapes text that lands in Markdown instead (the MkDocs
history page's heading) so that neither Markdown nor HTML is read from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from badges import clean_text, escape
from badges._xml import fmt_num

from .. import __version__
from ..model.explain import NOISE, rest_words, why_lines
from ..model.formula import COMPONENTS
from ..model.moved import in_range
from ..settings import BadgeSettings
from ..store.fileio import read_cached_json, write_cache_entry
from ..wording import day_label, plural
from .chart import component_chart, formula_name, score_chart
from .links import PAGE_DIR, Addresses, absolute, safe_url

# Every ASCII punctuation character: what Markdown and its extensions (emphasis, emoji
# `:x:`, `~~`, `^^`, `==`, attribute lists, magic links, smart symbols) could read as syntax.
_MD_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")


def templates_dir() -> Path:
    """``templates/`` beside the package in a checkout, or packaged inside it in a wheel."""
    here = Path(__file__).resolve().parent.parent  # the package folder (this file is in render/)
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


def pct(value: float) -> str:
    """A share as a percentage that never hides a small one: whole from 10% on, one decimal
    below (``6.2%``), ``<0.1%`` for a share that would print as ``0.0%``, and ``0%`` only for none."""
    percent = value * 100
    if percent >= 9.95:
        return f"{percent:.0f}%"
    if percent >= 0.05:
        return f"{percent:.1f}%"
    return "<0.1%" if percent > 0 else "0%"


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
    env.filters.update(md=md, pct=pct, num=fmt_num, plural=plural, day=day_label, formula=formula_name, url=safe_url)
    return env


RANGES = (("all", None), ("365", 365), ("90", 90), ("30", 30))
TABLE_WEEKS = 26  # the page's data table; history.csv and history.json hold every week
#: plain names for the components and the source kinds (internal names stay in the JSON)
NAMES = {"conversation": "Conversation", "resonance": "Resonance", "reach": "Reach", "rhythm": "Rhythm"}
SOURCE_NAMES = {
    "blog": "Blog posts",
    "file": "Activity file",
    "feed": "Feed",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "devto": "DEV",
    "webmentions": "Webmentions",
    "x-archive": "X archive",
    "hackernews": "Hacker News",
    "lobsters": "Lobsters",
    "reddit": "Reddit",
    "giscus": "giscus",
    "utterances": "utterances",
    "disqus": "Disqus",
    "plausible": "Plausible",
    "goatcounter": "GoatCounter",
    "umami": "Umami",
}


def embed_snippets(report: dict[str, Any], alt: str, site_url: str | None = None) -> list[tuple[str, str]]:
    """Copy-ready snippets (format, text) that show the badge elsewhere, with absolute URLs
    under ``site_url`` (default: the report's); none without an absolute address, since a
    relative URL means nothing on another site.

    Each is valid in its own format: the alt text is escaped for it (HTML attribute,
    Markdown brackets and entities; BBCode has no alt text); reStructuredText keeps its newlines (the
    template shows each line) and the shields URL carries ours percent-encoded."""
    alt = clean_text(alt)
    base = absolute(report.get("site_url", "") if site_url is None else site_url)
    if not base:
        return []
    page = f"{base}{PAGE_DIR}"
    img = f"{page}badge.svg"
    md_alt = re.sub(r"([\\\[\]])", r"\\\1", alt.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    html_alt = escape(alt)
    rst_alt = " ".join(alt.split())
    return [
        ("Markdown", f"[![{md_alt}]({img})]({page})"),
        ("HTML", f'<a href="{page}"><img src="{img}" alt="{html_alt}"></a>'),
        ("reStructuredText", f".. image:: {img}\n   :alt: {rst_alt}\n   :target: {page}"),
        ("BBCode", f"[url={page}][img]{img}[/img][/url]"),
        ("Score card (HTML)", f'<a href="{page}"><img src="{page}card.svg" alt="{html_alt}" width="400" height="210"></a>'),
        ("shields.io endpoint", "https://img.shields.io/endpoint?url=" + quote(f"{page}shields.json", safe="")),
    ]


def _ranges(history: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    """All time, and each shorter range only when the history is longer than it (a
    "365 days" that shows the same as "All time" is noise)."""
    if not history:
        return [("all", None)]
    span = (dt.date.fromisoformat(history[-1]["date"]) - dt.date.fromisoformat(history[0]["date"])).days
    return [(key, days) for key, days in RANGES if days is None or days < span]


def _headline(report: dict[str, Any]) -> dict[str, Any]:
    """The score's change over the shortest explained period and its main reason, in words.

    The change is the explanation's own (the difference of its one-decimal ends), so the
    headline says what "Why it moved" shows: "down 0.1", never "down 1" beside "4 → 3 (-0.1 points)"."""
    if not report["changes"]:
        return {"days": None, "delta": 0.0, "moved": "", "reason": ""}
    days = min(report["changes"], key=int)
    ex = report["changes"][days]
    delta = ex["change"]
    moved = f"up {delta:.1f}" if delta > 0 else f"down {-delta:.1f}" if delta < 0 else "unchanged"
    head = {"days": days, "delta": delta, "moved": moved}
    comps = [c for c in ex["components"] if abs(c["change"]) >= NOISE]
    if not comps:
        return {**head, "reason": "Steady: no part of the score moved by more than a twentieth of a point."}
    top = max(comps, key=lambda c: abs(c["change"]))
    name = NAMES.get(top["name"], top["name"])
    why = top["movers"][0]["reason"] if top["movers"] else rest_words(top)
    return {**head, "reason": f"{'Mostly' if len(comps) > 1 else 'All'} {name.lower()}: {why}."}


def _badge_size(settings: BadgeSettings | None, report: dict[str, Any]) -> tuple[str, str]:
    """The badge's width and height, so the page reserves its place (no layout shift)."""
    from .bundle import score_badge

    svg = score_badge(report, settings or BadgeSettings())
    size = re.search(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"', svg)
    return (size.group(1), size.group(2)) if size else ("", "20")


def _context(report: dict[str, Any], alt: str, settings: BadgeSettings | None, at: Addresses) -> dict[str, Any]:
    history = report["history"]
    current = [r for r in history if r["formula"] == report["formula"]]
    moved = report.get("moved", [])  # a report cached by an older version has none
    charts = []
    for key, days in _ranges(history):
        marked = in_range(moved, history[-1]["date"], days) if history else []
        charts.append((key, Markup(score_chart(history, report["formula_changes"], days, marked)), marked))
    parts = [(name, report["components"][name]) for name in COMPONENTS if name != "base" and name in report["components"]]
    sparks = [(name, Markup(component_chart(history, name, NAMES.get(name, name), report["formula"]))) for name, _ in parts]
    return {
        "r": report,
        "charts": charts,
        "sparks": sparks,
        "rows": list(reversed(current))[:TABLE_WEEKS],
        "weeks": len(history),
        "any_reconstructed": any(r["reconstructed"] for r in history),
        "components": parts,
        "snippets": [(fmt, text.split("\n")) for fmt, text in embed_snippets(report, alt, at.site_url)],
        "here": at.here,
        "setting": at.setting,
        "nl": Markup("\n"),
        "alt": alt,
        "badge_size": _badge_size(settings, report),
        "headline": _headline(report),
        "names": NAMES,
        "why": why_lines,
        "source_names": SOURCE_NAMES,
    }


def history_body(
    report: dict[str, Any],
    link: Callable[[dict[str, Any]], str],
    alt: str,
    settings: BadgeSettings | None = None,
    at: Addresses | None = None,
) -> str:
    """The history page's content as an HTML fragment. ``link`` maps a post (its
    ``path``/``url``) to the href to use where the page is shown; ``at`` says how the page
    addresses its own files and whether embed code can be given (default: from the report's
    ``site_url``, files relative to the page)."""
    at = at or Addresses(site_url=report.get("site_url", ""))
    return environment().get_template("history_body.html.j2").render(link=link, **_context(report, alt, settings, at))


def history_markdown(site_name: str, placeholder: str, *, front_matter: bool = False) -> str:
    """The MkDocs history page's Markdown: its heading (the site name escaped, so a name with
    HTML or Markdown in it shows as text) and ``placeholder``, which the rendered body replaces.
    ``front_matter`` adds the page's meta (``social: {cards: false}``: Material's social
    plugin leaves this page's Open Graph tags to the plugin, whose image is ``og.png``)."""
    template = environment().get_template("history.md.j2")
    return template.render(site_name=site_name, placeholder=Markup(placeholder), front_matter=front_matter)


def history_html(report: dict[str, Any], alt: str = "", settings: BadgeSettings | None = None) -> str:
    """A standalone history page (own minimal CSS, light and dark) for any static site."""
    site_url = report.get("site_url", "")
    # Our own template sets no <base>: links relative to the page work wherever it is put
    # (the bundle goes to <root>/influence/), posts under site_url stay absolute.
    at = Addresses(site_url=site_url, setting=("site_url", "influence.yml (mkdocs.yml for an MkDocs site)"))
    alt = alt or f"influence score: {report['score']}"
    body = Markup(history_body(report, at.link, alt, settings, at))
    page = f"{absolute(site_url)}{PAGE_DIR}" if absolute(site_url) else ""  # og:url and og:image must be absolute
    image = f"{page}og.png" if page else ""
    meta = Markup(social_meta(report, report.get("site_name", ""), page, image, alt))
    return environment().get_template("history.html.j2").render(body=body, r=report, meta=meta)


def social_meta(report: dict[str, Any], site_name: str, page_url: str, image_url: str, alt: str) -> str:
    """The history page's Open Graph and Twitter tags; ``page_url``/``image_url`` absolute or ''."""
    title = f"Influence of {site_name}: {report['score']}" if site_name else f"Influence score: {report['score']}"
    return meta_tags(title, score_description(report), page_url, image_url, alt)


def score_description(report: dict[str, Any]) -> str:
    """``Influence score 47 out of 100, up 3.6 in 30 days. Topics: …``"""
    head = _headline(report)
    change = f", {head['moved']} in {head['days']} days" if head["days"] else ""
    topics = ", ".join(t["name"] for t in report["topics"][:3])
    return f"Influence score {report['score']} out of 100{change}." + (f" Topics: {topics}." if topics else "")


def meta_tags(title: str, description: str, page_url: str, image_url: str, alt: str, kind: str = "website") -> str:
    """One set of Open Graph and Twitter tags (``og:type`` ``kind``); URLs absolute or ''."""
    url, image = safe_url(page_url), safe_url(image_url)
    template = environment().get_template("history_meta.html.j2")
    return template.render(kind=kind, title=title, description=description, url=url, image=image, alt=alt)


_LINK_TOKEN = re.compile(r"@@influence-link-(\d+)@@")


def _valid_page_cache(entry: Any) -> bool:
    """A page-cache entry as :func:`history_body_cached` writes it (anything else is recomputed)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("html"), str) or not isinstance(entry.get("items"), list):
        return False
    items = entry["items"]
    if not all(isinstance(i, dict) and isinstance(i.get("path"), str) and isinstance(i.get("url"), str) for i in items):
        return False
    return all(int(m.group(1)) < len(items) for m in _LINK_TOKEN.finditer(entry["html"]))


def history_body_cached(
    report: dict[str, Any],
    link: Callable[[dict[str, Any]], str],
    alt: str,
    cache_dir: Path | None,
    settings: BadgeSettings | None = None,
    at: Addresses | None = None,
) -> str:
    """:func:`history_body`, rendered once per report and reused by later builds.

    Links are rendered as placeholders and resolved at every build (where the pages are
    may change without the report changing), so the cached HTML stays valid.
    """
    key = hashlib.sha256()
    key.update(json.dumps(report, sort_keys=True).encode("utf-8", "surrogatepass"))
    key.update(alt.encode("utf-8", "surrogatepass"))
    key.update(repr(settings).encode("utf-8", "surrogatepass"))
    key.update(repr(at).encode("utf-8", "surrogatepass"))
    key.update(__version__.encode())
    for template in ("history_body.html.j2",):
        key.update((templates_dir() / template).read_bytes())
    path = cache_dir / f"page-{key.hexdigest()[:32]}.json" if cache_dir is not None else None
    cached = read_cached_json(path)
    if not _valid_page_cache(cached):
        items: list[dict[str, str]] = []

        def placeholder(item: dict[str, Any]) -> str:
            if not item.get("path") and not safe_url(str(item.get("url", ""))):
                return ""  # rendered as plain text, as history_body would
            items.append({"path": str(item.get("path", "")), "url": str(item.get("url", ""))})
            return f"@@influence-link-{len(items) - 1}@@"

        cached = {"html": history_body(report, placeholder, alt, settings, at), "items": items}
        if path is not None:
            write_cache_entry(path, json.dumps(cached, sort_keys=True).encode("utf-8"))
    items = cached["items"]
    return _LINK_TOKEN.sub(lambda m: escape(link(items[int(m.group(1))])), cached["html"])
