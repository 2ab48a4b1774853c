"""The site's own blog posts: the default source, offline, read from the site's files.

A thin source over :mod:`..generators`: the site's generator (``generator:`` in
influence.yml, else detected from its files; an MkDocs config is MkDocs) finds the posts
and gives each the URL the built site gives it (absolute when ``site_url`` is set). A post
that cannot be read is skipped with a warning naming the file and the generator's rule;
skipping more than half of them fails the source (its last good data is kept).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from .. import generators
from ..errors import ActivityError
from ..generators.mkdocs import read_post as _read_mkdocs
from ..generators.mkdocs import renderer_for, split_front_matter
from ..postid import TitleRenderer
from ..site import SiteInfo
from ..store.activity import Activity, Post
from . import Context, Result

__all__ = ["BlogSource", "read_post", "renderer_for", "split_front_matter"]


def read_post(path: Path, docs_dir: Path, ctx: Context, renderer: TitleRenderer | None = None) -> Post | None:
    """One MkDocs post file as a :class:`Post`; None for drafts."""
    return _read_mkdocs(path, docs_dir, ctx.site, renderer)


def generator_name(site: SiteInfo) -> str:
    """The configured generator, else the one detected in ``docs_dir`` or beside the config,
    else MkDocs (``posts_dir`` of Markdown files)."""
    return site.generator or generators.detect(site.docs_dir) or generators.detect(site.config_dir) or "mkdocs"


def site_root(site: SiteInfo, gen: generators.Generator) -> SiteInfo:
    """The site as the generator sees it: rooted where its config is (``docs_dir: content``
    beside a ``hugo.toml`` still reads the Hugo site)."""
    if gen.name == "mkdocs":
        return site
    for root in (site.docs_dir, site.config_dir):
        if generators.detect(root) and generators.get(generators.detect(root)) is gen:
            return replace(site, docs_dir=root)
    return site


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
        gen = generators.get(generator_name(ctx.site))
        try:
            reading = generators.read(gen, site_root(ctx.site, gen), _now(ctx.as_of))
        except ActivityError as exc:
            raise ActivityError(f"blog: {exc.message}") from None
        warnings = tuple(f"blog: {w}" for w in reading.warnings)
        return Result(Activity(reading.posts), warnings, tuple(f"blog: {a}" for a in reading.alerts))
