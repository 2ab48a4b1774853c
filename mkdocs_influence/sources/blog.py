"""The site's own blog posts: the default source, offline, read from the site's files.

A thin source over :mod:`..generators`: the site's generator (``generator:`` in
influence.yml, else detected from its files; an MkDocs config is MkDocs) finds the posts
and gives each the URL the built site gives it (absolute when ``site_url`` is set). A post
that cannot be read is skipped with a warning naming the file and the generator's rule;
skipping more than half of them fails the source (its last good data is kept).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import generators
from ..activity import Activity, Post
from ..errors import ActivityError
from ..generators.mkdocs import read_post as _read_mkdocs
from ..generators.mkdocs import renderer_for, split_front_matter
from ..postid import TitleRenderer
from . import Context, Result

__all__ = ["BlogSource", "read_post", "renderer_for", "split_front_matter"]


def read_post(path: Path, docs_dir: Path, ctx: Context, renderer: TitleRenderer | None = None) -> Post | None:
    """One MkDocs post file as a :class:`Post`; None for drafts."""
    return _read_mkdocs(path, docs_dir, ctx.site, renderer)


def generator_name(ctx: Context) -> str:
    """The configured generator, else the detected one, else MkDocs (posts_dir of Markdown files)."""
    return ctx.site.generator or generators.detect(ctx.site.docs_dir) or "mkdocs"


def _now(as_of: dt.date) -> dt.datetime:
    """When "future" starts: now, or the end of an earlier ``as_of`` day."""
    now = dt.datetime.now(dt.timezone.utc)
    end = dt.datetime.combine(as_of, dt.time.max, tzinfo=dt.timezone.utc)
    return min(now, end)


class BlogSource:
    """This site's posts; engagement comes from other sources."""

    name = "blog"
    complete = True
    network = False

    def collect(self, ctx: Context) -> Result:
        gen = generators.get(generator_name(ctx))
        try:
            reading = generators.read(gen, ctx.site, _now(ctx.as_of))
        except ActivityError as exc:
            raise ActivityError(f"blog: {exc.message}") from None
        warnings = tuple(f"blog: {w}" for w in reading.warnings)
        return Result(Activity(reading.posts), warnings)
