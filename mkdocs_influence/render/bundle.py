"""The bundle: every file the site publishes under ``influence/``, rendered from a report.

One function serves both shells: the plugin adds these files to the MkDocs build, the
CLI writes them to a folder (``--bundle``) for any static site. Pure apart from the PNG
cache; same report → byte-identical files.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import badges

from ..model.formula import COMPONENTS
from ..settings import BadgeSettings
from ..store.fileio import read_cached_json, to_json, write_cache_entry

SHIELDS_CACHE_SECONDS = 3600
TREND_DAYS = 90


def score_badge(report: dict[str, Any], settings: BadgeSettings = BadgeSettings(), style: str | None = None) -> str:
    return badges.badge(settings.label, str(report["score"]), style=style or settings.style, color=settings.color)


def alt_text(report: dict[str, Any], settings: BadgeSettings = BadgeSettings()) -> str:
    """``influence score: 42``; a score without any engagement source says so (no silent single digits)."""
    if report.get("engagement_measured") is False:
        which = " or ".join(report.get("suggest", ()))
        return f"{settings.label} score: {report['score']} (engagement not measured; {which} would measure it)"
    return f"{settings.label} score: {report['score']}"


def topic_names(report: dict[str, Any]) -> list[str]:
    return [t["name"] for t in report["topics"]]


def trend(report: dict[str, Any], days: int = TREND_DAYS) -> list[float]:
    """The current formula's scores over the last ``days`` days, oldest first."""
    start = (dt.date.fromisoformat(report["as_of"]) - dt.timedelta(days=days)).isoformat()
    return [r["value"] for r in report["history"] if r["formula"] == report["formula"] and r["date"] >= start]


def score_card(report: dict[str, Any], settings: BadgeSettings = BadgeSettings(), theme: str | None = None) -> str:
    """The card in ``theme`` (default: the configured ``badge.card_theme``)."""
    theme = theme or settings.card_theme
    return badges.card(report["score"], report["formula"], topic_names(report), trend(report), theme=theme, label=settings.label)


def social_preview(report: dict[str, Any], settings: BadgeSettings = BadgeSettings()) -> str:
    """The SVG that ``og.png`` is rendered from: opaque, with the site's name, score and trend."""
    site = report.get("site_name", "")
    return badges.social_card(report["score"], site, topic_names(report), trend(report), label=settings.label)


#: where the posts' previews go under ``influence/`` (``social_preview: posts``)
POST_PREVIEW_DIR = "posts"


def post_preview(report: dict[str, Any], title: str, settings: BadgeSettings = BadgeSettings()) -> str:
    """The SVG a blog post's preview PNG is rendered from: its title, the site's name, the badge."""
    site = report.get("site_name", "")
    return badges.post_social_card(title, site, score_badge(report, settings), label=settings.label, score=report["score"])


def post_preview_name(identity: str) -> str:
    """``posts/<name>.png`` for the post whose source path (its identity: ``blog/posts/a.md``,
    the ledger's post id) is ``identity``: readable, and unique through a hash of the whole path."""
    stem = re.sub(r"[^a-z0-9]+", "-", identity.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()).strip("-")[:60]
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{POST_PREVIEW_DIR}/{stem + '-' if stem else ''}{digest}.png"


def post_preview_png(
    report: dict[str, Any], title: str, settings: BadgeSettings = BadgeSettings(), png_cache: Path | None = None
) -> bytes:
    """The post's preview as PNG (1200x630, like ``og.png``); from the cache (its ``posts/``
    folder, which :func:`prepare_build` keeps to the current previews) once rendered."""
    where = png_cache / POST_PREVIEW_DIR if png_cache is not None else None
    return badges.to_png(post_preview(report, title, settings), scale=badges.OG_SCALE, cache_dir=where)


def _prune_post_previews(report: dict[str, Any], settings: BadgeSettings, titles: Sequence[str], cache_dir: Path) -> None:
    """Remove cached post previews of other titles or scores: a score change re-renders every
    post (~45 KB each), and the cache would otherwise keep every earlier set."""
    from badges._png import _key  # the cache's own file naming

    keep = {f"{_key(post_preview(report, t, settings), badges.OG_SCALE)}.png" for t in titles}
    with contextlib.suppress(OSError):
        for path in (cache_dir / POST_PREVIEW_DIR).glob("*.png"):
            if path.name not in keep:
                path.unlink(missing_ok=True)


def blog_post_titles(folder: Path) -> list[str]:
    """The titles of the blog's posts as the ledger has them (the titles the built site gives
    them), for ``influence update`` to render their previews ahead of the build."""
    from ..store.ledger import latest_posts, load

    posts = latest_posts(load(folder), "blog")
    return [str(r.data.get("title", "")) for _, r in sorted(posts.items()) if not r.data.get("removed")]


