"""Shapes of real sites that the readers once misread (found by bench/blog_corpus.py on real blogs;
each site here is a small made-up one of the same shape)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import Context
from mkdocs_influence.sources.blog import BlogSource

AS_OF = dt.date(2026, 11, 1)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def _posts(root: Path, generator: str, posts_dir: str = "") -> tuple[list, tuple[str, ...]]:
    site = SiteInfo(docs_dir=root, config_dir=root, generator=generator, posts_dir=posts_dir)
    result = BlogSource().collect(Context(site, AS_OF))
    return sorted(result.activity.posts, key=lambda p: p.id), result.warnings


def test_hugo_people_taxonomies_are_not_tags(tmp_path: Path) -> None:
    """rOpenSci's config declares ``author = "author"`` as a taxonomy: its values are people's names,
    which must never become tags (topics, the ledger, the page)."""
    site = _write(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/"\n[taxonomies]\n  tag = "tags"\n  author = "author"\n'
            '  contributor = "contributors"\n  series = "series"\n',
            "content/blog/a.md": "---\ntitle: A\ndate: 2024-01-02\nauthor: Ada Example\ncontributors: [Bo Example]\n"
            "tags: [R, packages]\nseries: [Peer review]\n---\nText.\n",
        },
    )
    (post,), warnings = _posts(site, "hugo")
    assert post.tags == ("R", "packages", "Peer review") and not warnings
