"""The site's own blog posts: the default source, offline, read straight from ``docs_dir``.

Reads Material-blog posts (``<post_dir>/**/*.md``) with their front matter: ``date`` (a
scalar or ``{created, updated}``), ``title``, ``slug``, ``categories``, ``tags``, ``draft``
(drafts are skipped) and ``lang``. Each post's URL and title are the ones the built site
gives it (:mod:`..postid`); the URL is absolute when ``site_url`` is set. A post that
cannot be read is skipped with a warning naming the file; the others still count.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .. import yamlsafe
from ..activity import Activity, Post, parse_datetime, parse_tags
from ..errors import ActivityError, shown
from ..postid import TitleRenderer, post_identity, url_datetime
from ..site import SiteInfo
from . import Context, Result

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body); invalid YAML is an error naming ``where``."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        meta = yamlsafe.load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark is not None else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ActivityError(f"{where}{line}: invalid front matter ({problem})") from None
    if not isinstance(meta, dict):
        raise ActivityError(f"{where}: front matter must be a mapping")
    return meta, text[m.end() :]


def _created(meta: dict[str, Any], where: str) -> tuple[Any, Any]:
    """(the created date in UTC, the one Material formats into the URL, offset kept)."""
    date = meta.get("date")
    if isinstance(date, dict):
        date = date.get("created")
    if date is None:
        raise ActivityError(f"{where}: front matter has no date (Material needs date or date.created)")
    utc = parse_datetime(date, f"{where}: date")
    return utc, (url_datetime(date) if isinstance(date, dt.date) else utc)


def read_post(path: Path, docs_dir: Path, ctx: Context, renderer: TitleRenderer | None = None) -> Post | None:
    """One post file as a :class:`Post`; None for drafts."""
    src = path.relative_to(docs_dir).as_posix()
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ActivityError(f"{src}: cannot read ({exc})") from None
    meta, body = split_front_matter(text, src)
    if meta.get("draft") is True:
        return None
    created, url_date = _created(meta, src)
    categories = list(parse_tags(meta.get("categories"), f"{src}: categories"))
    tags = parse_tags(meta.get("tags"), f"{src}: tags")
    merged = tuple(dict.fromkeys([*categories, *tags]))
    renderer = renderer or renderer_for(ctx.site)
    ident = post_identity(ctx.site, src, meta, body.lstrip("\n"), url_date, renderer)
    return Post(
        source="blog",
        id=src,
        title=ident.title,
        published=created,
        url=ctx.site.published(ident.url),
        tags=merged,
        lang=str(meta.get("lang") or "en"),
        text=body,
        path=src,
        measured=False,
    )


def renderer_for(site: SiteInfo) -> TitleRenderer:
    """One Markdown set-up per run, with the site's own extensions."""
    return TitleRenderer(site.markdown_extensions, site.mdx_configs)


class BlogSource:
    """This site's posts (``docs_dir/<post_dir>``); engagement comes from other sources."""

    name = "blog"
    complete = True
    network = False

    def collect(self, ctx: Context) -> Result:
        docs = ctx.site.docs_dir
        post_dir = docs / ctx.site.blog.post_dir
        if not post_dir.is_dir():
            raise ActivityError(
                f"blog: no posts folder {post_dir} (set the blog plugin's post_dir, or remove 'blog' from sources)"
            )
        posts, warnings = [], []
        renderer = renderer_for(ctx.site)
        for path in sorted(post_dir.rglob("*.md")):
            try:
                post = read_post(path, docs, ctx, renderer)
            except ActivityError as exc:
                warnings.append(f"blog: skipped {exc.message}")
                continue
            except Exception as exc:  # one strange file never costs the other posts
                name = path.relative_to(docs).as_posix()
                warnings.append(f"blog: skipped {name}: unexpected {type(exc).__name__}: {shown(str(exc), quote=False)}")
                continue
            if post is not None:
                posts.append(post)
        if renderer.problem:
            warnings.append(f"blog: {shown(renderer.problem, 300, quote=False)}")
        return Result(Activity(tuple(posts)), tuple(warnings))