def shields_endpoint(report: dict[str, Any], settings: BadgeSettings = BadgeSettings()) -> dict[str, Any]:
    """JSON for shields.io's endpoint badge (https://shields.io/badges/endpoint-badge)."""
    color = badges.parse_color(settings.color) if settings.color else badges.score_color(report["score"])
    return {
        "schemaVersion": 1,
        "label": badges.clean_text(settings.label),
        "message": str(report["score"]),
        "color": color.lstrip("#"),
        "cacheSeconds": SHIELDS_CACHE_SECONDS,
    }


def _csv_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas (cells starting with = + - @, tab or CR)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history_csv(report: dict[str, Any]) -> str:
    names = [n for n in COMPONENTS if n in report["components"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "formula", "score", "value", *names, "reconstructed"])
    for row in report["history"]:
        points = [f"{row['components'][n]:.6f}" for n in names]
        cells = [row["date"], row["formula"], row["score"], f"{row['value']:.6f}", *points, str(row["reconstructed"]).lower()]
        writer.writerow([_csv_cell(c) for c in cells])
    return out.getvalue()


def render(
    report: dict[str, Any],
    settings: BadgeSettings = BadgeSettings(),
    *,
    standalone: bool = False,
    png_cache: Path | None = None,
) -> dict[str, bytes]:
    """File name (relative to ``influence/``) → content."""
    svg = score_badge(report, settings)
    card_light = score_card(report, settings, theme="light")
    card_dark = score_card(report, settings, theme="dark")
    summary = {k: v for k, v in report.items() if k != "history"}
    files = {
        "badge.svg": svg.encode("utf-8"),
        "badge.png": badges.to_png(svg, scale=1, cache_dir=png_cache),
        "badge@2x.png": badges.to_png(svg, scale=2, cache_dir=png_cache),
        "card.svg": score_card(report, settings).encode("utf-8"),
        "card-light.svg": card_light.encode("utf-8"),
        "card-dark.svg": card_dark.encode("utf-8"),
        "card.png": badges.to_png(card_light, scale=1, cache_dir=png_cache),
        "og.png": badges.to_png(social_preview(report, settings), scale=badges.OG_SCALE, cache_dir=png_cache),
        "topics.svg": badges.topics_badge(topic_names(report)).encode("utf-8"),
        "shields.json": (json.dumps(shields_endpoint(report, settings), sort_keys=True) + "\n").encode("utf-8"),
        "score.json": to_json(summary).encode("utf-8"),
        "history.json": to_json(report["history"]).encode("utf-8"),
        "history.csv": history_csv(report).encode("utf-8"),
    }
    for style in badges.STYLES:
        files[f"badge-{style}.svg"] = score_badge(report, settings, style).encode("utf-8")
    if standalone:
        from .pages import history_html  # only the standalone bundle needs the page template

        files["index.html"] = history_html(report, alt_text(report, settings), settings).encode("utf-8")
    return files


def render_cached(report: dict[str, Any], settings: BadgeSettings, cache_dir: Path) -> dict[str, bytes]:
    """:func:`render`, kept in ``cache_dir`` under a hash of the report and the settings: the
    build right after ``influence update`` (which renders it) only reads the files back."""
    from .. import __version__

    key_data = json.dumps([__version__, repr(settings), report], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    path = cache_dir / f"bundle-{hashlib.blake2b(key_data.encode('utf-8'), digest_size=16).hexdigest()}.json"
    found = read_cached_json(path)
    if isinstance(found, dict) and found and all(isinstance(v, str) for v in found.values()):
        with contextlib.suppress(ValueError):
            return {name: base64.b64decode(data, validate=True) for name, data in found.items()}
    files = render(report, settings, png_cache=cache_dir)
    encoded = {name: base64.b64encode(data).decode("ascii") for name, data in files.items()}
    write_cache_entry(path, json.dumps(encoded, sort_keys=True).encode("utf-8"))
    return files


def prepare_build(report: dict[str, Any], settings: BadgeSettings, cache_dir: Path, post_titles: Sequence[str] = ()) -> None:
    """Render ahead what ``mkdocs build`` would render cold — the PNGs (with ``post_titles``,
    each post's preview too) and the history page's body — into the plugin's cache
    (``influence update`` calls this), so a CI build that starts with an empty cache right
    after ``influence update`` only reads them back."""
    from .pages import history_body_cached

    render_cached(report, settings, cache_dir)
    titles = list(dict.fromkeys(post_titles))
    for title in titles:
        post_preview_png(report, title, settings, cache_dir)
    _prune_post_previews(report, settings, titles, cache_dir)
    history_body_cached(report, lambda item: "", alt_text(report, settings), cache_dir, settings)
