"""Jekyll: ``_posts/YYYY-MM-DD-title.md`` (and ``<category>/_posts/``), URLs as Jekyll makes them.

The date comes from the file name unless front matter has ``date``; ``published: false``
and future-dated posts (unless ``future: true``) are not published; ``_drafts/`` is not read.
URLs follow ``permalink`` (front matter, else ``_config.yml``; ``date`` by default, or
``pretty``, ``ordinal``, ``weekdate``, ``none`` or a custom ``/:placeholder/`` template),
with ``:categories`` from ``category``/``categories`` and the folders above ``_posts``.
"""

from __future__ import annotations

import datetime as dt
import re
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ActivityError
from ..site import SiteInfo, served_path
from ..store.activity import Post, parse_tags
from . import Folders, Skip
from ._common import blog_post, fill, jekyll_slugify, load_config, parse_date, read_text, split, zone

RULE = "posts are _posts/YYYY-MM-DD-title.md files with YAML front matter (--- … ---)"
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
_EXTS = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".html")


def config_path(root: Path) -> Path | None:
    """The site's YAML config file, as Jekyll looks for it (``_config.yml``, else ``_config.yaml``)."""
    return next((root / n for n in ("_config.yml", "_config.yaml") if (root / n).is_file()), None)


def site_config(root: Path, notes: list[str] | None = None) -> dict[str, Any]:
    """``_config.yml`` as Jekyll reads it: {} when absent, or when it starts with a byte-order mark."""
    path = config_path(root)
    if path and path.read_bytes()[:3] == b"\xef\xbb\xbf":  # Jekyll 4.3 then ignores the whole file
        if notes is not None:
            notes.append(f"{path.name} starts with a byte-order mark, so Jekyll ignores all of it; remove the mark")
        return {}
    return load_config(path) if path else {}


class _Reader:
    def __init__(self, site: SiteInfo, now: dt.datetime) -> None:
        self.site, self.now, self.root = site, now, site.docs_dir
        self.notes: list[str] = []
        cfg = site_config(self.root, self.notes)
        self.source = self.root / str(cfg.get("source") or ".")
        style = str(cfg.get("permalink") or "date")
        collection = (cfg.get("collections") or {}).get("posts") if isinstance(cfg.get("collections"), dict) else None
        if isinstance(collection, dict) and isinstance(collection.get("permalink"), str):
            style = collection["permalink"]
        self.template = STYLES.get(style, style)
        self.defaults = _defaults(cfg.get("defaults"))
        self.future = cfg.get("future") is True
        self.tz = zone(cfg.get("timezone"))
        self.lang = str(cfg.get("lang") or "en")
        base = str(cfg.get("url") or "").rstrip("/") + "/" + str(cfg.get("baseurl") or "").strip("/")
        self.base = site.site_url or (base.rstrip("/") if cfg.get("url") else "")

    def files(self) -> list[Path]:
        if not self.source.is_dir():
            raise ActivityError(f"no Jekyll source folder {self.source}")
        found = []
        for folder in sorted(self.source.rglob("_posts")):
            rel = folder.relative_to(self.source).parts
            if not folder.is_dir() or any(p.startswith((".", "_")) and p != "_posts" for p in rel):
                continue
            if rel[0] in ("node_modules", "vendor", "_site"):
                continue
            found += [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in _EXTS]
        return sorted(found)

    def read(self, path: Path) -> Post | None:
        where = path.relative_to(self.root).as_posix()
        m = _NAME.match(path.name)
        if not m:
            raise Skip(f"{where}: the file name does not start with a date (YYYY-MM-DD-)", RULE)
        meta, body = split(read_text(path, where, RULE), where, RULE, ("yaml",))
        rel_source = path.relative_to(self.source).as_posix()
        meta = {**_applying(self.defaults, rel_source), **meta}
        if meta.get("published") is False:
            return None
        date = parse_date(meta.get("date") or m.group(1), f"{where}: date", RULE, self.tz)
        if date.tzinfo is not None and self.tz is not dt.timezone.utc:
            date = date.astimezone(self.tz)
        if date > self.now and not self.future:
            return None
        rel = path.relative_to(self.source)
        posts_at = rel.parts.index("_posts")
        categories = [*rel.parts[:posts_at]]
        for key in ("categories", "category"):
            raw = meta.get(key)
            categories += raw.split() if isinstance(raw, str) else [str(c) for c in raw or () if c is not None]
        categories = list(dict.fromkeys(categories))
        slug = str(meta.get("slug") or m.group(2))
        tags = parse_tags(meta.get("tags").split() if isinstance(meta.get("tags"), str) else meta.get("tags"), f"{where}: tags")
        url = _url(str(meta.get("permalink") or self.template), date, slug, categories)  # style names: config only
        title = str(meta.get("title") or " ".join(w.capitalize() for w in m.group(2).split("-")))
        return blog_post(
            where=where,
            title=title,
            date=date,
            base=self.base,
            url=url,
            tags=tuple(dict.fromkeys([*categories, *tags])),
            lang=str(meta.get("lang") or self.lang),
            text=body,
            path=rel.as_posix(),
        )


