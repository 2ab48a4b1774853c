"""Where each post was discussed, shown under it (#18): by real Hugo, Jekyll and Eleventy builds
through the snippets ``influence init`` writes and the ``discussions.json`` ``influence update``
writes, by a real Material blog's post lists (``post_discussions_index``), and read from the
cached report at build time (never the ledger). Hacker News and Lobsters answers are replayed by
a local server; one Lobsters thread address is hostile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, influence, mkdocs_build, write_site
from pytest_httpserver import HTTPServer

from mkdocs_influence.render import placement

HOSTILE = 'https://lobste.rs/s/abc123?"><script>alert(1)</script>{{ site.title }}{% raw %}'
ESCAPED = "https://lobste.rs/s/abc123?&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{ site.title }}{% raw %}"
HN = '<a href="https://news.ycombinator.com/item?id=41000001">Hacker News</a> (317 points, 152 comments)'
LOBSTERS = f'<a href="{ESCAPED}">Lobsters</a> (41 points, 12 comments)'
LINE = f'<p class="influence-discussions" data-search-exclude="true">Discussed on {HN} · {LOBSTERS}</p>'
SHORT = '<a href="https://news.ycombinator.com/item?id=41000001">Hacker News</a> 317'
POSTS = {
    "onion-skins": ("Dyeing with onion skins", "2026-10-01"),
    "alum": ("Alum", "2026-10-15"),
    "quiet": ("Quiet", "2026-10-20"),  # nobody discussed it
}
ELEVENTY = Path(os.environ.get("ELEVENTY_HOME", "/tmp/eleventy-cache")) / "node_modules" / ".bin" / "eleventy"


def _serve(httpserver: HTTPServer) -> str:
    """Hacker News and Lobsters as recorded; the Lobsters thread of onion-skins has a hostile address and title."""
    lobsters = json.loads((FIXTURES / "lobsters" / "domains_blog.example.json").read_text("utf-8"))
    for story in lobsters:
        if story.get("short_id_url") == "https://lobste.rs/s/abc123":
            story.update(short_id_url=HOSTILE, title="<script>alert(2)</script>")
    hn = json.loads((FIXTURES / "hackernews" / "search_by_date_blog.json").read_text("utf-8"))
    httpserver.expect_request("/search_by_date").respond_with_json(hn)
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(lobsters)
    return httpserver.url_for("/")


def _update(root: Path, generator: str, base: str) -> None:
    """``influence init`` (the snippets), then an update against the local server."""
    influence("init", "--generator", generator, cwd=root)
    (root / "influence.yml").write_text(
        f"generator: {generator}\nsite_name: Dyes\nsite_url: https://blog.example/\nsources:\n  - blog\n"
        f"  - {{hackernews: null, base_url: '{base}'}}\n  - {{lobsters: null, base_url: '{base}'}}\n",
        "utf-8",
    )
    influence("update", "--as-of", "2026-11-22", cwd=root)


def _run(cmd: list[str], root: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _built(tmp_path: Path, httpserver: HTTPServer, generator: str, files: dict[str, str], cmd: list[str], out: str) -> Path:
    """Write the site, update it, build it with ``cmd``; check the posts and the list in ``out``."""
    root = write_site(tmp_path, files).parent
    _update(root, generator, _serve(httpserver))
    _run(cmd, root)
    site = root / out
    posts = site / "blog" / "posts"
    _check(
        *((posts / slug / "index.html").read_text("utf-8") for slug in ("onion-skins", "quiet")),
        (site / "index.html").read_text("utf-8"),
    )
    return root


def _check(post: str, quiet: str, listing: str) -> None:
    assert LINE in post, post
    assert post.index("Text of the post.") < post.index(LINE)  # under the post
    assert "<script>" not in post and "alert(2)" not in post
    assert "influence-discussions" not in quiet
    assert SHORT in listing and listing.count("influence-discussions--short") == 2  # onion-skins and alum, not quiet


def _posts(folder: str, front: str = "", name: str = "{slug}.md") -> dict[str, str]:
    text = "---\ntitle: {title}\ndate: {date}\n{front}---\n\nText of the post.\n"
    return {
        f"{folder}/{name.format(slug=slug, date=date)}": text.format(title=title, date=date, front=front)
        for slug, (title, date) in POSTS.items()
    }


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (.ci/run installs it)")
def test_hugo_posts_show_where_they_were_discussed(tmp_path: Path, httpserver: HTTPServer) -> None:
    files = {
        "hugo.toml": 'baseURL = "https://blog.example/"\ntitle = "Dyes"\n',
        "layouts/_default/baseof.html": '<html><body>{{ block "main" . }}{{ end }}</body></html>',
        "layouts/_default/single.html": (
            '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ partial "influence-discussions.html" . }}{{ end }}'
        ),
        "layouts/_default/list.html": (
            '{{ define "main" }}<ul>{{ range .Site.RegularPages }}<li>{{ .Title }} '
            '{{ partial "influence-discussions.html" (dict "page" . "short" true) }}</li>{{ end }}</ul>{{ end }}'
        ),
        **_posts("content/blog/posts"),
    }
    root = _built(tmp_path, httpserver, "hugo", files, ["hugo"], "public")
    assert "influence-discussions" in (root / "layouts" / "partials" / "influence-discussions.html").read_text("utf-8")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
def test_jekyll_posts_show_where_they_were_discussed(tmp_path: Path, httpserver: HTTPServer) -> None:
    files = {
        "_config.yml": (
            'title: Dyes\nurl: "https://blog.example"\npermalink: /blog/posts/:title/\nexclude: [influence-data, influence.yml]\n'
        ),
        "_layouts/default.html": "<html><body>{{ content }}</body></html>",
        "_layouts/post.html": (
            "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}{% include influence-discussions.html %}\n"
        ),
        "index.html": (
            "---\nlayout: default\n---\n<ul>{% for post in site.posts %}<li>{{ post.title }} "
            "{% include influence-discussions.html post=post short=true %}</li>{% endfor %}</ul>\n"
        ),
        **_posts("_posts", "layout: post\n", "{date}-{slug}.md"),
    }
    root = _built(tmp_path, httpserver, "jekyll", files, ["jekyll", "build", "--quiet"], "_site")
    assert "/discussions.json" in (root / "_data" / "influence" / ".gitignore").read_text("utf-8")


@pytest.mark.slow
@pytest.mark.skipif(not ELEVENTY.exists(), reason="Eleventy is not installed (.ci/run installs it under ELEVENTY_HOME)")
@pytest.mark.parametrize("src", ["", "src/"])
def test_eleventy_posts_show_where_they_were_discussed(tmp_path: Path, httpserver: HTTPServer, src: str) -> None:
    """Keys are ``page.inputPath``, the input folder included (``dir.input``)."""
    files = {
        ".eleventy.js": (
            "module.exports = function (eleventyConfig) {\n"
            '  eleventyConfig.addShortcode("influenceDiscussions", require("./influence-discussions.cjs"));\n'
            + (f'  return {{ dir: {{ input: "{src.rstrip("/")}" }} }};\n' if src else "")
            + "};\n"
        ),
        ".eleventyignore": "influence-data\n",
        f"{src}_includes/post.njk": "<html><h1>{{ title }}</h1>{{ content | safe }}{% influenceDiscussions %}</html>",
        f"{src}index.njk": (
            "<ul>{% for post in collections.posts %}<li>{{ post.data.title }} "
            '{% influenceDiscussions post.inputPath, "short" %}</li>{% endfor %}</ul>'
        ),
        **_posts(f"{src}blog/posts", "tags: posts\nlayout: post.njk\n"),
    }
    _built(tmp_path, httpserver, "eleventy", files, [str(ELEVENTY), "--quiet"], "_site")


def test_generator_data_is_worded_escaped_and_keyed_as_each_generator_names_a_post() -> None:
    place = {"name": "Lobsters", "counts": [["points", 41]], "url": HOSTILE}
    own = {"name": "", "counts": [["comments", 4]], "url": "#__comments"}
    report = {"post_discussions": [{"id": "content/posts/a.md", "path": "posts/a.md", "places": [place, own]}]}
    from mkdocs_influence.render.discussions import generator_data

    hugo = generator_data(report, "hugo")
    assert list(hugo) == ["posts/a.md"] and list(generator_data(report, "eleventy")) == ["content/posts/a.md"]
    assert hugo["posts/a.md"]["html"].endswith(f'<a href="{ESCAPED}">Lobsters</a> (41 points) · 4 comments</p>')
    assert hugo["posts/a.md"]["short"].endswith(f'<a href="{ESCAPED}">Lobsters</a> 41 · 4 comments</p>')
    assert generator_data({"post_discussions": []}, "jekyll") == {} == generator_data({}, "jekyll")


def test_update_writes_discussions_json_where_each_generator_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_influence.render.pages.history_body", lambda *args: "<p>page</p>")
    report = {"score": 7, "site_name": "", "site_url": "", "history": [], "topics": [], "post_discussions": []}
    files = {"badge.svg": b"<svg/>"}
    for generator, where, written in (
        ("hugo", "static/influence", 5),
        ("jekyll", "_data/influence", 5),
        ("eleventy", "influence", 4),
    ):
        root = tmp_path / generator
        assert (
            placement.write_with_data(generator, root, root, report, files, "alt") == written
        )  # stamps, badge, page, discussions.json
        assert placement.write_with_data(generator, root, root, report, files, "alt") == 0  # the same again: nothing
        assert (root / where / "discussions.json").read_text("utf-8") == "{}\n"
        assert "/discussions.json" in (root / where / ".gitignore").read_text("utf-8")
    assert not (tmp_path / "jekyll" / "influence" / "discussions.json").exists()  # Jekyll's is data, not published


# --- Material ---------------------------------------------------------------------------------


def _material_blog(tmp_path: Path, base: str, options: str, more: str = "") -> Path:
    post = "---\ndate: {date}\ncategories: [Dyes]\n---\n# {title}\n\nText of the post.\n\n<!-- more -->\n\nMore.\n"
    files = {
        "mkdocs.yml": (
            "site_name: Dyes\nsite_url: https://blog.example/\ntheme: {name: material}\n"
            "plugins:\n  - blog: {post_url_format: 'posts/{file}'}\n"
            f"  - influence:\n{options}      sources: [blog, {{hackernews: null, base_url: '{base}'}},"
            f" {{lobsters: null, base_url: '{base}'}}{more}]\n"
        ),
        "docs/index.md": "# Home\n",
        "docs/blog/index.md": "# Blog\n",
        **{f"docs/blog/posts/{slug}.md": post.format(date=date, title=title) for slug, (title, date) in POSTS.items()},
    }
    config = write_site(tmp_path, files)
    influence("update", "-f", str(config), "--as-of", "2026-11-22")
    return config


@pytest.mark.slow
def test_material_blog_index_archive_and_category_show_short_counts(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISQUS_API_KEY", "pubkey123")  # the site's own comments: 7 on onion-skins
    base = _serve(httpserver)
    httpserver.expect_request("/threads/list.json").respond_with_json(
        json.loads((FIXTURES / "disqus" / "threads_list.json").read_text("utf-8"))
    )
    config = _material_blog(tmp_path, base, "      post_discussions_index: true\n", f", {{disqus: f, base_url: '{base}'}}")
    mkdocs_build(config)
    site = tmp_path / "site" / "blog"
    lists = {"": "", "archive/2026/": "../../", "category/dyes/": "../../"}
    for page, up in lists.items():
        html = (site / page / "index.html").read_text("utf-8")
        assert html.count("influence-discussions--short") == 2, page  # onion-skins and alum, not quiet
        lobsters = f'<a href="{ESCAPED}">Lobsters</a> 41'
        assert f'{SHORT} · {lobsters} · <a href="{up}posts/onion-skins/#__comments">7 comments</a></p>' in html
        assert "<script>alert" not in html
    post = (site / "posts" / "onion-skins" / "index.html").read_text("utf-8")
    assert "influence-discussions" not in post  # post_discussions stays off: the index option alone
    without = _material_blog(tmp_path / "off", _serve(httpserver), "")
    mkdocs_build(without)
    assert "influence-discussions" not in (tmp_path / "off" / "site" / "blog" / "index.html").read_text("utf-8")


def test_own_comments_link_to_the_post_from_a_list_and_to_the_anchor_under_it() -> None:
    from mkdocs_influence.render.discussions import Place, line_html, short_html

    own = [Place("", (("comments", 4),), "#__comments")]
    assert line_html(own).endswith('Discussed on <a href="#__comments">4 comments</a></p>')
    assert short_html(own, "../posts/a/#__comments").endswith('<a href="../posts/a/#__comments">4 comments</a></p>')
    assert short_html(own).endswith(">4 comments</p>") and short_html([]) == "" == line_html([])
    assert short_html([Place("Hacker News", (("comments", 4),))]).endswith(">Hacker News 4 comments</p>")  # no points given


# --- the plugin reads the report, not the ledger ---------------------------------------------


@pytest.mark.slow
def test_a_build_takes_discussions_from_the_cached_report_not_the_ledger(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``influence update`` a build reads the report it cached; the ledger is never parsed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = _material_blog(tmp_path, _serve(httpserver), "      post_discussions: bottom\n")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the ledger was parsed at build time")

    monkeypatch.setattr("mkdocs_influence.store.ledger.load", refuse)
    monkeypatch.chdir(tmp_path)
    build(load_config(str(config)))
    post = (tmp_path / "site" / "blog" / "posts" / "onion-skins" / "index.html").read_text("utf-8")
    assert LINE in post


def test_the_plugin_generator_option_takes_influence_yml_names() -> None:
    from mkdocs_influence.config import InfluenceConfig

    for given, canonical in (("11ty", "eleventy"), ("properdocs", "mkdocs"), ("zensical", "zensical"), ("hugo", "hugo")):
        cfg = InfluenceConfig()
        cfg.load_dict({"generator": given})
        assert cfg.validate() == ([], []) and cfg["generator"] == canonical
    cfg = InfluenceConfig()
    cfg.load_dict({"generator": "gatsby"})
    (name, error), *_ = cfg.validate()[0]
    assert name == "generator" and "unknown 'gatsby'" in str(error) and "11ty" in str(error)


ZENSICAL_TOML = """[project]
site_name = "Dyes"
site_url = "https://blog.example/"
extra_javascript = ["influence/discussions.js"]

