"""``influence init --generator`` + ``influence update`` put the badge and page into Hugo and Jekyll sites,
checked with real ``hugo`` / ``jekyll build`` runs; plus the rules for files we did not write."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, influence, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_influence.errors import ConfigError
from mkdocs_influence.render import placement
from mkdocs_influence.shells.siteinit import init_site

POST = '---\ntitle: "Post {i}"\ndate: 2026-0{i}-10\ntags: [wool, dye]\n{extra}---\n\nPost {i} on natural dyes.\n\n{snippet}\n'
REPORT = {"score": 7, "site_name": "Tiny {% raw %}", "site_url": "https://x.example/", "history": [], "topics": []}


def _posts(folder: str, snippet: str, extra: str = "", name: str = "post-{i}.md") -> dict[str, str]:
    return {f"{folder}/{name.format(i=i)}": POST.format(i=i, extra=extra, snippet=snippet) for i in (1, 2, 3)}


def _activity(root: Path) -> None:
    """Score from the example's activity file: these tests are about placing the badge and page,
    not about reading posts (tests/test_generators_*.py)."""
    shutil.copy(EXAMPLE / "activity.json", root / "activity.json")
    config = root / "influence.yml"
    assert "\nsources:" not in config.read_text("utf-8")  # init leaves the defaults on (HN, Lobsters with site_url)
    config.write_text(config.read_text("utf-8") + "sources:\n  - file: activity.json\n", "utf-8")


def _run(cmd: list[str], root: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": '<html><body><main class="site-theme">{{ block "main" . }}{{ end }}</main></body></html>',
    "layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}',
    "layouts/_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}',
}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (.ci/run installs it)")
def test_hugo_site_gets_shortcode_static_bundle_and_themed_page(tmp_path: Path) -> None:
    files = {"hugo.toml": 'baseURL = "https://hugo.example/blog/"\ntitle = "Tiny Hugo"\n', **HUGO_LAYOUTS}
    root = write_site(tmp_path / "hugo", {**files, **_posts("content/posts", "{{< influence-badge >}}")}).parent
    assert "wrote layouts/shortcodes/influence-badge.html" in influence("init", "--generator", "hugo", cwd=root).stdout
    assert "generator: hugo" in (root / "influence.yml").read_text("utf-8")
    _activity(root)
    influence("update", "--offline", "--as-of", "2026-11-20", cwd=root)  # finds influence.yml without -f
    _run(["hugo"], root)
    post = (root / "public" / "posts" / "post-1" / "index.html").read_text("utf-8")
    badge = '<a class="influence-badge" href="/blog/influence/"><img src="/blog/influence/badge.svg" alt="influence score: '
    assert badge in post
    assert (root / "public" / "influence" / "badge.svg").read_bytes().startswith(b"<svg")
    assert not list((root / ".cache" / "influence").glob("page-*.json"))  # no MkDocs build to prepare for
    page = (root / "public" / "influence" / "index.html").read_text("utf-8")
    assert '<main class="site-theme"><h1>Influence of Tiny Hugo</h1>' in page and '<div class="influence-page">' in page


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
def test_jekyll_site_gets_include_bundle_and_themed_page(tmp_path: Path) -> None:
    layout = '<!doctype html><html><body><main class="site-theme">{{ content }}</main></body></html>'
    page_layout = "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}\n"
    files = {
        "_config.yml": 'title: Tiny Jekyll\nurl: "https://jekyll.example"\nbaseurl: "/blog"\n',
        "_layouts/default.html": layout,
        "_layouts/page.html": page_layout,
        "_layouts/post.html": page_layout,
    }
    posts = _posts("_posts", "{% include influence-badge.html %}", "layout: post\n", "2026-0{i}-10-post-{i}.md")
    root = write_site(tmp_path / "jekyll", {**files, **posts}).parent
    influence("init", "--generator", "jekyll", cwd=root)
    _activity(root)
    influence("update", "--offline", "--as-of", "2026-11-20", cwd=root)
    _run(["jekyll", "build", "--quiet"], root)
    post = (root / "_site" / "2026" / "01" / "10" / "post-1.html").read_text("utf-8")
    assert '<a class="influence-badge" href="/blog/influence/"><img src="/blog/influence/badge.svg"' in post
    assert (root / "_site" / "influence" / "badge.svg").read_bytes().startswith(b"<svg")
    page = (root / "_site" / "influence" / "index.html").read_text("utf-8")
    assert '<main class="site-theme"><h1>Influence of Tiny Jekyll</h1>' in page and '<div class="influence-page">' in page


ELEVENTY = Path(os.environ.get("ELEVENTY_HOME", "/tmp/eleventy-cache")) / "node_modules" / ".bin" / "eleventy"
ELEVENTY_CONFIG = """module.exports = function (eleventyConfig) {
  eleventyConfig.addShortcode("influenceBadge", require("./influence-badge.cjs"));
  eleventyConfig.addPassthroughCopy("influence/{*.svg,*.png,*.csv,score.json,shields.json,history.json}");
};
"""


@pytest.mark.slow
@pytest.mark.skipif(not ELEVENTY.exists(), reason="Eleventy is not installed (.ci/run installs it under ELEVENTY_HOME)")
def test_eleventy_site_gets_shortcode_passthrough_bundle_and_themed_page(tmp_path: Path) -> None:
    files = {
        ".eleventy.js": ELEVENTY_CONFIG,
        "_includes/base.njk": '<html><main class="site-theme"><h1>{{ title }}</h1>{{ content | safe }}</main></html>',
        "influence/influence.json": '{"layout": "base.njk"}',  # the user's own layout for the page (docs/generators/eleventy.md)
    }
    root = write_site(tmp_path / "eleventy", {**files, **_posts("posts", "{% influenceBadge %}", "layout: base.njk\n")}).parent
    influence("init", "--generator", "eleventy", cwd=root)
    _activity(root)
    influence("update", "--offline", "--as-of", "2026-11-20", cwd=root)
    assert "/influence.json" not in (root / "influence" / ".gitignore").read_text("utf-8")  # the user's file stays in git
    _run([str(ELEVENTY), "--quiet"], root)
    post = (root / "_site" / "posts" / "post-1" / "index.html").read_text("utf-8")
    badge = '<a class="influence-badge" href="/influence/"><img eleventy:ignore src="/influence/badge.svg" alt="influence score"'
    assert badge + ' style="width:auto;height:auto;max-width:none;display:inline">' in post  # its own size in any theme
    assert (root / "_site" / "influence" / "badge.svg").read_bytes().startswith(b"<svg")
    page = (root / "_site" / "influence" / "index.html").read_text("utf-8")
    assert '<main class="site-theme"><h1>Influence</h1>' in page and '<div class="influence-page">' in page


@pytest.mark.slow
@pytest.mark.skipif(not ELEVENTY.exists(), reason="Eleventy is not installed (.ci/run installs it under ELEVENTY_HOME)")
def test_eleventy_base_blog_layout_input_folder_and_esm_config_follow_inits_own_instructions(tmp_path: Path) -> None:
    """eleventy-base-blog's shape: an ESM config with ``dir.input: "content"`` and ``"type": "module"``.
    The page must go inside the input folder (else Eleventy never renders it), and the lines
    ``init`` prints, pasted as they are, must build (the passthrough drops the input folder)."""
    config = 'export default function (eleventyConfig) {\n};\nexport const config = { dir: { input: "content" } };\n'
    files = {
        "package.json": '{"name": "blog", "type": "module"}',
        "eleventy.config.js": config,
        "content/_includes/base.njk": '<html><main class="site-theme">{{ content | safe }}</main></html>',
        "content/influence/influence.json": '{"layout": "base.njk"}',
        "content/blog/blog.11tydata.json": '{"tags": ["posts"], "layout": "base.njk"}',
    }
    root = write_site(tmp_path / "base-blog", {**files, **_posts("content/blog", "{% influenceBadge %}")}).parent
    out = influence("init", "--generator", "eleventy", cwd=root).stdout
    lines = out.splitlines()
    start = lines.index("next: add to eleventy.config.js (docs/generators/eleventy.md):")
    imports = [ln.split("   (")[0].strip() for ln in lines[start + 1 :] if ln.strip().startswith("import ")]
    calls = [ln.strip() for ln in lines[start + 1 :] if ln.strip().startswith("eleventyConfig.")]
    assert imports == [
        'import influenceBadge from "./influence-badge.cjs";',
        'import influenceDiscussions from "./influence-discussions.cjs";',
    ]
    assert len(calls) == 3  # two shortcodes and the passthrough copy
    (root / "eleventy.config.js").write_text(
        "\n".join(imports) + "\n" + config.replace("{\n", "{\n" + "\n".join(calls) + "\n", 1), "utf-8"
    )
    _activity(root)
    influence("update", "--offline", "--as-of", "2026-11-20", cwd=root)
    assert (root / "content" / "influence" / "index.md").is_file() and not (root / "influence").exists()
    _run([str(ELEVENTY), "--quiet"], root)
    post = (root / "_site" / "blog" / "post-1" / "index.html").read_text("utf-8")
    assert '<a class="influence-badge" href="/influence/"><img eleventy:ignore src="/influence/badge.svg"' in post
    assert (root / "_site" / "influence" / "badge.svg").read_bytes().startswith(b"<svg")
    assert not (root / "_site" / "influence" / "influence.json").exists()  # the user's data file is not published
    page = (root / "_site" / "influence" / "index.html").read_text("utf-8")
    assert '<main class="site-theme">' in page and '<img eleventy:ignore src="/influence/badge.svg"' in page


@pytest.mark.parametrize(
    ("generator", "files", "bundle", "page"),
    [
        (
            "hugo",
            {"hugo.toml": 'contentDir = "src"\nstaticDir = ["assets", "static"]\n'},
            "assets/influence",
            "src/influence/index.html",
        ),
        ("hugo", {"config/_default/hugo.yaml": "contentdir: words\n"}, "static/influence", "words/influence/index.html"),
        ("jekyll", {"_config.yml": "source: site\n"}, "site/influence", "site/influence/index.md"),
        (
            "eleventy",
            {".eleventy.js": 'module.exports = () => ({ dir: { input: "src", output: "dist" } });'},
            "src/influence",
            "src/influence/index.md",
        ),
        ("eleventy", {".eleventy.js": "module.exports = () => {};"}, "influence", "influence/index.md"),
    ],
)
def test_bundle_and_page_go_where_the_sites_own_config_says(
    tmp_path: Path, generator: str, files: dict[str, str], bundle: str, page: str
) -> None:
    root = write_site(tmp_path / "site", files).parent
    where = placement.targets(generator, root, root)
    assert (Path(where.bundle).resolve(), Path(where.page).resolve()) == ((root / bundle).resolve(), (root / page).resolve())


def test_init_refuses_a_snippet_it_did_not_write_and_is_idempotent(tmp_path: Path) -> None:
    (tmp_path / "_includes").mkdir()
    mine = tmp_path / "_includes" / "influence-badge.html"
    mine.write_text("my own include\n", "utf-8")
    with pytest.raises(ConfigError, match="was not written by influence init"):
        init_site("jekyll", tmp_path)
    assert mine.read_text("utf-8") == "my own include\n"
    mine.unlink()
    assert init_site("jekyll", tmp_path) == [  # influence.yml was kept
        "wrote _includes/influence-badge.html",
        "wrote _includes/influence-discussions.html",
        "wrote .gitignore (influence's caches, not for git)",
        "next: add influence-data, influence.yml to exclude in _config.yml, so Jekyll does not publish them",
    ]
    assert init_site("jekyll", tmp_path) == []


def test_init_refuses_an_influence_yml_for_another_generator(tmp_path: Path) -> None:
    (tmp_path / "influence.yml").write_text("generator: hugo\n", "utf-8")
    with pytest.raises(ConfigError, match="does not say 'generator: eleventy'"):
        init_site("eleventy", tmp_path)


def test_update_refuses_a_page_or_folder_it_did_not_write(tmp_path: Path) -> None:
    files = {"badge.svg": b"<svg/>"}
    page = tmp_path / "influence" / "index.md"
    page.parent.mkdir()
    page.write_text("# my page\n", "utf-8")
    with pytest.raises(ConfigError, match="was not written by influence"):
        placement.write("jekyll", tmp_path, tmp_path, REPORT, files, "alt")
    (tmp_path / "static" / "influence").mkdir(parents=True)
    (tmp_path / "static" / "influence" / "badge.svg").write_text("mine", "utf-8")
    with pytest.raises(ConfigError, match=r"badge\.svg"):
        placement.write("hugo", tmp_path, tmp_path, REPORT, files, "alt")
    assert page.read_text("utf-8") == "# my page\n"


def test_pages_are_deterministic_and_escape_the_template_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mkdocs_influence.render.pages.history_body", lambda *args: "<p>{% endraw %} {{ x }}</p>")
    jekyll = placement.page_text("jekyll", REPORT, "alt")
    assert jekyll.startswith("---\n# generated by influence update") and "layout: page" in jekyll
    assert "{% raw %}\n<p>&#123;% endraw %} {{ x }}</p>\n{% endraw %}" in jekyll
    assert "templateEngineOverride: md" in placement.page_text("eleventy", REPORT, "alt")
    files = {"badge.svg": b"<svg/>", "index.html": b"standalone"}
    assert placement.write("eleventy", tmp_path, tmp_path, REPORT, files, "alt") == 3
    assert not (tmp_path / "influence" / "index.html").exists()  # the page comes from the theme
    assert placement.write("eleventy", tmp_path, tmp_path, REPORT, files, "alt") == 0


def test_init_zensical_on_an_mkdocs_site_enables_the_plugin_and_says_what_to_add(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Z\nplugins:\n  - blog\n", "utf-8")
    done = init_site("zensical", tmp_path)
    assert "  - blog\n  - influence\n" in (tmp_path / "mkdocs.yml").read_text("utf-8")
    assert done[-2].startswith("next: add 'generator: zensical'") and not (tmp_path / "influence.yml").exists()
    assert done[-1].endswith("extra_javascript: [influence/discussions.js]")  # the line under each post (a script)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), title=st.text(max_size=40))
def test_front_matter_keeps_any_name_and_liquid_never_sees_a_title(
    monkeypatch: pytest.MonkeyPatch, name: str, title: str
) -> None:
    monkeypatch.setattr("mkdocs_influence.render.pages.history_body", lambda *args: f"<p>{title}</p>")
    for generator in ("hugo", "jekyll", "eleventy", "zensical"):
        text = placement.page_text(generator, {**REPORT, "site_name": name}, "alt")
        front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        assert front["title"] == (f"Influence of {name}" if name else "Influence")
        assert text == placement.page_text(generator, {**REPORT, "site_name": name}, "alt")  # deterministic
    raw = placement.page_text("jekyll", REPORT, "alt").split("{% raw %}\n", 1)[1]
    assert raw.count("{% endraw") == 1 and raw.rstrip().endswith("{% endraw %}")


@pytest.mark.parametrize(
    ("named", "expected"), [("11ty", "eleventy"), ("eleventy", "eleventy"), ("zensical", "zensical"), ("properdocs", "mkdocs")]
)
def test_a_generator_alias_places_files_like_its_canonical_name(tmp_path: Path, named: str, expected: str) -> None:
    """``generator: 11ty`` in influence.yml is Eleventy for placing the bundle too (it was silently MkDocs)."""
    from types import SimpleNamespace

    from mkdocs_influence.render.placement import generator_of

    site = SimpleNamespace(generator=named, docs_dir=tmp_path, config_dir=tmp_path)
    assert generator_of(site, SimpleNamespace(generator=None)) == expected
    assert (
        generator_of(SimpleNamespace(generator="", docs_dir=tmp_path, config_dir=tmp_path), SimpleNamespace(generator=named))
        == expected
    )


def test_init_without_mkdocs_yml_sets_up_the_generator_it_recognises_or_says_what_to_do(tmp_path: Path) -> None:
    """A Jekyll user's first `influence init` (no flag) sets the site up instead of failing on a missing mkdocs.yml."""
    (tmp_path / "_config.yml").write_text("title: Mine\n", "utf-8")
    out = influence("init", cwd=tmp_path).stdout
    assert "looks like a site built with Jekyll" in out and "wrote _includes/influence-badge.html" in out
    assert "generator: jekyll" in (tmp_path / "influence.yml").read_text("utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = influence("init", cwd=empty, check=False)
    assert proc.returncode == 2 and "--generator hugo|jekyll|eleventy|zensical" in proc.stderr
    assert list(empty.iterdir()) == []


def test_hugo_snippets_read_the_bundle_from_the_sites_own_static_dir(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://h.example/"\nstaticDir = ["assets", "static"]\n', "utf-8")
    init_site("hugo", tmp_path)
    for name in ("influence-badge.html", "influence-discussions.html"):
        text = (tmp_path / "layouts" / "partials" / name).read_text("utf-8")
        assert '"assets/influence/' in text and '"static/influence/' not in text, name