def _defaults(raw: object) -> list[tuple[str, dict]]:
    """``defaults:`` entries that can apply to posts: (scope path, values), least specific first."""
    found = []
    for entry in raw if isinstance(raw, list) else ():
        scope = entry.get("scope") if isinstance(entry, dict) else None
        values = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(values, dict):
            continue
        scope = scope if isinstance(scope, dict) else {}
        if scope.get("type") not in (None, "posts"):
            continue
        found.append((str(scope.get("path") or "").strip("/"), values, scope.get("type") is not None))
    found.sort(key=lambda f: (len(f[0]), f[2]))  # Jekyll: a longer path, then a type, is more specific
    return [(path, values) for path, values, _ in found]


def _applying(defaults: list[tuple[str, dict]], rel: str) -> dict:
    merged: dict = {}
    for path, values in defaults:
        if not path or rel == path or rel.startswith(path + "/") or ("*" in path and fnmatch(rel, path + "*")):
            merged.update(values)
    return merged


def _url(template: str, date: dt.datetime, slug: str, categories: list[str]) -> str:
    """Jekyll's ``URL#to_s`` for a post: placeholders filled, ``//`` collapsed, escaped."""
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "i_month": str(date.month),
        "day": f"{date.day:02d}",
        "i_day": str(date.day),
        "short_year": f"{date.year % 100:02d}",
        "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"),
        "short_day": date.strftime("%a"),
        "long_day": date.strftime("%A"),
        "y_day": f"{date.timetuple().tm_yday:03d}",
        "week": f"{date.isocalendar()[1]:02d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "title": jekyll_slugify(slug, "pretty", cased=True),
        "slug": jekyll_slugify(slug),
        "name": jekyll_slugify(slug),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "slugified_categories": "/".join(dict.fromkeys(jekyll_slugify(c) for c in categories)),
        "output_ext": ".html",
    }
    url = fill(template, values)
    url = re.sub(r"/+", "/", re.sub(r"/\.{1,2}/", "/", "/" + url))
    return quote(url, safe="/:@!$&'()*+,;=~-._")


class Jekyll:
    name = "jekyll"
    aliases: tuple[str, ...] = ()
    markers = ("_config.yml", "_config.yaml")
    pure = False  # future, expired or draft posts depend on the date

    def reader(self, site: SiteInfo, now: dt.datetime) -> _Reader:
        return _Reader(site, now)

    def folders(self, root: Path) -> Folders:
        cfg = site_config(root)
        source = root / str(cfg.get("source") or ".")
        base = cfg.get("baseurl")  # relative_url's prefix (``url`` is only for absolute_url)
        return Folders(source, source, served_path(base) if isinstance(base, str) and base.strip("/ ") else None)


GENERATOR = Jekyll()
