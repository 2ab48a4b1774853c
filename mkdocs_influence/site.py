"""What the core needs to know about the site, taken from MkDocs' validated config.

Kept as plain data so sources and renderers never import MkDocs; only
:func:`from_mkdocs` does, and only the CLI and plugin call it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Slugify = Callable[[str, str], str]


def _default_slugify(text: str, sep: str) -> str:
    from pymdownx.slugs import slugify

    return slugify(case="lower")(text, sep)


@dataclass(frozen=True)
class BlogLayout:
    """Material's blog settings that decide where posts live and what their URLs are."""

    blog_dir: str = "blog"
    post_dir: str = "blog/posts"
    post_url_format: str = "{date}/{slug}"
    post_url_date_format: str = "yyyy/MM/dd"
    post_url_max_categories: int = 1
    post_slugify: Slugify | None = None
    post_slugify_separator: str = "-"
    categories_slugify: Slugify | None = None
    categories_slugify_separator: str = "-"
    material: bool = False  # False: plain MkDocs, posts keep their file URLs
    locale: str = "en"


@dataclass(frozen=True)
class SiteInfo:
    docs_dir: Path
    config_dir: Path
    site_name: str = ""
    site_url: str = ""
    use_directory_urls: bool = True
    blog: BlogLayout = field(default_factory=BlogLayout)
    #: mkdocs-redirects' ``redirect_maps`` (old page → new page or URL): old URLs of posts
    redirects: tuple[tuple[str, str], ...] = ()

    def page_url(self, src_path: str) -> str:
        """The site-relative URL MkDocs gives a Markdown file at ``src_path``."""
        stem = src_path[: -len(".md")] if src_path.endswith(".md") else src_path
        if posixpath.basename(stem) in ("index", "README"):
            stem = posixpath.dirname(stem)
            return f"{stem}/" if stem else ""
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def post_url(self, src_path: str, title: str, created: dt.datetime, slug: str, categories: list[str]) -> str:
        """The URL Material's blog plugin gives a post (or the plain file URL without it)."""
        b = self.blog
        if not b.material:
            return self.page_url(src_path)
        from babel.dates import format_datetime

        cat_slug = b.categories_slugify or _default_slugify
        post_slug = b.post_slugify or _default_slugify
        date_fmt = b.post_url_date_format
        path = b.post_url_format.format(
            categories="/".join(cat_slug(c, b.categories_slugify_separator) for c in categories[: b.post_url_max_categories]),
            date=format_datetime(created, format=date_fmt, locale=b.locale),
            file=posixpath.splitext(posixpath.basename(src_path))[0],
            slug=slug or post_slug(title, b.post_slugify_separator),
        )
        path = posixpath.normpath(path.strip("/"))
        return self.page_url(posixpath.join(b.blog_dir, f"{path}.md"))

    def absolute(self, url: str) -> str:
        return (self.site_url.rstrip("/") + "/" + url) if self.site_url else url


def from_mkdocs(config: Any) -> SiteInfo:
    """Build :class:`SiteInfo` from a loaded ``MkDocsConfig``."""
    blog = BlogLayout()
    for name in ("material/blog", "blog"):
        plugin = config.plugins.get(name) if config.plugins else None
        if plugin is not None and hasattr(plugin, "config") and "post_url_format" in plugin.config:
            c = plugin.config
            blog_dir = c.blog_dir
            blog = BlogLayout(
                blog_dir=blog_dir,
                post_dir=c.post_dir.format(blog=blog_dir),
                post_url_format=c.post_url_format,
                post_url_date_format=c.post_url_date_format,
                post_url_max_categories=c.post_url_max_categories,
                post_slugify=c.post_slugify,
                post_slugify_separator=c.post_slugify_separator,
                categories_slugify=c.categories_slugify,
                categories_slugify_separator=c.categories_slugify_separator,
                material=True,
                locale=str((config.theme or {}).get("language", "en") or "en").replace("-", "_"),
            )
            break
    redirects = config.plugins.get("redirects") if config.plugins else None
    maps = getattr(redirects, "config", {}).get("redirect_maps") if redirects is not None else None
    config_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    return SiteInfo(
        docs_dir=Path(config.docs_dir),
        config_dir=config_dir,
        site_name=config.site_name or "",
        site_url=config.site_url or "",
        use_directory_urls=bool(config.use_directory_urls),
        blog=blog,
        redirects=tuple((str(k), str(v)) for k, v in (maps or {}).items() if isinstance(k, str) and isinstance(v, str)),
    )
