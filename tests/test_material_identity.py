"""Post identity: every post's URL and title in the ledger are the ones a real Material build gives it.

Blogs of several real shapes are built with Material (``blog_dir`` ``.`` and others,
``use_directory_urls`` on and off, a custom slugifier, headings that are not the first
line, titles with Markdown) and a MkDocs hook records each page's ``url`` and ``title``
as the build produced them; ``influence update`` must have stored the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import influence, mkdocs_build, write_site
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from mkdocs_influence.config import load
from mkdocs_influence.postid import TitleRenderer, file_title
from mkdocs_influence.shells.pipeline import NetSettings, update
from mkdocs_influence.sources import parse_specs
from mkdocs_influence.store import ledger as L

AS_OF = "2024-12-31"

RECORD_HOOK = """\
import json, os
seen = {}

def on_post_page(output, page, config):
    seen[page.file.src_uri] = {"url": page.url, "title": page.title}
    return output

def on_post_build(config):
    path = os.path.join(os.path.dirname(config.config_file_path), "built.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(seen, f, sort_keys=True)
"""

SLUGIFY = """\
def slugify(text, separator):
    return separator.join(w.upper() for w in text.replace("*", "").split()[:3])
"""

POSTS = {
    "a-plain.md": "---\ndate: 2024-01-05\ncategories: [Python Tips]\n---\n\n# A plain post\n\nText.\n",
    # Material titles and slugs this one from its file name: its first line is not the heading
    "2024/20241216-30day-map-challenge.md": (
        "---\ndate: 2024-12-16\n---\n<!-- markdownlint-disable -->\n\n# The 30 day map challenge\n\nMaps.\n"
    ),
    "fusen.md": "---\ndate: 2024-02-01T23:30:00+00:00\n---\n\n# **Building an R package using {fusen}**\n\nR.\n",
    "meta.md": "---\ndate: 2024-03-01\ntitle: Front matter wins\ncategories: [News]\n---\n\n# Heading loses\n",
    "slugged.md": "---\ndate: 2024-03-02\nslug: my-own-slug\n---\n\n# Slug from front matter\n",
    "setext.md": "---\ndate: 2024-03-03\n---\nA setext *title*\n================\n\nBody.\n",
    "Mixed_Case-Name.md": "---\ndate: 2024-03-04\n---\n\nNo heading at all, only text.\n",
    "entities.md": (
        '---\ndate: 2024-03-05\n---\n\n# Using `mkdocs serve` & <kbd>Ctrl</kbd> [the docs][ref] "quoted"\n\n'
        "Text.\n\n[ref]: https://example.org/\n"
    ),
    # Material formats the date with its own offset: 2024/01/02, not the UTC day
    "offset.md": "---\ndate: 2024-01-02T01:00:00+02:00\n---\n\n# Café ☕ déjà vu\n",
}

SHAPES: dict[str, dict[str, Any]] = {
    "blog_dir-dot": {
        "config": "site_url: https://x.example/RSEBlog/\n",
        "blog": {"blog_dir": "."},
        "posts_dir": "docs/posts",
        "extra": {"docs/index.md": "# Blog\n"},
    },
    "blog-no-directory-urls": {
        "config": (
            "use_directory_urls: false\nmarkdown_extensions:\n  - smarty\n  - footnotes\n  - toc:\n      permalink: true\n"
        ),
        "blog": {"blog_dir": "blog", "post_url_format": "'{date}/{categories}/{slug}'", "post_url_date_format": "yyyy/MM"},
        "posts_dir": "docs/blog/posts",
        "extra": {"docs/index.md": "# Home\n", "docs/blog/index.md": "# Blog\n"},
    },
    "custom-slugify": {
        "config": "site_url: https://news.example/\n",
        "theme_extra": "  language: de\n",
        "blog": {
            "blog_dir": "news",
            "post_dir": "'{blog}/articles'",
            "post_slugify": "!!python/name:myslug.slugify",
            "post_slugify_separator": "_",
            "post_url_format": "'{date}/{file}/{slug}'",
            "post_url_date_format": "yyyy/MMMM",
        },
        "posts_dir": "docs/news/articles",
        "extra": {"docs/index.md": "# Home\n", "docs/news/index.md": "# News\n", "myslug.py": SLUGIFY},
    },
}


def _site(root: Path, shape: dict[str, Any], plugin: bool = True) -> Path:
    blog = "".join(f"      {k}: {v}\n" for k, v in shape["blog"].items())
    influence_plugin = "  - influence:\n      sources: [blog]\n" if plugin else ""
    config = (
        f"site_name: Shapes\n{shape['config']}theme:\n  name: material\n{shape.get('theme_extra', '')}"
        f"hooks:\n  - record.py\nplugins:\n  - material/blog:\n{blog}{influence_plugin}"
    )
    files = {"mkdocs.yml": config, "record.py": RECORD_HOOK, **shape["extra"]}
    files.update({f"{shape['posts_dir']}/{name}": text for name, text in POSTS.items()})
    return write_site(root, files)


def _built(root: Path, posts_prefix: str) -> dict[str, dict[str, str]]:
    seen = json.loads((root / "built.json").read_text())
    return {src: v for src, v in seen.items() if src.startswith(posts_prefix)}


@pytest.fixture(scope="module", params=sorted(SHAPES))
def shape_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(request.param)
    config = _site(root, SHAPES[request.param])
    influence("update", "-f", str(config), "--offline", "--as-of", AS_OF, cwd=root)
    mkdocs_build(config)
    return request.param, root


def test_every_post_has_the_url_and_title_the_build_gave_it(shape_site: tuple[str, Path]) -> None:
    name, root = shape_site
    shape = SHAPES[name]
    prefix = shape["posts_dir"].removeprefix("docs/") + "/"
    built = _built(root, prefix)
    assert len(built) == len(POSTS)
    site_url = shape["config"].partition("site_url: ")[2].strip()
    snap = L.snapshot(L.load(root / "influence-data"), dt.date.fromisoformat(AS_OF))
    stored = {p.path: {"url": p.url, "title": p.title} for p in snap.posts}
    expected = {
        src: {"url": (site_url + b["url"]) if site_url else b["url"], "title": html.unescape(b["title"])}
        for src, b in built.items()
    }
    assert stored == expected
    # the shapes the issue met: a heading after a comment, Markdown in a heading
    map_post = expected[f"{prefix}2024/20241216-30day-map-challenge.md"]
    assert map_post["title"] == "20241216 30day map challenge"
    assert expected[f"{prefix}fusen.md"]["title"] == "Building an R package using {fusen}"


def test_score_json_urls_are_the_published_ones(shape_site: tuple[str, Path]) -> None:
    name, root = shape_site
    score = json.loads((root / "site" / "influence" / "score.json").read_text())
    site_url = SHAPES[name]["config"].partition("site_url: ")[2].strip()
    built = {b["url"] for b in _built(root, SHAPES[name]["posts_dir"].removeprefix("docs/") + "/").values()}
    urls = [e["url"] for c in score["components"].values() for e in c.get("evidence", [])]
    urls += [s["url"] for t in score["topics"] for s in t.get("posts", [])]
    assert urls, "no post URL in score.json"
    for url in urls:
        assert url.removeprefix(site_url) in built
        assert url.startswith(site_url or "") and "/./" not in url


def test_a_webmention_of_each_posts_real_url_lands_on_it(
    shape_site: tuple[str, Path], httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, root = shape_site
    monkeypatch.syspath_prepend(str(root))  # the custom slugifier, as `python -m` finds it
    monkeypatch.setenv("WM_TOKEN", "wm-token-123")
    loaded = load(root / "mkdocs.yml")
    prefix = SHAPES[name]["posts_dir"].removeprefix("docs/") + "/"
    built = _built(root, prefix)
    base = loaded.site.site_url or "https://blog.example/"
    children = [
        {"wm-id": 100 + i, "wm-target": base + b["url"], "wm-property": "like-of", "wm-source": f"https://s.example/{i}"}
        for i, b in enumerate(built.values())
    ]
    httpserver.expect_request("/api/mentions.jf2").respond_with_json({"type": "feed", "children": children})
    folder = tmp_path / "data"
    specs = parse_specs(["blog", {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": httpserver.url_for("")}])
    net = NetSettings(wait_budget=5.0, min_wait=0.01, backoff=0.01, cache_dir=tmp_path / "cache")
    result = update(loaded.site, specs, folder, dt.date.fromisoformat(AS_OF), net=net)
    wm = next(o for o in result.outcomes if o.name == "webmentions")
    assert wm.status == "ok", wm.message
    assert not any("not blog posts" in w for w in wm.warnings)
    assert any("site_url is not set" in w for w in wm.warnings) == (not loaded.site.site_url)
    snap = L.snapshot(L.load(folder), dt.date.fromisoformat(AS_OF))
    assert {p.path: dict(p.metrics) for p in snap.posts} == {src: {"likes": 1} for src in built}


def test_posts_are_byte_identical_with_and_without_the_plugin(shape_site: tuple[str, Path], tmp_path: Path) -> None:
    name, root = shape_site
    bare = _site(tmp_path, SHAPES[name], plugin=False)
    mkdocs_build(bare)
    ours = _built(root, "")
    theirs = _built(tmp_path, "")
    assert {k: v for k, v in ours.items() if not k.startswith("influence/")} == theirs
    for page in (p for p in (tmp_path / "site").rglob("*.html")):
        rel = page.relative_to(tmp_path / "site")
        assert (root / "site" / rel).read_bytes() == page.read_bytes(), rel


def test_file_title_and_first_block_rules() -> None:
    assert file_title("posts/Mixed_Case-Name.md") == "Mixed_Case-Name".replace("_", " ").replace("-", " ")
    assert file_title("posts/a-plain.md") == "A plain"
    renderer = TitleRenderer()
    assert renderer.title("<!-- x -->\n\n# Title\n") is None
    assert renderer.title("\n\n# A *b* `c`\ntext\n") == "A b c"
    assert renderer.title("# [x][r]\n\nbody\n\n[r]: https://e.org/\n") == "x"
    assert renderer.title("# A &amp; B\n") == "A & B"
    broken = TitleRenderer(["no_such_markdown_extension"])
    assert broken.title("# A *b*\n") == "A b" and "could not be loaded" in broken.problem


_HEADING_TEXT = st.text(alphabet="ab *_`[]<>&#{}!\\:\"'-é☕", min_size=1, max_size=30)
_LEAD = st.sampled_from(["", "\n\n", "<!-- markdownlint-disable -->\n\n", "Some text first.\n\n", "    code\n\n", "[x]: /y\n"])


@settings(max_examples=150, deadline=None)
@given(lead=_LEAD, text=_HEADING_TEXT, setext=st.booleans(), rest=st.sampled_from(["", "\nbody\n", "\n\n[r]: https://e.org/\n"]))
def test_titles_are_what_mkdocs_renders(lead: str, text: str, setext: bool, rest: str) -> None:
    """Whatever the heading holds and whatever comes first, the title is MkDocs' own ``page.title``
    after rendering (entities unescaped), with the extensions of a typical Material blog."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from mkdocs_influence.postid import display_title

    heading = f"{text}\n{'=' * max(3, len(text))}" if setext else f"# {text}"
    body = f"{lead}{heading}\n{rest}"
    cfg = _mkdocs_config()
    file = File("posts/a-post.md", cfg.docs_dir, cfg.site_dir, True)
    page = Page(None, file, cfg)
    page.markdown, page.meta = body, {}
    ours = display_title({}, body, file.src_uri, _RENDERER)  # never raises, whatever the text
    try:
        page.render(cfg, Files([file]))
    except AssertionError:  # Python's html.parser on "<![" with no name : MkDocs' build fails too
        reject()
    assert ours == html.unescape(page.title)


_RENDERER_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "footnotes", "abbr", "pymdownx.betterem"]
_RENDERER = TitleRenderer(_RENDERER_EXTENSIONS, {"toc": {"permalink": True}})


@functools.lru_cache(maxsize=1)
def _mkdocs_config() -> Any:
    import tempfile

    from mkdocs.config.defaults import MkDocsConfig

    cfg = MkDocsConfig()
    docs = tempfile.mkdtemp(prefix="influence-docs-")
    cfg.load_dict(
        {"site_name": "T", "docs_dir": docs, "markdown_extensions": [*_RENDERER_EXTENSIONS[3:], {"toc": {"permalink": True}}]}
    )
    errors, _ = cfg.validate()
    assert not errors, errors
    return cfg


def test_a_huge_opening_renders_only_what_can_be_the_title() -> None:
    """A hostile post (one 5 MB block, thousands of definitions) costs milliseconds, not its size."""
    import time

    renderer = TitleRenderer()
    renderer.title("# warm up\n")
    body = "# A *title*\n" + "word " * 1_000_000 + "\n\n" + "".join(f"[d{i}]: /x\n" for i in range(50_000))
    start = time.perf_counter()
    assert renderer.title(body) == "A title"
    assert renderer.title("Setext\n===\n" + "x\n" * 500_000) == "Setext"
    assert time.perf_counter() - start < 1.0
