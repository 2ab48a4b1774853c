"""Eleventy: Markdown posts in the ``posts`` collection, URLs as Eleventy writes them.

A post is a Markdown file of the input folder (``dir.input`` of the Eleventy config, read
from its text; ``.`` by default) tagged ``posts`` — in its front matter or through a
directory data file (``blog/blog.11tydata.json`` or ``.js``) — else, when no file is tagged so,
a file under a ``posts/``, ``blog/`` or ``_posts/`` folder (or ``posts_dir``). The URL is ``permalink``
(plain paths, ``{{ page.fileSlug }}``, ``{{ title | slugify }}``…; ``false`` = not written; a directory
data function when it only returns a template literal of the page's names; ``post_url`` of influence.yml),
else the file's path (``a/index.md`` and ``a/a.md`` are ``/a/``) — and when a permalink was there but could
not be read, the run says so without -v (``alerts``). Without a ``date``, the first
``YYYY-MM-DD`` in the file's path is the date. ``draft: true`` is not published (Eleventy's base blog).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ActivityError
from ..site import SiteInfo, served_path
from ..store.activity import Post, parse_tags
from ..wording import plural
from . import Folders, Skip
from ._common import blog_post, load_config, parse_date, read_text, split, truthy

RULE = "posts are Markdown files tagged posts, with front matter (--- YAML, ---json, or plain ---js constants)"
CONFIGS = (
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    "eleventy.config.ts",
    ".eleventy.js",
    ".eleventy.cjs",
)
_INPUT = re.compile(r"""\binput\s*:\s*["'`]([^"'`]+)["'`]""")
_PATH_PREFIX = re.compile(r"""\bpathPrefix\s*:\s*["'`]([^"'`]*)["'`]""")
_DATA_TAGS = re.compile(r"""\btags\s*:\s*(\[[^\]]*\]|"[^"]*"|'[^']*')""")
_DATA_PERMALINK = re.compile(r"""\bpermalink\s*:\s*("[^"]*"|'[^']*'|false)""")
_STRING = r"""(`[^`]*`|"[^"\\]*"|'[^'\\]*')"""
#: a permalink function that only returns a string: ``function({page}) { return `…`; }``, an arrow, a method
_FUNCTION = re.compile(
    r"\bpermalink\s*(?::\s*(?:async\s+)?(?:function\b\s*(?:\w+\s*)?)?)?"  # permalink: function name | permalink: | permalink
    r"(?:\(\s*(\{[\w\s,]*\}|\w*)\s*\)|(\w+))\s*"  # its one parameter: {page}, data, or none
    r"(?:=>\s*(?:\{\s*return\s+" + _STRING + r"\s*(?:;\s*)?\}|" + _STRING + r"(?=\s*[,;}]|\s*\Z))"  # an arrow's body ends there
    r"|\{\s*return\s+" + _STRING + r"\s*(?:;\s*)?\})"
)
_EMBED = re.compile(r"\$\{([^}]*)\}")
_URL = re.compile(r"""\burl\s*:\s*["'`](https?://[^"'`]+)["'`]""")
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_PATH_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXPR = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_SKIP_DIRS = {"node_modules", "_site", ".git", "_includes", "_data", "_layouts"}


def _js_value(raw: str) -> Any:
    raw = raw.strip()
    if raw == "false":
        return False
    if raw.startswith("'"):
        raw = json.dumps(raw[1:-1])
    return json.loads(re.sub(r",\s*\]", "]", raw.replace("'", '"')))


@dataclass(frozen=True)
class _Unread:
    """A directory data file's ``permalink`` that could not be read (``where``: the file)."""

    where: str


_EMBEDDED = {"page.fileSlug": "{{ page.fileSlug }}", "page.filePathStem": "{{ page.filePathStem }}"}


def function_permalink(text: str) -> str | None:
    """A JavaScript permalink function's template, as Eleventy's ``permalink`` string, when the function only returns
    a string built from ``page.fileSlug`` and ``page.filePathStem`` (``({page}) => `/web/${page.fileSlug}/```, or with
    ``data.page.…``); None for anything else. Read from the text by pattern: no JavaScript is run."""
    m = _FUNCTION.search(text)
    if not m:
        return None
    param = (m.group(1) or m.group(2) or "").strip()
    literal = next(g for g in m.groups()[2:] if g is not None)
    if param.startswith("{"):  # ({page}) or ({ page, title })
        prefix = "" if "page" in {n.strip() for n in param.strip("{}").split(",")} else None
    else:  # (data): data.page.fileSlug
        prefix = f"{param}." if param else None
    body, pieces, exprs, at = literal[1:-1], [], [], 0
    for embed in _EMBED.finditer(body) if literal[0] == "`" else ():
        expr = "".join(embed.group(1).split())
        if prefix is None or not expr.startswith(prefix) or expr[len(prefix) :] not in _EMBEDDED:
            return None
        pieces.append(body[at : embed.start()])
        exprs.append(_EMBEDDED[expr[len(prefix) :]])
        at = embed.end()
    pieces.append(body[at:])
    if any(c in piece for piece in pieces for c in "\\${}"):  # escapes, or template code of another kind
        return None
    return "".join(p + e for p, e in zip(pieces, [*exprs, ""], strict=True))


def _slugify(text: str) -> str:
    """Eleventy's ``slugify`` filter (@sindresorhus/slugify): lower case, runs of other characters as ``-``."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z\d])([A-Z])", r"\1 \2", text).replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _config_text(root: Path) -> str:
    config = next((root / n for n in CONFIGS if (root / n).is_file()), None)
    return config.read_text("utf-8", errors="replace") if config else ""


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def input_dir(root: Path) -> Path:
    """``dir.input`` of the site's Eleventy config, read from its text (the config is not run)."""
    m = _INPUT.search(_config_text(root))
    return (root / m.group(1)).resolve() if m else root.resolve()


def path_prefix(root: Path) -> str | None:
    """The path root-relative links need, from the config's text: ``/`` with the HTML base plugin
    (it adds ``pathPrefix`` to them itself, a ``--pathprefix`` too), else ``pathPrefix``; None when unsaid."""
    text = _config_text(root)
    if "HtmlBasePlugin" in text:
        return "/"
    m = _PATH_PREFIX.search(text)
    return served_path(m.group(1)) if m else None


class _Reader:
    def __init__(self, site: SiteInfo, now: dt.datetime) -> None:
        self.site, self.now, self.root = site, now, site.docs_dir
        self.input = input_dir(self.root)
        self.base = site.site_url or self._metadata_url()
        self.notes: list[str] = []
        self._data: dict[Path, dict[str, Any]] = {}
        self._fallback: dict[str, list[str]] = {}  # data file whose permalink was not read → its posts' URLs

    @property
    def alerts(self) -> list[str]:
        """What makes post URLs wrong, one line each (shown without -v): a permalink that was not read."""
        return [
            f"{where}: its permalink is JavaScript that influence does not run, so {plural(len(urls), 'post')} "
            f"got the file's own path as URL ({urls[0]}), not the one Eleventy builds: set post_url in influence.yml, "
            f'e.g. post_url: "/blog/{{{{ page.fileSlug }}}}/" (docs/generators/eleventy.md)'
            for where, urls in sorted(self._fallback.items())
        ]

    def _metadata_url(self) -> str:
        for data in (self.root / "_data", self.input / "_data"):
            for path in sorted(data.glob("metadata.*")) if data.is_dir() else ():
                found = load_config(path) if path.suffix == ".json" else {}
                url = found.get("url") or (m.group(1) if (m := _URL.search(path.read_text("utf-8", "replace"))) else "")
                if url:
                    return str(url).rstrip("/")
        return ""

    def _dir_data(self, folder: Path) -> dict[str, Any]:
        """``folder/folder.11tydata.json`` or ``.js`` (tags and permalink read from its text)."""
        if folder not in self._data:
            data: dict[str, Any] = {}
            name = folder.name if folder != self.input else ""
            for path in (folder / f"{name}.11tydata.json", folder / f"{name}.11tydata.js", folder / f"{name}.json"):
                if path.is_file():
                    data = load_config(path) if path.suffix == ".json" else self._js_data(path)
                    break
            self._data[folder] = data
        return self._data[folder]

    def _js_data(self, path: Path) -> dict[str, Any]:
        """``tags`` and ``permalink`` of a JavaScript data file, from its text (never run): plain values, and
        a permalink function that only returns a template literal of ``page.fileSlug``/``page.filePathStem``."""
        text, data = path.read_text("utf-8", "replace"), {}
        for key, rx in (("tags", _DATA_TAGS), ("permalink", _DATA_PERMALINK)):
            m = rx.search(text)
            if m:
                try:
                    data[key] = _js_value(m.group(1))
                    continue
                except json.JSONDecodeError:
                    pass
            elif not re.search(rf"\b{key}\s*[:(]", text):
                continue
            if key == "permalink":  # a function, or a value not plain: its posts' URLs would be wrong
                data[key] = function_permalink(text) or _Unread(_relative(path, self.root))
            else:
                self.notes.append(f"{path.name}: its {key} is not a plain value and was not read")
        return data

    def _cascade(self, path: Path) -> tuple[list[str], Any]:
        tags: list[str] = []
        permalink: Any = None
        for folder in reversed([p for p in path.parents if p == self.input or self.input in p.parents]):
            data = self._dir_data(folder)
            raw = data.get("tags")
            tags += [raw] if isinstance(raw, str) else [str(t) for t in raw or ()]
            permalink = data.get("permalink", permalink)
        return tags, permalink

    def _markdown(self) -> list[Path]:
        files = []
        for path in self.input.rglob("*.md"):
            rel = path.relative_to(self.input).parts
            if not any(p in _SKIP_DIRS or p.startswith(".") for p in rel[:-1]):
                files.append(path)
        return sorted(files)

    def files(self) -> list[Path]:
        if not self.input.is_dir():
            raise ActivityError(f"no Eleventy input folder {self.input}")
        files = self._markdown()
        if self.site.posts_dir:
            return [p for p in files if (self.input / self.site.posts_dir) in p.parents]
        tagged = [p for p in files if "posts" in self._cascade(p)[0] or self._tagged(p)]
        if tagged:
            return tagged
        found = [p for p in files if {"posts", "blog", "_posts"} & set(p.relative_to(self.input).parts[:-1])]
        if not found:  # a collection built by a glob in the config is not read: say how to name it
            self.notes.append(
                "eleventy: no posts found (no Markdown file is tagged posts or in a posts/, blog/ or _posts/ folder): "
                "set posts_dir in influence.yml to the folder your posts are in"
            )
        return found

    def _tagged(self, path: Path) -> bool:
        try:
            meta, _ = split(path.read_text("utf-8-sig", errors="replace"), "", RULE)
        except Skip:
            return False
        tags = meta.get("tags")
        return tags == "posts" or (isinstance(tags, list) and "posts" in tags)

    def read(self, path: Path) -> Post | None:
        where = path.relative_to(self.root).as_posix()
        meta, body = split(read_text(path, where, RULE), where, RULE, ("yaml", "json", "js"))
        if truthy(meta.get("draft")):
            return None
        dir_tags, permalink = self._cascade(path)
        permalink = meta.get("permalink", self.site.post_url or permalink)
        unread = permalink if isinstance(permalink, _Unread) else None
        permalink = None if unread else permalink
        if permalink is False:
            return None
        rel = path.relative_to(self.input).as_posix()
        stem = posixpath.splitext(rel)[0]
        folder, name = posixpath.split(stem)
        own = posixpath.basename(folder) if name == "index" and folder else name  # fileSlug: a folder's index is the folder
        dated = _DATED.match(own)
        slug = dated.group(2) if dated else own
        raw_date = meta.get("date")
        if raw_date is None or (isinstance(raw_date, str) and raw_date.lower().endswith(("modified", "created"))):
            in_path = _PATH_DATE.search(where)  # Eleventy: the first YYYY-MM-DD anywhere in the path (a folder's too)
            raw_date = in_path.group(0) if in_path else dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
        date = parse_date(raw_date, f"{where}: date", RULE)
        title = str(meta.get("title") or slug)
        if permalink is None:
            if name == "index" or name == posixpath.basename(folder):
                url = f"/{folder}/" if folder else "/"
            else:  # the file's own name: a date prefix stays in the URL (only fileSlug drops it)
                url = f"/{posixpath.join(folder, name)}/"
            if unread:
                self._fallback.setdefault(unread.where, []).append(url)
        else:
            url = self._permalink(str(permalink), where, slug, stem, title)
        raw_tags = meta.get("tags")
        tags = [*dir_tags, *parse_tags(raw_tags, f"{where}: tags")]
        return blog_post(
            where=where,
            title=title,
            date=date,
            base=self.base,
            url=url,
            tags=tuple(t for t in dict.fromkeys(tags) if t not in ("posts", "all")),
            lang=str(meta.get("lang") or "en"),
            text=body,
            path=rel,
        )

    def _permalink(self, template: str, where: str, slug: str, stem: str, title: str) -> str:
        values = {
            "page.fileSlug": slug,
            "page.filePathStem": "/" + stem,
            "title | slugify": _slugify(title),
            "title | slug": _slugify(title),
            "page.fileSlug | slugify": _slugify(slug),
        }

        def one(m: re.Match[str]) -> str:
            expr = " ".join(m.group(1).split())
            if expr not in values:
                raise Skip(f"{where}: permalink {template[:80]!r} uses {{{{ {expr} }}}}, which is not read", RULE)
            return values[expr]

        url = _EXPR.sub(one, template)
        if "{%" in url:
            raise Skip(f"{where}: permalink {template[:80]!r} uses template tags, which are not read", RULE)
        url = "/" + url.lstrip("/")
        return url.removesuffix("index.html")


class Eleventy:
    name = "eleventy"
    aliases = ("11ty",)
    markers = CONFIGS
    pure = False  # future, expired or draft posts depend on the date

    def reader(self, site: SiteInfo, now: dt.datetime) -> _Reader:
        return _Reader(site, now)

    def folders(self, root: Path) -> Folders:
        folder = input_dir(root)
        return Folders(folder, folder, path_prefix(root))  # passthrough paths drop the input folder


GENERATOR = Eleventy()
