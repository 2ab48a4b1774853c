"""Every link and image on the history page reaches a file of the built site, however it is served.

Real ``jekyll build``, ``hugo`` and Eleventy runs of small sites, without ``url``/``site_url``,
under a sub-path, and under a theme that sets ``<base href>`` (as hugo-rapid-theme does); and
the standalone ``--bundle`` page. Each internal ``href``/``src`` of the page is resolved as a
browser does (against the ``<base>`` when there is one, else the page's own URL) and must name
a file in the build output. Plus the embed block without an address, and the Hugo page's date.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT, influence, write_site
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_influence.render.links import Addresses

POST = '---\ntitle: "Post {i}"\ndate: 2026-{m:02d}-10\ntags: [wool, dye]\n{extra}---\n\nPost {i} on natural dyes and wool.\n'
AS_OF = "2026-11-20"
ELEVENTY = Path(os.environ.get("ELEVENTY_HOME", "/tmp/eleventy-cache")) / "node_modules" / ".bin" / "eleventy"


def _posts(folder: str, name: str, extra: str = "") -> dict[str, str]:
    """Six posts, two months apart (enough for a topic, so the page links posts in every section)."""
    return {f"{folder}/{name.format(i=i, m=2 * i - 1)}": POST.format(i=i, m=2 * i - 1, extra=extra) for i in range(1, 7)}


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.base: str | None = None
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "base" and self.base is None and a.get("href"):
            self.base = a["href"]
        for key in ("href", "src"):
            if tag in ("a", "img") and a.get(key):
                self.urls.append(str(a[key]))


def broken_links(page: Path, page_url: str, site: str, out: Path) -> tuple[list[str], int]:
    """(the page's internal links that name no file in ``out``, how many internal links there are).
    ``site`` is the address ``out`` is served at (``https://x.github.io/blog/``)."""
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    base = urljoin(page_url, parser.base) if parser.base else page_url
    root, broken, internal = urlsplit(site), [], 0
    for url in parser.urls:
        target = urlsplit(urljoin(base, url))
        if target.netloc != root.netloc:
            continue  # another site (none of the page's own links)
        internal += 1
        path = unquote(target.path)
        if not path.startswith(root.path):
            broken.append(f"{url} -> {path} (outside the site)")
            continue
        file = out / path[len(root.path) :]
        if path.endswith("/"):
            file = file / "index.html"
        if not file.is_file():
            broken.append(f"{url} -> {path}")
    return broken, internal


def post_links(page: Path) -> int:
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return sum("post-" in u for u in parser.urls)


def _run(cmd: list[str], root: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _setup(root: Path, generator: str, site_url: str | None = None) -> None:
    """``influence init`` then an offline update; ``site_url`` replaces what init wrote ('' removes it)."""
    influence("init", "--generator", generator, cwd=root)
    config = root / "influence.yml"
    if site_url is not None:
        lines = [ln for ln in config.read_text("utf-8").splitlines() if not ln.startswith("site_url:")]
        config.write_text("\n".join(lines + ([f"site_url: {site_url}"] if site_url else [])) + "\n", "utf-8")
    influence("update", "--offline", "--as-of", AS_OF, cwd=root)


JEKYLL_LAYOUTS = {
    "_layouts/default.html": "<!doctype html><html><body><main>{{ content }}</main></body></html>",
    "_layouts/page.html": "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}\n",
    "_layouts/post.html": "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}\n",
}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    ("config", "site"),
    [
        ("title: Tiny\n", "http://localhost:4000/"),  # hh54188/jekyll-blog: no url (its _config.yml is ignored)
        ('title: Tiny\nbaseurl: "/blog"\n', "http://localhost:4000/blog/"),  # under a sub-path, still no url
        ('title: Tiny\nurl: "https://x.github.io"\nbaseurl: "/blog"\n', "https://x.github.io/blog/"),
    ],
    ids=["no-url", "baseurl-only", "url-and-baseurl"],
)
def test_jekyll_history_page_links_reach_the_posts(tmp_path: Path, config: str, site: str) -> None:
    files = {"_config.yml": config, **JEKYLL_LAYOUTS, **_posts("_posts", "2026-{m:02d}-10-post-{i}.md", "layout: post\n")}
    root = write_site(tmp_path / "jekyll", files).parent
    _setup(root, "jekyll")
    _run(["jekyll", "build", "--quiet"], root)
    page = root / "_site" / "influence" / "index.html"
    broken, internal = broken_links(page, site + "influence/", site, root / "_site")
    assert broken == [] and internal > 20 and post_links(page) >= 5
    text = page.read_text("utf-8")
    if "\nurl:" not in config:  # no address: a sentence naming Jekyll's key, never a relative "embed code"
        assert "set <code>url</code> in _config.yml" in text and "img.shields.io" not in text
    else:
        assert "https://img.shields.io/endpoint?url=https%3A%2F%2Fx.github.io%2Fblog%2Finfluence%2Fshields.json" in text
    source = (root / "influence" / "index.md").read_text("utf-8")
    assert f"\ndate: {AS_OF}\n" in source  # a page date for themes and sitemaps


HUGO_BASE = {  # hugo-rapid-theme's head: every relative URL resolves against the site's root
    "layouts/_default/baseof.html": '<!doctype html><html><head><base href="{{ .Site.BaseURL }}"></head>'
    '<body><main>{{ block "main" . }}{{ end }}</main></body></html>',
    "layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>'
    '<p class="date">{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}{{ end }}',
    "layouts/_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Site.RegularPages }}'
    '<li class="listed">{{ .Title }}</li>{{ end }}</ul>{{ end }}',
}


def _hugo_site(tmp_path: Path, base_url: str, site_url: str | None) -> Path:
    files = {"hugo.toml": f'baseURL = "{base_url}"\ntitle = "Tiny Hugo"\n', **HUGO_BASE, **_posts("content/posts", "post-{i}.md")}
    root = write_site(tmp_path / "hugo", files).parent
    _setup(root, "hugo", site_url)
    return root


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    ("base_url", "site_url"),
    [("https://x.github.io/blog/", None), ("https://x.github.io/blog/", ""), ("/", "")],
    ids=["sub-path-site-url", "sub-path-baseurl-only", "relative-baseurl"],
)
def test_hugo_history_page_links_reach_the_posts_under_a_base_element(tmp_path: Path, base_url: str, site_url: str) -> None:
    root = _hugo_site(tmp_path, base_url, site_url)
    _run(["hugo", "--quiet"], root)
    page = root / "public" / "influence" / "index.html"
    site = base_url if "://" in base_url else "http://localhost:1313/"
    assert '<base href="' in page.read_text("utf-8")
    broken, internal = broken_links(page, site + "influence/", site, root / "public")
    assert broken == [] and internal > 20 and post_links(page) >= 5
    text = page.read_text("utf-8")
    assert '<p class="date">2026-11-20</p>' in text  # not 0001-01-01
    home = (root / "public" / "index.html").read_text("utf-8")
    assert home.count('class="listed"') == 6 and "Influence" not in home  # kept out of lists (and feeds)
    if base_url == "/":
        assert "set <code>baseURL</code> in the site&#39;s Hugo config" in text and "img.shields.io" not in text
    else:  # the address from baseURL, with or without site_url in influence.yml
        assert "https://x.github.io/blog/influence/badge.svg" in text


@pytest.mark.slow
@pytest.mark.skipif(not ELEVENTY.exists(), reason="Eleventy is not installed (.ci/run installs it under ELEVENTY_HOME)")
def test_eleventy_history_page_links_reach_the_posts(tmp_path: Path) -> None:
    files = {
        ".eleventy.js": 'module.exports = function (c) { c.addPassthroughCopy("influence/{*.svg,*.png,*.csv,*.json}"); };\n',
        "_includes/base.njk": "<!doctype html><html><main>{{ content | safe }}</main></html>",
        "influence/influence.json": '{"layout": "base.njk"}',
        **_posts("posts", "post-{i}.md", "layout: base.njk\n"),
    }
    root = write_site(tmp_path / "eleventy", files).parent
    _setup(root, "eleventy")  # no metadata url, no site_url
    _run([str(ELEVENTY), "--quiet"], root)
    page = root / "_site" / "influence" / "index.html"
    site = "http://localhost:8080/"
    broken, internal = broken_links(page, site + "influence/", site, root / "_site")
    assert broken == [] and internal > 20 and post_links(page) >= 5
    assert "set <code>site_url</code> in influence.yml" in page.read_text("utf-8")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
@pytest.mark.parametrize("site_url", ["", "https://x.example/"], ids=["no-site-url", "site-url"])
def test_standalone_bundle_links_reach_the_posts(tmp_path: Path, site_url: str) -> None:
    """``--bundle DIR`` put at ``<site>/influence/`` (docs/config.md): links relative to the page without an address."""
    posts = _posts("_posts", "2026-{m:02d}-10-post-{i}.md", "layout: post\n")
    root = write_site(tmp_path / "jekyll", {"_config.yml": "title: Tiny\n", **JEKYLL_LAYOUTS, **posts}).parent
    _setup(root, "jekyll", site_url)
    _run(["jekyll", "build", "--quiet"], root)
    out = tmp_path / "out"
    shutil.copytree(root / "_site", out)
    shutil.rmtree(out / "influence")
    influence("update", "--offline", "--as-of", AS_OF, "--bundle", str(out / "influence"), cwd=root)
    page = out / "influence" / "index.html"
    site = site_url or "http://localhost:8000/"
    broken, internal = broken_links(page, site + "influence/", site, out)
    assert broken == [] and internal > 20 and post_links(page) >= 5
    text = page.read_text("utf-8")
    assert ("img.shields.io" in text) == bool(site_url) and ("set <code>site_url</code>" in text) == (not site_url)


SEGMENT = st.text("abcxyz0129-_.", min_size=1, max_size=8).filter(lambda s: s not in (".", ".."))
REL = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join).flatmap(lambda p: st.sampled_from([p, p + "/", p + ".html"]))


