"""MkDocs (and Material's blog plugin, ProperDocs, Zensical): posts in ``docs_dir/<post_dir>``.

Reads ``<post_dir>/**/*.md`` with YAML front matter: ``date`` (a scalar or ``{created,
updated}``), ``title``, ``slug``, ``categories``, ``tags``, ``draft`` (drafts are skipped) and
``lang``. Each post's URL and title are the ones the built site gives it (:mod:`..postid`).
"""

from __future__ import annotations

import datetime as dt
import operator
from pathlib import Path
from typing import Any

from ..errors import ActivityError
from ..postid import TitleRenderer, post_identity, url_datetime
from ..site import SiteInfo
from ..store.activity import Post, parse_datetime, parse_tags
from . import Folders, Skip
from ._common import read_text, split

RULE = "posts need YAML front matter (---) with a date: or date.created"


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body): MkDocs reads YAML only; invalid YAML is an error naming ``where``."""
    return split(text, where, RULE, ("yaml",))


def _created(meta: dict[str, Any], where: str) -> tuple[Any, Any]:
    """(the created date in UTC, the one Material formats into the URL, offset kept)."""
    date = meta.get("date")
    if isinstance(date, dict):
        date = date.get("created")
    if date is None:
        raise ActivityError(f"{where}: front matter has no date (Material needs date or date.created)")
    utc = parse_datetime(date, f"{where}: date")
    return utc, (url_datetime(date) if isinstance(date, dt.date) else utc)


def read_post(path: Path, docs_dir: Path, site: SiteInfo, renderer: TitleRenderer | None = None) -> Post | None:
    """One post file as a :class:`Post`; None for drafts."""
    src = path.relative_to(docs_dir).as_posix()
    meta, body = split_front_matter(read_text(path, src, RULE), src)
    if meta.get("draft") is True:
        return None
    created, url_date = _created(meta, src)
    categories = list(parse_tags(meta.get("categories"), f"{src}: categories"))
    tags = parse_tags(meta.get("tags"), f"{src}: tags")
    merged = tuple(dict.fromkeys([*categories, *tags]))
    renderer = renderer or renderer_for(site)
    ident = post_identity(site, src, meta, body.lstrip("\n"), url_date, renderer)
    return Post(
        source="blog",
        id=src,
        title=ident.title,
        published=created,
        url=site.published(ident.url),
        tags=merged,
        lang=str(meta.get("lang") or "en"),
        text=body,
        path=src,
        measured=False,
    )


def renderer_for(site: SiteInfo) -> TitleRenderer:
    """One Markdown set-up per run, with the site's own extensions."""
    return TitleRenderer(site.markdown_extensions, site.mdx_configs)


_PARTS = operator.attrgetter("parts")


class _Reader:
    def __init__(self, site: SiteInfo) -> None:
        self.site = site
        self.renderer = renderer_for(site)

    @property
    def notes(self) -> tuple[str, ...]:
        return (self.renderer.problem,) if self.renderer.problem else ()

    def files(self) -> list[Path]:
        post_dir = self.site.docs_dir / self.site.blog.post_dir
        if not post_dir.is_dir():
            raise ActivityError(
                f"no posts folder {post_dir} (set the blog plugin's post_dir, or posts_dir in influence.yml, "
                "or remove 'blog' from sources)"
            )
        return sorted(post_dir.rglob("*.md"), key=_PARTS)  # by parts, as paths sort, without their slower comparison

    def read(self, path: Path) -> Post | None:
        try:
            return read_post(path, self.site.docs_dir, self.site, self.renderer)
        except Skip:
            raise
        except ActivityError as exc:
            raise Skip(exc.message, RULE) from None


class MkDocs:
    name = "mkdocs"
    aliases = ("material", "properdocs", "zensical")
    markers = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml", "zensical.toml")
    pure = True  # only draft: true hides a post

    def reader(self, site: SiteInfo, now: dt.datetime) -> _Reader:
        return _Reader(site)

    def folders(self, root: Path) -> Folders:
        """MkDocs' default docs folder (the plugin adds the files itself: placement never asks)."""
        return Folders(root / "docs", root / "docs")


GENERATOR = MkDocs()
