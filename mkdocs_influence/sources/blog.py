"""The site's own blog posts: the default source, offline, read straight from ``docs_dir``.

Reads Material-blog posts (``<post_dir>/**/*.md``) with their front matter: ``date`` (a
scalar or ``{created, updated}``), ``title`` (else the first ``#`` heading), ``slug``,
``categories``, ``tags``, ``draft`` (drafts are skipped) and ``lang``. A post that
cannot be read is skipped with a warning naming the file; the others still count.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .. import yamlsafe
from ..activity import Activity, Post, parse_datetime, parse_tags
from ..errors import ActivityError, shown
from . import Context, Result

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


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


def _created(meta: dict[str, Any], where: str) -> Any:
    date = meta.get("date")
    if isinstance(date, dict):
        date = date.get("created")
    if date is None:
        raise ActivityError(f"{where}: front matter has no date (Material needs date or date.created)")
    return parse_datetime(date, f"{where}: date")


def read_post(path: Path, docs_dir: Path, ctx: Context) -> Post | None:
    """One post file as a :class:`Post`; None for drafts."""
    src = path.relative_to(docs_dir).as_posix()
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ActivityError(f"{src}: cannot read ({exc})") from None
    meta, body = split_front_matter(text, src)
    if meta.get("draft") is True:
        return None
    created = _created(meta, src)
    heading = _HEADING.search(body)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else path.stem))
    categories = list(parse_tags(meta.get("categories"), f"{src}: categories"))
    tags = parse_tags(meta.get("tags"), f"{src}: tags")
    merged = tuple(dict.fromkeys([*categories, *tags]))
    slug = str(meta.get("slug") or "")
    url = ctx.site.post_url(src, title, created, slug, categories)
    return Post(
        source="blog",
        id=src,
        title=title,
        published=created,
        url=url,
        tags=merged,
        lang=str(meta.get("lang") or "en"),
        text=body,
        path=src,
        measured=False,
    )


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
        for path in sorted(post_dir.rglob("*.md")):
            try:
                post = read_post(path, docs, ctx)
            except ActivityError as exc:
                warnings.append(f"blog: skipped {exc.message}")
                continue
            except Exception as exc:  # one strange file never costs the other posts
                name = path.relative_to(docs).as_posix()
                warnings.append(f"blog: skipped {name}: unexpected {type(exc).__name__}: {shown(str(exc), quote=False)}")
                continue
            if post is not None:
                posts.append(post)
        return Result(Activity(tuple(posts)), tuple(warnings))