[project.plugins.blog]
post_url_format = "posts/{slug}"
"""


@pytest.mark.slow
def test_zensical_posts_show_where_they_were_discussed_through_the_script(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Zensical runs no plugin and its templates read no data file: update writes discussions.json and
    discussions.js into docs/influence/, the page lists the script, and a real browser shows the line
    at the end of the discussed post only (Chromium, headless, on 127.0.0.1)."""
    import http.server
    import threading
    from functools import partial

    posts = {
        f"docs/blog/posts/{slug}.md": f"---\ndate: {date}\nslug: {slug}\n---\n\n# {title}\n\nText of the post.\n"
        for slug, (title, date) in POSTS.items()
    }
    root = write_site(
        tmp_path, {"zensical.toml": ZENSICAL_TOML, "docs/index.md": "# Dyes\n", "docs/blog/index.md": "# Blog\n", **posts}
    ).parent
    assert "extra_javascript" in influence("init", cwd=root).stdout
    base = _serve(httpserver)
    text = (root / "influence.yml").read_text("utf-8")
    (root / "influence.yml").write_text(
        text + f"sources:\n  - blog\n  - {{hackernews: null, base_url: '{base}'}}\n  - {{lobsters: null, base_url: '{base}'}}\n",
        "utf-8",
    )
    influence("update", "--as-of", "2026-11-22", cwd=root)
    data = json.loads((root / "docs" / "influence" / "discussions.json").read_text("utf-8"))
    assert set(data) == {"blog/posts/onion-skins/", "blog/posts/alum/"} and data["blog/posts/onion-skins/"]["html"] == LINE
    exe = shutil.which("zensical", path=str(Path(__import__("sys").executable).parent)) or "zensical"
    _run([exe, "build"], root)
    site = root / "site"
    assert (site / "influence" / "discussions.js").is_file()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    try:

        def dom(path: str) -> str:
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            cmd += ["--virtual-time-budget=5000", "--dump-dom", f"http://127.0.0.1:{server.server_port}/{path}"]
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout

        post, quiet = dom("blog/posts/onion-skins/"), dom("blog/posts/quiet/")
    finally:
        server.shutdown()
    assert LINE.replace('data-search-exclude="true"', 'data-search-exclude=""') in post or LINE in post, post[-3000:]
    assert post.index("Text of the post.") < post.index("influence-discussions")
    assert "<script>alert" not in post  # the hostile thread address stays text
    assert "influence-discussions" not in quiet.split("</article>")[0]
