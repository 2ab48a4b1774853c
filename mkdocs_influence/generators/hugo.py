"""Hugo: regular pages of the site's main sections under ``contentDir``, URLs as Hugo makes them.

Front matter in YAML, TOML or JSON, keys case-insensitive (``Date`` is ``date``). Posts are
the regular pages (not ``_index.md``, not files inside a page bundle, not headless bundles) of
``params.mainSections``, else of the section with the most pages (Hugo's own default), else
of ``posts_dir``. Drafts, pages whose publish date is in the future and expired pages are not
published unless the config's ``buildDrafts``/``buildFuture``/``buildExpired`` say so.
URLs: ``url``, else the section's ``permalinks`` pattern, else the content path with ``slug``
replacing the file (or bundle) name; lower-cased unless ``disablePathToLower``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..site import SiteInfo, served_path
from ..store.activity import Post, parse_tags
from . import HUGO_CONFIGS, Folders, Skip
from ._common import fill, hugo_urlize, load_config, lower_keys, parse_date, read_text, split, truthy, zone

RULE = "posts need front matter (--- YAML, +++ TOML or { JSON }) with a date (date, publishDate or lastmod)"
CONFIG_NAMES = HUGO_CONFIGS
_EXTS = (".md", ".markdown", ".mdown", ".html", ".htm")
_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
_PUBLISH_KEYS = ("publishdate", "pubdate", "published", "date")
#: taxonomies that list people, not subjects (rOpenSci's ``author = "author"``): never read as tags,
#: so no one's name becomes a topic or is stored (docs/privacy.md)
PEOPLE = frozenset(
    f"{word}{plural}"
    for word in ("author", "contributor", "editor", "translator", "reviewer", "maintainer", "speaker", "guest", "host")
    for plural in ("", "s")
) | {"people", "person"}


def site_config(root: Path) -> dict[str, Any]:
    """The first Hugo config found (root, then ``config/_default``), keys lower-cased at the top."""
    for folder in (root, root / "config" / "_default"):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return lower_keys(load_config(folder / name))
    return {}


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((meta[k] for k in keys if meta.get(k) not in (None, "")), None)


class _Reader:
    def __init__(self, site: SiteInfo, now: dt.datetime) -> None:
        self.site, self.now, self.root = site, now, site.docs_dir
        cfg = site_config(self.root)
        self.content = self.root / str(cfg.get("contentdir") or "content")
        self.lower = not truthy(cfg.get("disablepathtolower"))
        self.ugly = truthy(cfg.get("uglyurls"))
        self.flags = {k: truthy(cfg.get(k)) for k in ("builddrafts", "buildfuture", "buildexpired")}
        self.tz = zone(cfg.get("timezone"))
        perma = cfg.get("permalinks") or {}
        perma = perma.get("page", perma) if isinstance(perma, dict) else {}
        self.permalinks = {str(k).lower(): str(v) for k, v in perma.items() if isinstance(v, str)}
        taxes = cfg.get("taxonomies")
        pairs = taxes.items() if isinstance(taxes, dict) else (("tag", "tags"), ("category", "categories"))
        self.taxonomies = tuple(str(v).lower() for k, v in pairs if not PEOPLE & {str(k).lower(), str(v).lower()})
        params = lower_keys(cfg.get("params") or {}) if isinstance(cfg.get("params"), dict) else {}
        main = params.get("mainsections") or cfg.get("mainsections")
        self.main = [main] if isinstance(main, str) else [str(m) for m in main] if isinstance(main, list) else []
        self.lang = str(cfg.get("languagecode") or cfg.get("defaultcontentlanguage") or "en").split("-")[0]
        self.default_lang = str(cfg.get("defaultcontentlanguage") or "en").lower()
        langs = cfg.get("languages")
        #: content languages, the default first, then as the config lists them: ``index.es.md`` is a translation
        self.langs = list(
            dict.fromkeys([self.default_lang, *(str(k).lower() for k in (langs if isinstance(langs, dict) else ()))])
        )
        base = str(cfg.get("baseurl") or "")
        self.base = site.site_url or (base if urlsplit(base).scheme else "")
        self.notes: list[str] = []

    def _language(self, path: Path) -> tuple[str, str]:
        """(the file's stem without its language, that language or ""): ``index.es.md`` is ``index`` in ``es``."""
        base, dot, lang = path.stem.rpartition(".")
        return (base, lang.lower()) if dot and lang.lower() in self.langs else (path.stem, "")

    def _pages(self) -> list[Path]:
        """Regular content files: not list pages, not resources inside a leaf bundle; a page translated
        by file name (``index.md``, ``index.es.md``) once, in the first content language it has."""
        bundles = {p.parent for p in self.content.rglob("index*") if p.suffix in _EXTS and self._language(p)[0] == "index"}
        chosen: dict[tuple[Path, str], tuple[int, Path]] = {}
        for path in self.content.rglob("*"):
            if path.suffix not in _EXTS or not path.is_file():
                continue
            base, lang = self._language(path)
            if base == "_index":
                continue
            if any(parent in bundles for parent in path.parents) and path.parent not in bundles:
                continue  # a page inside a deeper bundle
            if path.parent in bundles and base != "index":
                continue  # a bundle's resource
            rank = self.langs.index(lang or self.default_lang)
            key = (path.parent, base)
            if key not in chosen or (rank, path) < chosen[key]:
                chosen[key] = (rank, path)
        return sorted(path for _, path in chosen.values())

    def files(self) -> list[Path]:
        from ..errors import ActivityError

        if not self.content.is_dir():
            raise ActivityError(f"no content folder {self.content} (Hugo's contentDir)")
        pages = self._pages()
        if self.site.posts_dir:
            wanted = [self.site.posts_dir.strip("/")]
        elif self.main:
            wanted = self.main
        else:
            counts = Counter(self._section(p) for p in pages if self._section(p))
            wanted = [counts.most_common(1)[0][0]] if counts else []
        return [p for p in pages if self._rel(p).startswith(tuple(w.rstrip("/") + "/" for w in wanted))]

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.content).as_posix()

    def _section(self, path: Path) -> str:
        rel = self._rel(path)
        return rel.split("/", 1)[0] if "/" in rel else ""

    def read(self, path: Path) -> Post | None:
        rel = self._rel(path)
        where = path.relative_to(self.root).as_posix()
        text = read_text(path, where, RULE)
        # Hugo skips blank lines before the front matter (Jekyll and gray-matter do not): rOpenSci has such a file
        meta_raw, body = split(text.lstrip(" \t\r\n"), where, RULE, json_object=True)
        meta = lower_keys(meta_raw)
        build = meta.get("_build") or meta.get("build")
        build = lower_keys(build) if isinstance(build, dict) else {}
        if truthy(meta.get("headless")) or str(build.get("render", "")).lower() in ("never", "false"):
            return None
        if truthy(meta.get("draft")) and not self.flags["builddrafts"]:
            return None
        raw_date = _first(meta, _DATE_KEYS)
        if raw_date is None:
            raise Skip(f"{where}: front matter has no date", RULE)
        date = parse_date(raw_date, f"{where}: date", RULE, self.tz)
        publish = parse_date(_first(meta, _PUBLISH_KEYS) or raw_date, f"{where}: publishDate", RULE, self.tz)
        if publish > self.now and not self.flags["buildfuture"]:
            return None
        expiry = _first(meta, ("expirydate", "unpublishdate"))
        expired = expiry is not None and parse_date(expiry, f"{where}: expiryDate", RULE, self.tz) <= self.now
        if expired and not self.flags["buildexpired"]:
            return None
        tags: list[str] = []
        for tax in self.taxonomies:
            tags += parse_tags(meta.get(tax), f"{where}: {tax}")
        title = str(meta.get("title") or "")
        lang = self._language(path)[1] or self.default_lang
        url = self._url(rel, meta, date, title)
        if lang != self.default_lang and not (isinstance(meta.get("url"), str) and meta["url"].strip()):
            url = f"{lang}/{url}"  # Hugo puts other languages under /<lang>/; a front-matter url stays as written
        return Post(
            source="blog",
            id=where,
            title=title or posixpath.basename(self._name(rel)).replace("-", " "),
            published=date.astimezone(dt.timezone.utc),
            url=_join(self.base, url),
            tags=tuple(dict.fromkeys(tags)),
            lang=str(meta.get("lang") or (self.lang if lang == self.default_lang else lang)),
            text=body,
            path=rel,
            measured=False,
        )

    def _name(self, rel: str) -> str:
        """The file name Hugo uses for a page (without its language): a bundle's is its folder's."""
        stem = posixpath.join(posixpath.dirname(rel), self._language(Path(rel))[0])
        return posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem

    def _url(self, rel: str, meta: dict[str, Any], date: dt.datetime, title: str) -> str:
        if isinstance(meta.get("url"), str) and meta["url"].strip():  # as given; a path without extension is a folder
            path = hugo_urlize(meta["url"], self.lower).lstrip("/")
            return path if path.endswith("/") or posixpath.splitext(path)[1] else path + "/"
        name = self._name(rel)
        slug = str(meta.get("slug") or "").strip()
        section = rel.split("/", 1)[0]
        pattern = self.permalinks.get(section.lower())
        if pattern is None:
            folder = posixpath.dirname(name)
            last = slug or posixpath.basename(name)
            path = posixpath.join(folder, last)
        else:
            filename = posixpath.basename(name)
            path = fill(
                pattern,
                {
                    "year": f"{date.year:04d}",
                    "month": f"{date.month:02d}",
                    "monthname": date.strftime("%B"),
                    "day": f"{date.day:02d}",
                    "weekday": str(date.isoweekday() % 7),
                    "weekdayname": date.strftime("%A"),
                    "yearday": str(date.timetuple().tm_yday),
                    "section": section,
                    "sections": posixpath.dirname(name),
                    "title": hugo_urlize(title, True),
                    "slug": slug or hugo_urlize(title, True),
                    "filename": filename,
                    "slugorfilename": slug or filename,
                },
            )
        path = hugo_urlize(path, self.lower).strip("/")  # a dot in a name is no extension here
        return f"{path}.html" if self.ugly else path + "/"