@given(rel=REL, sub=st.lists(SEGMENT, max_size=2).map("/".join), absolute=st.booleans(), base=st.booleans())
def test_a_site_path_resolves_to_itself_from_the_page_and_under_a_base_element(
    rel: str, sub: str, absolute: bool, base: bool
) -> None:
    """From ``<root>/influence/`` (and, with the root known, under ``<base href="<root>">``), a post's
    URL as the ledger stores it — absolute, or relative to the site's root — resolves to that post."""
    site = "https://x.example/" + (sub + "/" if sub else "")
    root = urlsplit(site).path
    page = site + "influence/"
    url = site + rel if absolute else rel
    known = Addresses(site_url=site if absolute else "", root=root)
    assert urljoin(site if base else page, known.href(url)) == site + rel
    assert urljoin(page, known.here + "badge.svg") == page + "badge.svg"
    assert urljoin(site if base else page, known.here + "badge.svg") == page + "badge.svg"
    unknown = Addresses()  # MkDocs-like pages and the standalone page: no <base>, links relative to the page
    assert urljoin(page, unknown.href(rel)) == site + rel and unknown.here == ""
    assert Addresses(root=root).href("https://elsewhere.example/a/") == "https://elsewhere.example/a/"


def test_placed_pages_are_dated_by_the_report_and_hugos_stays_out_of_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hugo's date is a UTC instant: never "future" in a site whose ``timeZone`` is behind UTC
    (Hugo would skip the page); the same report writes the same file."""
    from mkdocs_influence.render.placement import page_text

    monkeypatch.setattr("mkdocs_influence.render.pages.history_body", lambda *args: "<p>page</p>")
    report = {"score": 7, "site_name": "T", "site_url": "", "as_of": AS_OF}
    assert f"\ndate: {AS_OF}T00:00:00Z\n_build:\n  list: never\n---\n" in page_text("hugo", report, "alt")
    for generator in ("jekyll", "eleventy"):
        assert f"\ndate: {AS_OF}\n" in page_text(generator, report, "alt")
    assert "date:" not in page_text("zensical", report, "alt")
    assert page_text("hugo", report, "alt") == page_text("hugo", dict(report), "alt")


# --- the page in a real browser under a <base> element (screenshot in test-artifacts/) ---
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hugo") is None or CHROMIUM is None, reason="needs hugo and chromium")
def test_hugo_page_under_a_base_element_loads_every_image_in_a_browser(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    root = _hugo_site(tmp_path, "https://x.github.io/blog/", None)
    serve = tmp_path / "serve"
    handler = functools.partial(_Quiet, directory=str(serve))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/blog/"
    try:  # as `hugo server` or a CI's `hugo --baseURL` does: the same path on another host
        _run(["hugo", "--quiet", "--baseURL", site, "--destination", str(serve / "blog")], root)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 900, "height": 1000})
            page.route("**/*", lambda r: r.abort() if "127.0.0.1" not in r.request.url else r.continue_())
            page.goto(site + "influence/", wait_until="load")
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.src, e.naturalWidth])")
            ARTIFACTS = ROOT / "test-artifacts"
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "history-hugo-base-href.png"))
            hrefs = page.eval_on_selector_all(".influence-page a", "els => els.map(e => e.href)")
            browser.close()
    finally:
        server.shutdown()
    assert len(images) == 2 and all(w > 0 for _, w in images), images
    posts = [h for h in hrefs if "/posts/" in h]
    assert posts and all(h.startswith(site + "posts/post-") for h in posts)


@pytest.mark.slow
def test_zensical_history_page_links_reach_the_posts_without_site_url(tmp_path: Path) -> None:
    """Zensical's theme sets no <base>: links relative to the page, as its own are."""
    import sys

    from conftest import EXAMPLE, mkdocs_env

    exe = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("zensical is not installed")
    root = tmp_path / "site-example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace("  - influence:\n", "  - influence:\n      generator: zensical\n")
    config.write_text("".join(ln for ln in text.splitlines(True) if not ln.startswith("site_url:")), "utf-8")
    influence("update", "--offline", "--as-of", AS_OF, cwd=root)
    proc = subprocess.run([exe, "build"], capture_output=True, text=True, env=mkdocs_env(), cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = root / "site" / "influence" / "index.html"
    site = "http://localhost:8000/"
    broken, internal = broken_links(page, site + "influence/", site, root / "site")
    assert broken == [] and internal > 20
    assert 'href="../blog/' in page.read_text("utf-8") and "set <code>site_url</code> in zensical.toml" in page.read_text("utf-8")
