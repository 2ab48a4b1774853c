"""What the core needs to know about the site, taken from MkDocs' validated config.

Kept as plain data so sources and renderers never import MkDocs; only
:func:`from_mkdocs` does, and only the CLI and plugin call it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Slugify = Callable[[str, str], str]


@dataclass(frozen=True)
class BlogLayout:
    """Material's blog settings that decide where posts live and what their URLs are."""

    blog_dir: str = "blog"  # as configured: Material joins it into post URLs ('.' included)
    post_dir: str = "blog/posts"  # normalised, relative to docs_dir: 'posts' for blog_dir '.'
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
    # The site's Markdown setup, to render post titles as the build does (names and options: plain data).
    markdown_extensions: tuple[Any, ...] = ("toc", "tables", "fenced_code")
    mdx_configs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: mkdocs-redirects' ``redirect_maps`` (old page → new page or URL): old URLs of posts
    redirects: tuple[tuple[str, str], ...] = ()
    #: influence.yml's ``generator:`` ("" = detected from the files in ``docs_dir``; see generators/)
    generator: str = ""
    #: influence.yml's ``posts_dir`` when given: narrows where a generator looks for posts
    posts_dir: str = ""
    #: influence.yml's ``post_url`` (Eleventy): the permalink of posts whose front matter names none
    post_url: str = ""

    def published(self, url: str) -> str:
        """The URL as published files give it: absolute under ``site_url`` when it is set,
        else relative to the site's root (what MkDocs calls ``page.url``)."""
        if not self.site_url or url.startswith(("http://", "https://")):
            return url
        return self.site_url.rstrip("/") + "/" + url.lstrip("/")

    def root_path(self) -> str:
        """The path the site is served under (``/blog/`` for ``https://x.org/blog/``; ``/`` without ``site_url``)."""
        return served_path(self.site_url)


def served_path(address: str) -> str:
    """The path a site is served under, ``/`` or ``/blog/``, from its address (``https://x.org/blog``)
    or from a path alone (``/blog``, ``blog/``, ``""``: Jekyll's ``baseurl``, a relative ``baseURL``)."""
    path = urlsplit(address).path.strip("/")
    return f"/{path}/" if path else "/"


def from_mkdocs(config: Any) -> SiteInfo:
    """Build :class:`SiteInfo` from a loaded ``MkDocsConfig``."""
    blog = BlogLayout()
    for name in ("material/blog", "blog"):
        plugin = config.plugins.get(name) if config.plugins else None
        if plugin is not None and hasattr(plugin, "config") and "post_url_format" in plugin.config:
            c = plugin.config
            blog_dir = posixpath.normpath(c.blog_dir)  # Material normalises it too: '.' is the docs root
            blog = BlogLayout(
                blog_dir=c.blog_dir,
                post_dir=posixpath.normpath(c.post_dir.format(blog=blog_dir)),
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
        markdown_extensions=tuple(config.markdown_extensions or ()),
        mdx_configs=dict(config.mdx_configs or {}),
        redirects=tuple((str(k), str(v)) for k, v in (maps or {}).items() if isinstance(k, str) and isinstance(v, str)),
        generator="mkdocs",
    )


def from_zensical(path: Path) -> SiteInfo:
    """Build :class:`SiteInfo` from a ``zensical.toml`` (``[project]``, its blog plugin's settings,
    which keep Material's names and defaults), for sites that have no ``mkdocs.yml``."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]

    from .errors import ConfigError

    try:
        project = tomllib.loads(path.read_text("utf-8-sig")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    if not isinstance(project, dict):
        raise ConfigError(f"{path}: [project] is not a table")
    plugins = project.get("plugins") if isinstance(project.get("plugins"), dict) else {}
    c = plugins.get("blog")
    blog = BlogLayout()
    if isinstance(c, dict):
        blog_dir = str(c.get("blog_dir", "blog"))
        post_dir = str(c.get("post_dir", "{blog}/posts"))
        theme = project.get("theme") if isinstance(project.get("theme"), dict) else {}
        blog = BlogLayout(
            blog_dir=blog_dir,
            post_dir=posixpath.normpath(post_dir.format(blog=posixpath.normpath(blog_dir))),
            post_url_format=str(c.get("post_url_format", BlogLayout.post_url_format)),
            post_url_date_format=str(c.get("post_url_date_format", BlogLayout.post_url_date_format)),
            post_url_max_categories=int(c.get("post_url_max_categories", 1)),
            post_slugify_separator=str(c.get("post_slugify_separator", "-")),
            categories_slugify_separator=str(c.get("categories_slugify_separator", "-")),
            material=True,
            locale=str(theme.get("language", "en") or "en").replace("-", "_"),
        )
    extensions = project.get("markdown_extensions") if isinstance(project.get("markdown_extensions"), dict) else {}
    return SiteInfo(
        docs_dir=path.parent.resolve() / str(project.get("docs_dir", "docs")),
        config_dir=path.parent.resolve(),
        site_name=str(project.get("site_name", "")),
        site_url=str(project.get("site_url", "")),
        use_directory_urls=bool(project.get("use_directory_urls", True)),
        blog=blog,
        markdown_extensions=tuple(extensions) or SiteInfo.markdown_extensions,
        mdx_configs={k: v for k, v in extensions.items() if isinstance(v, dict) and v},
        generator="zensical",
    )
