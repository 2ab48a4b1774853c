"""Every post URL the generators/ readers compute equals the one the REAL generator builds.

Each fixture site is copied to a temporary folder with one extra page (a Hugo home layout,
a Jekyll page, an Eleventy template) that lists every post the generator published with its
URL and source file; the site is built with the real ``hugo`` / ``jekyll`` / Eleventy
(installed by .ci/run), the listed output files are checked to exist, and the list is
compared, post by post, with what :func:`generators.read` gives. Nothing uses the network.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import copy_fixture

from mkdocs_influence import generators
from mkdocs_influence.generators.hugo import site_config
from mkdocs_influence.site import SiteInfo

NOW = dt.datetime.now(dt.timezone.utc)
_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
ELEVENTY = Path(os.environ.get("ELEVENTY_HOME") or _CACHE / "mkdocs-influence-eleventy") / "node_modules" / ".bin" / "eleventy"


def _ours(site: Path, generator: str, **kw: str) -> dict[str, str]:
    """source file (relative to the generator's content root) → path of the URL, by our reader."""
    reading = generators.read(generators.get(generator), SiteInfo(site, site, generator=generator, **kw), NOW)
    return {post.path: "/" + unquote(urlsplit(post.url).path).lstrip("/") for post in reading.posts}


def _listed(text: str, strip: str = "") -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            url, source = line.split(" ", 1)
            out[source.strip().removeprefix(strip)] = unquote(urlsplit(url).path)
    return out


def _served(out: Path, url_path: str, base: str = "/") -> Path:
    rel = url_path.removeprefix(base).lstrip("/")
    return out / rel / "index.html" if url_path.endswith("/") else out / rel


# --- Hugo -----------------------------------------------------------------------------------

needs_hugo = pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (.ci/run installs it)")


def _hugo(site: Path) -> dict[str, str]:
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "index.html").write_text("{{ range .Site.RegularPages }}{{ .Permalink }} {{ .File.Path }}\n{{ end }}")
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Title }}")
    subprocess.run(["hugo", "--quiet", "-d", "public"], cwd=site, check=True, capture_output=True)
    return _listed((site / "public" / "index.html").read_text())


@needs_hugo
@pytest.mark.parametrize(("name", "ugly"), [("ssg-hugo-blog", False), ("ssg-hugo-blog", True), ("ssg-hugo-basic", False)])
def test_hugo_urls_equal_hugos_own(tmp_path: Path, name: str, ugly: bool) -> None:
    site = copy_fixture(name, tmp_path)
    if ugly:
        config = next(p for p in site.iterdir() if p.suffix == ".toml")
        config.write_text("uglyURLs = true\n" + config.read_text())
    ours = _ours(site, "hugo")
    built = _hugo(site)
    main = {src: url for src, url in built.items() if src.split("/")[0] in {p.split("/")[0] for p in ours}}
    assert ours == main
    base = urlsplit(str(site_config(site).get("baseurl"))).path
    for url in ours.values():
        assert _served(site / "public", url, base).is_file(), url
    if name == "ssg-hugo-blog":  # drafts, future, expired, headless and the bundle's resource are not posts
        assert sorted(ours) == [
            "posts/bundle/index.md",
            "posts/json-post.md",
            "posts/nested/Deeper.md",
            "posts/title-only.md",
            "posts/toml-capital.md",
            "posts/url-noslash.md",
            "posts/url-post.md",
            "posts/v2.0-notes.md",
            "posts/yaml-slug.md",
        ]


# --- Jekyll ---------------------------------------------------------------------------------

needs_jekyll = pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
_LIST = "---\npermalink: /urls.txt\n---\n{% for p in site.posts %}{{ p.url }} {{ p.relative_path }}\n{% endfor %}"


