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


def _posts(root: Path, generator: str, files: dict[str, str] | None = None) -> tuple[list, tuple[str, ...]]:
    """(the posts of the site in ``root``, by id; the run's warnings) after writing ``files`` there."""
    site = SiteInfo(docs_dir=_write(root, files or {}), config_dir=root, generator=generator)
    result = BlogSource().collect(Context(site, AS_OF))
    return sorted(result.activity.posts, key=lambda p: p.id), result.warnings


def test_hugo_people_taxonomies_are_not_tags(tmp_path: Path) -> None:
    """rOpenSci's config declares ``author = "author"`` as a taxonomy: its values are people's names,
    which must never become tags (topics, the ledger, the page)."""
    (post,), warnings = _posts(
        tmp_path,
        "hugo",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\n[taxonomies]\n  tag = "tags"\n  author = "author"\n'
            '  contributor = "contributors"\n  series = "series"\n',
            "content/blog/a.md": "---\ntitle: A\ndate: 2024-01-02\nauthor: Ada Example\ncontributors: [Bo Example]\n"
            "tags: [R, packages]\nseries: [Peer review]\n---\nText.\n",
        },
    )
    assert post.tags == ("R", "packages", "Peer review") and not warnings


def test_hugo_translations_by_file_name_are_one_post_each(tmp_path: Path) -> None:
    """rOpenSci translates bundles by file name (``index.es.md``, ``index.en.md``): a bundle with no
    plain ``index.md`` was taken for a folder of resources and lost (28 of its posts); each page is
    read once, in the first content language it has, at the URL ``hugo`` gives it (checked by hand
    against hugo 0.111: other languages under ``/es/``, a front-matter ``url`` as written)."""
    fm = "---\ntitle: {}\ndate: 2024-01-0{}\n{}---\nText.\n"
    posts, warnings = _posts(
        tmp_path,
        "hugo",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
            "[languages]\n  [languages.en]\n  [languages.es]\n  [languages.pt]\n",
            "content/blog/both/index.md": fm.format("Both", 2, ""),
            "content/blog/both/index.es.md": fm.format("Ambos", 2, ""),
            "content/blog/onlyes/index.es.md": fm.format("Solo", 3, ""),
            "content/blog/onlyes/index.pt.md": fm.format("Solo pt", 3, ""),
            "content/blog/onlypt/index.pt.md": fm.format("Ola", 3, "url: /custom/place\n"),
            "content/blog/enfile/index.en.md": fm.format("EnFile", 4, ""),
            "content/blog/flat.md": fm.format("Flat", 5, ""),
            "content/blog/flat.es.md": fm.format("Plano", 5, ""),
            "content/blog/loose.es.md": fm.format("Loose", 6, ""),
            "content/blog/_index.es.md": "---\ntitle: Blog\n---\n",
        },
    )
    assert not warnings
    assert [(p.title, p.url, p.lang) for p in posts] == [
        ("Both", "https://example.org/blog/both/", "en"),
        ("EnFile", "https://example.org/blog/enfile/", "en"),
        ("Flat", "https://example.org/blog/flat/", "en"),
        ("Loose", "https://example.org/es/blog/loose/", "es"),
        ("Solo", "https://example.org/es/blog/onlyes/", "es"),
        ("Ola", "https://example.org/custom/place/", "pt"),
    ]


def test_eleventy_posts_in_a_jekyll_style_posts_folder(tmp_path: Path) -> None:
    """zachleat.com keeps its posts in ``_posts/``, collected by a glob in its JavaScript config and
    tagged ``blog-post`` by ``_posts/_posts.11tydata.js``: no post was found, and nothing said so."""
    (post,), warnings = _posts(
        tmp_path,
        "eleventy",
        {
            "eleventy.config.js": "export default function (eleventyConfig) {}\n",
            "_posts/_posts.11tydata.js": 'export default {\n  tags: ["blog-post"],\n};\n',
            "_posts/2024-01-02-fonts.md": "---\ntitle: Fonts\ntags: font-loading\n---\nText.\n",
            "about.md": "---\ntitle: About\n---\nMe.\n",
        },
    )
    assert post.title == "Fonts" and post.tags == ("blog-post", "font-loading") and not warnings
    (tmp_path / "_posts" / "2024-01-02-fonts.md").rename(tmp_path / "fonts.md")
    posts, warnings = _posts(tmp_path, "eleventy")
    assert not posts and any("no posts found" in w and "posts_dir" in w for w in warnings)


def test_hugo_reads_front_matter_after_blank_lines(tmp_path: Path) -> None:
    """hugo publishes a page whose front matter follows a blank line (one of rOpenSci's posts); it
    was skipped for having no date."""
    posts, warnings = _posts(
        tmp_path,
        "hugo",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\n',
            "content/blog/a.md": "\n\n---\ntitle: After a blank line\ndate: 2024-02-02\nslug: blank\n---\nText.\n",
            "content/blog/b.md": "\n+++\ntitle = 'TOML too'\ndate = 2024-02-03\n+++\nText.\n",
        },
    )
    assert [(p.title, p.url, p.text.strip()) for p in posts] == [
        ("After a blank line", "https://example.org/blog/blank/", "Text."),
        ("TOML too", "https://example.org/blog/b/", "Text."),
    ] and not warnings


def test_eleventy_date_from_a_dated_folder(tmp_path: Path) -> None:
    """zachleat.com has posts as ``_posts/2021-01-30-fluid-images/index.md``: Eleventy dates a page by
    the first YYYY-MM-DD anywhere in its path (checked with Eleventy 3.1: the folder's date wins over
    the file's) and its fileSlug is the folder's name without the date; the reader took the file's
    modification time (the day of the checkout) instead, so a 2021 post counted as new."""
    posts, warnings = _posts(
        tmp_path,
        "eleventy",
        {
            "eleventy.config.js": "export default function (eleventyConfig) {}\n",
            "posts/2021-01-30-fluid-images/index.md": "---\ntitle: Fluid\npermalink: /web/{{ page.fileSlug }}/\n---\nA.\n",
            "posts/2022-03-04-nested/deeper/2023-05-06-post.md": "---\ntitle: Deep\n---\nB.\n",
        },
    )
    assert [(p.title, p.published.date().isoformat(), p.url) for p in posts] == [
        ("Fluid", "2021-01-30", "web/fluid-images/"),
        ("Deep", "2022-03-04", "posts/2022-03-04-nested/deeper/2023-05-06-post/"),
    ] and not warnings


def test_eleventy_a_permalink_function_in_directory_data_is_read(tmp_path: Path) -> None:
    """zachleat.com's ``_posts/_posts.11tydata.js`` computes ``permalink`` with a function that only returns a
    template literal: read from its text, never run (it gave the files' own URLs; tests/test_eleventy_permalink_fn.py)."""
    (post,), warnings = _posts(
        tmp_path,
        "eleventy",
        {
            "eleventy.config.js": "export default function (eleventyConfig) {}\n",
            "_posts/_posts.11tydata.js": "export default {\n  permalink: function({page}) {\n"
            '    return `/web/${ page.fileSlug }/`\n  },\n  tags: ["blog-post"],\n};\n',
            "_posts/2024-01-02-fonts.md": "---\ntitle: Fonts\n---\nText.\n",
        },
    )
    assert post.url == "web/fonts/" and post.tags == ("blog-post",) and not warnings