def _join(base: str, rel: str) -> str:
    """The page's URL under the site's base (its path included), or root-relative without one."""
    if not base:
        return rel
    return base.rstrip("/") + "/" + rel.lstrip("/")


class Hugo:
    name = "hugo"
    aliases: tuple[str, ...] = ()
    markers = (*CONFIG_NAMES, "config/_default/hugo.toml", "config/_default/config.toml", "config/_default/config.yaml")
    pure = False  # future, expired or draft posts depend on the date

    def confirms(self, marker: Path) -> bool:
        """``config.yml``/``config.toml``… are Hugo's older names but common elsewhere: they mark a
        Hugo site when they set ``baseURL`` (as Hugo sites do; rednafi.com's ``config.yml``)."""
        if not marker.name.startswith("config."):
            return True
        return "baseurl" in {str(k).lower() for k in load_config(marker)}

    def reader(self, site: SiteInfo, now: dt.datetime) -> _Reader:
        return _Reader(site, now)

    def folders(self, root: Path) -> Folders:
        cfg = site_config(root)
        static = cfg.get("staticdir") or "static"
        static = static[0] if isinstance(static, list) and static else static  # Hugo merges several; the first wins
        base = cfg.get("baseurl")
        path = served_path(base) if isinstance(base, str) and base.strip() else None  # relURL's prefix, relative baseURL too
        return Folders(root / str(cfg.get("contentdir") or "content"), root / str(static), path)


GENERATOR = Hugo()