def _jekyll(site: Path) -> dict[str, str]:
    (site / "urls.txt").write_text(_LIST)
    for post in site.glob("_posts/*.md"):  # Poole uses jekyll-gist's tag, a plugin not installed here
        post.write_text("".join(line for line in post.read_text().splitlines(True) if "{% gist" not in line))
    (site / "_test.yml").write_text("markdown: kramdown\n")
    cmd = ["jekyll", "build", "--safe", "--config", "_config.yml,_test.yml", "-d", "_site"]
    subprocess.run(cmd, cwd=site, check=True, capture_output=True, env={**os.environ, "TZ": "UTC", "JEKYLL_ENV": "production"})
    return _listed((site / "_site" / "urls.txt").read_text())


@needs_jekyll
@pytest.mark.parametrize(
    "permalink",
    ["date", "pretty", "ordinal", "weekdate", "none", "/:categories/:title/", "/blog/:year/:i_month/:slug:output_ext"],
)
def test_jekyll_urls_equal_jekylls_own(tmp_path: Path, permalink: str) -> None:
    site = copy_fixture("ssg-jekyll-blog", tmp_path)
    config = (site / "_config.yml").read_text().replace("permalink: date", f"permalink: {permalink!r}")
    (site / "_config.yml").write_text(config)
    built = _jekyll(site)
    ours = _ours(site, "jekyll")
    assert {src: url.removeprefix("/notes") for src, url in ours.items()} == built
    for url in built.values():
        assert _served(site / "_site", url).is_file(), url
    assert "_posts/notes.md" not in ours and len(ours) == 8


@needs_jekyll
def test_jekyll_poole_dates_from_file_names(tmp_path: Path) -> None:
    site = copy_fixture("ssg-jekyll-poole", tmp_path)
    built = _jekyll(site)
    ours = _ours(site, "jekyll")
    assert ours == built and len(ours) == 3


# --- Eleventy -------------------------------------------------------------------------------

needs_eleventy = pytest.mark.skipif(
    not ELEVENTY.is_file(), reason=f"Eleventy is not installed in {ELEVENTY} (.ci/run installs it)"
)
_ELEVENTY_LIST = (
    "---\npermalink: /urls.txt\neleventyExcludeFromCollections: true\n---\n"
    "{% for p in collections.posts %}{% if p.url %}{{ p.url }} {{ p.inputPath }}\n{% endif %}{% endfor %}"
)


def _eleventy(site: Path, input_dir: str, layouts: tuple[str, ...] = ()) -> dict[str, str]:
    for layout in layouts:  # the base blog's layouts are not part of the fixture: empty ones do
        (site / "_includes" / "layouts").mkdir(parents=True, exist_ok=True)
        (site / "_includes" / "layouts" / layout).write_text("{{ content | safe }}")
    (site / input_dir / "urls.njk").write_text(_ELEVENTY_LIST)
    env = {**os.environ, "ELEVENTY_RUN_MODE": "build"}
    subprocess.run([str(ELEVENTY), "--quiet"], cwd=site, check=True, capture_output=True, env=env)
    return _listed((site / "_site" / "urls.txt").read_text(), f"./{input_dir}/")


@needs_eleventy
def test_eleventy_urls_equal_eleventys_own(tmp_path: Path) -> None:
    site = copy_fixture("ssg-eleventy-blog", tmp_path)
    built = _eleventy(site, "src")
    ours = _ours(site, "eleventy")
    assert ours == built
    for url in built.values():
        assert _served(site / "_site", url).is_file(), url
    assert sorted(ours) == [
        "posts/2024-02-02-dated-name.md",
        "posts/bundled/index.md",
        "posts/custom.md",
        "posts/json-front.md",
        "posts/plain.md",
        "posts/titled.md",
    ]


@needs_eleventy
def test_eleventy_base_blog(tmp_path: Path) -> None:
    site = copy_fixture("ssg-eleventy-base", tmp_path)
    built = _eleventy(site, "content", ("home.njk", "post.njk"))
    ours = _ours(site, "eleventy")
    assert ours == built and len(ours) == 4  # the fifth post is a draft in JavaScript front matter
