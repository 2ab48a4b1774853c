"""A post's URL and title exactly as MkDocs and Material's blog plugin compute them.

Material gives a post its URL in ``on_files``, before anything is rendered, from
``Page.title`` as it stands then (front matter ``title``, else a ``# `` heading on the
first non-blank line, else the file name) — while the title the built site shows is
taken after rendering (front matter ``title``, else the rendered first element when it
is an ``<h1>``, as plain text, else the file name). A post that starts with an HTML
comment therefore gets a URL and a title from its file name. Both are reproduced here
with MkDocs' own helpers (``File`` for URLs, ``get_markdown_title``, ``get_heading_text``)
so the ledger, the report and every mention match what the build publishes.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import markdown

    from .site import SiteInfo

#: Extensions MkDocs always loads (its config adds them to ``markdown_extensions``).
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")
_PREDEFINED_DATE_FORMATS = ("full", "long", "medium", "short")
# Definitions a heading may refer to from anywhere in the post: links, abbreviations.
_DEFINITION = re.compile(r"^ {0,3}\*?\[([^\]\n]{1,200})\]:[^\n]*$", re.M)
_BLOCK_LIMIT = 10_000  # characters of a post's opening rendered for its title


@dataclass(frozen=True)
class Identity:
    url: str  # site-relative, as ``page.url`` (``2026/01/02/a-post/``)
    title: str  # plain text, as ``page.title`` in the built site


def page_url(src_path: str, use_directory_urls: bool) -> str:
    """The site-relative URL MkDocs gives the Markdown file ``src_path`` (its ``File.url``)."""
    from mkdocs.structure.files import File

    return File(src_path, "", "", use_directory_urls).url


def file_title(src_path: str) -> str:
    """MkDocs' fallback title: the file's name with ``-``/``_`` as spaces, capitalised if all lower case."""
    from mkdocs.structure.files import File

    title = File(src_path, "", "", True).name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _meta_title(meta: Mapping[str, Any]) -> str | None:
    title = meta.get("title")
    return None if title is None else str(title)


def slug_title(meta: Mapping[str, Any], body: str, src_path: str) -> str:
    """``Page.title`` before rendering: what Material slugifies for a post's URL."""
    from mkdocs.utils import get_markdown_title

    return _meta_title(meta) or get_markdown_title(body) or file_title(src_path)


class TitleRenderer:
    """Renders a post's opening with the site's Markdown extensions, as ``Page.render`` does,
    and takes the title the way MkDocs' title extractor does: the first element, if an ``<h1>``.

    Only the first block is rendered (plus the post's link and abbreviation definitions a
    heading may use), which keeps ``influence update`` fast and free of extensions that
    run programs on diagrams further down."""

    def __init__(self, extensions: Sequence[Any] = MKDOCS_EXTENSIONS, configs: Mapping[str, Any] | None = None) -> None:
        self.extensions = list(extensions)
        self.configs = dict(configs or {})
        self._md: markdown.Markdown | None = None
        self.problem = ""  # set when the site's extensions could not be loaded

    def _markdown(self) -> markdown.Markdown:
        if self._md is None:
            import markdown
            from mkdocs.structure.pages import _ExtractTitleTreeprocessor

            try:
                self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
            except Exception as exc:  # an extension that loads under MkDocs only: titles as plain MkDocs renders them
                self.problem = f"the site's Markdown extensions could not be loaded ({type(exc).__name__}: {exc}); "
                self.problem += "post titles are rendered with MkDocs' defaults"
                self._md = markdown.Markdown(extensions=list(MKDOCS_EXTENSIONS))
            extractor = _ExtractTitleTreeprocessor()
            extractor._register(self._md)
            self._extractor = extractor
        return self._md

    def title(self, body: str) -> str | None:
        """The rendered first heading's plain text, or None when the post does not open with one."""
        opening = _first_block(body)
        low = opening.lower()  # definitions the opening can use: bracketed labels, abbreviated words
        wanted = {*re.findall(r"\[\^?([^\]\n]{1,200})\]", low), *re.findall(r"\w+", low)}
        definitions = "\n".join(m.group(0) for m in _DEFINITION.finditer(body) if m.group(1).lower().lstrip("^") in wanted)
        md = self._markdown()
        md.reset()
        self._extractor.title = None
        md.convert(f"{opening}\n\n{definitions}\n" if definitions else opening)
        # MkDocs keeps entities in its titles (templates unescape them); the ledger holds plain text
        return html.unescape(self._extractor.title) if self._extractor.title else None


def _first_block(body: str) -> str:
    """The post's first Markdown block: from its first non-blank line to the next blank line.
    Only its first two lines can make an ``<h1>`` (ATX or setext), so a huge block is cut there."""
    text = re.sub(r"\A(?:[ \t]*\n)+", "", body.replace("\r\n", "\n").replace("\r", "\n"))
    end = re.search(r"\n[ \t]*\n", text)
    block = text[: end.start()] if end else text
    return block if len(block) <= _BLOCK_LIMIT else "\n".join(block.split("\n", 2)[:2])[:_BLOCK_LIMIT]


def display_title(meta: Mapping[str, Any], body: str, src_path: str, renderer: TitleRenderer) -> str:
    """``Page.title`` after rendering: what the built site (and so the report) shows."""
    return _meta_title(meta) or renderer.title(body) or file_title(src_path)


def url_datetime(value: Any) -> dt.datetime:
    """The created date as Material keeps it: aware datetimes keep their offset, others are UTC."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).replace(tzinfo=dt.timezone.utc)
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def format_url_date(created: dt.datetime, fmt: str, locale: str) -> str:
    """Material's ``_format_date``: a predefined format is a date without time, else a pattern."""
    from babel.dates import format_date, format_datetime

    if fmt in _PREDEFINED_DATE_FORMATS:
        return format_date(created, format=fmt, locale=locale)
    return format_datetime(created, format=fmt, locale=locale)


def _default_slugify(text: str, sep: str) -> str:
    from pymdownx.slugs import slugify

    return slugify(case="lower")(text, sep)


def post_identity(
    site: SiteInfo,
    src_path: str,
    meta: Mapping[str, Any],
    body: str,
    created: dt.datetime,
    renderer: TitleRenderer,
) -> Identity:
    """The URL and title of the post at ``src_path`` (docs-relative) in the built site.

    Without Material's blog plugin the post is an ordinary page and keeps its file URL."""
    title = display_title(meta, body, src_path, renderer)
    b = site.blog
    if not b.material:
        return Identity(page_url(src_path, site.use_directory_urls), title)
    categories = list(dict.fromkeys(c for c in (meta.get("categories") or []) if isinstance(c, str)))
    cat_slug = b.categories_slugify or _default_slugify
    post_slug = b.post_slugify or _default_slugify
    from mkdocs.structure.files import File

    path = b.post_url_format.format(
        categories="/".join(cat_slug(c, b.categories_slugify_separator) for c in categories[: b.post_url_max_categories]),
        date=format_url_date(created, b.post_url_date_format, b.locale),
        file=File(src_path, "", "", True).name,
        slug=str(meta.get("slug") or "") or post_slug(slug_title(meta, body, src_path), b.post_slugify_separator),
    )
    path = posixpath.normpath(path.strip("/"))
    return Identity(page_url(posixpath.join(b.blog_dir, f"{path}.md"), site.use_directory_urls), title)
