"""The plugin in real ``mkdocs build``/``mkdocs serve`` runs of a Material blog.

- ``post_badge`` never changes a post's title, excerpt or search entry: every page built
  with the plugin equals the page built without it once the badge is taken out;
- a fresh clone with no data folder builds (one warning) and serves, writing nothing there;
- the history page's heading shows a hostile ``site_name`` as text;
- a broken ``.cache/influence`` (a file, under a file, corrupt entries) never breaks a build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from conftest import influence, mkdocs_build, mkdocs_env, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

AS_OF = "2026-11-20"
CONFIG = """site_name: {site_name}
site_url: https://ink.example/
theme: {{name: material}}
plugins:
{influence}
  - search
  - blog
markdown_extensions:
  - attr_list
  - footnotes
  - toc: {{permalink: true}}
"""


def _post(day: int, body: str, extra: str = "") -> str:
    return f"---\ndate: 2026-{(day % 11) + 1:02d}-{day:02d}\ncategories: [Weaving]\ntags: [rugs, wool]\n{extra}---\n\n{body}"


# Every way a post's title reaches MkDocs and Material: a first `#` heading (with Markdown in it),
# an HTML comment before the heading, `title:` in front matter, a setext heading, a link
# reference before the heading, closing hashes, no heading at all; with and without `<!-- more -->`.
POSTS = {
    # 250 words: one image more (a badge counted as content) would make Material's read time 2 min
    "atx.md": _post(3, "# Weaving *by hand*: a year in 12 rugs\n\nFirst rug.\n\n<!-- more -->\n\n" + "warp " * 245 + "\n"),
    "comment-first.md": _post(5, "<!-- markdownlint-disable -->\n# The comment comes first\n\nText.\n\n<!-- more -->\n\nMore.\n"),
    "meta-title.md": _post(7, "Warp and weft, no heading.\n\n<!-- more -->\n\nMore.\n", "title: Set in front matter\n"),
    "setext.md": _post(9, "Setext heading, underlined\n==========================\n\nBody.\n\n<!-- more -->\n\nEnd.\n"),
    "no-separator.md": _post(11, "# No separator here\n\nThe whole post is its excerpt.[^1]\n\n[^1]: A footnote.\n"),
    "refdef.md": _post(13, "[site]: https://ink.example/\n\n# Reference first\n\nSee [site].\n\n<!-- more -->\n\nx\n"),
    "closing.md": _post(15, "# Closing hashes ##\n\n## A section\n\nText.\n\n<!-- more -->\n\ny\n"),
    "only-sections.md": _post(17, "## Starts with a section\n\nNo title heading.\n\n<!-- more -->\n\nz\n"),
}


def _site(root: Path, plugin: str = "", site_name: str = "Ink & Thread") -> Path:
    files = {f"docs/blog/posts/{name}": text for name, text in POSTS.items()}
    files["docs/index.md"] = "# Home\n\nA weaving studio.\n"
    files["docs/blog/index.md"] = "# Blog\n"
    files["mkdocs.yml"] = CONFIG.format(site_name=json.dumps(site_name), influence=plugin)
    return write_site(root, files)


def _influence(**options: str) -> str:
    """The plugin's entry, listed before search and blog: its hooks must not depend on the order."""
    return "  - influence:\n" + "".join(f"      {k}: {v}\n" for k, v in options.items())


def _html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


def _search(site: Path) -> list[dict[str, str]]:
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    return [d for d in docs if not d["location"].startswith("influence/")]


def _titles(pages: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, page in pages.items():
        out[f"<title> {name}"] = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
    for i, title in enumerate(re.findall(r'<h2 id="[^"]*"><a class="toclink" href="[^"]*">(.*?)</a>', pages["blog/index.html"])):
        out[f"blog index #{i}"] = title
    return out


BADGE = re.compile(r'<p class="influence-post-badge"><a href="[^"]*"><img alt="[^"]*" src="[^"]*badge\.svg"></a></p>')


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = _site(tmp_path_factory.mktemp("plain"))
    mkdocs_build(config)
    return config.parent / "site"


@pytest.mark.parametrize("mode", ["top", "bottom"])
def test_post_badge_keeps_titles_excerpts_and_search(plain: Path, tmp_path: Path, mode: str) -> None:
    config = _site(tmp_path, _influence(post_badge=mode))
    influence("update", "-f", str(config), "--offline", "--as-of", AS_OF)
    mkdocs_build(config)
    ours = config.parent / "site"
    before, after = _html_pages(plain), _html_pages(ours)
    after = {k: v for k, v in after.items() if not k.startswith("influence/")}
    assert before.keys() == after.keys()
    # every <title>, every post title on the blog index and in the search index: identical
    assert _titles(before) == _titles(after)
    assert len([k for k in _titles(before) if k.startswith("<title> blog/2026/")]) == len(POSTS)
    assert [(d["location"], d["title"]) for d in _search(plain)] == [(d["location"], d["title"]) for d in _search(ours)]
    assert _search(plain) == _search(ours)  # the search text too: the badge is excluded from it
    # every page (blog index with its excerpts, archive, categories, posts) is the page built
    # without the plugin, once the one badge on each post is taken out
    for name, page in after.items():
        badges = BADGE.findall(page)
        assert len(badges) == (1 if name.startswith("blog/2026/") else 0), name
        squash = " ".join(BADGE.sub("", page).split())
        assert squash == " ".join(before[name].split()), name
    # and the badge is where the option says
    article = after["blog/2026/04/03/weaving-by-hand-a-year-in-12-rugs/index.html"]
    if mode == "top":
        assert re.search(r"a year in 12 rugs<a class=\"headerlink\"[^>]*>[^<]*</a></h1>\s*" + BADGE.pattern, article)
        setext = after["blog/2026/10/09/setext/index.html"]
        assert re.search(r"underlined<a class=\"headerlink\"[^>]*>[^<]*</a></h1>\s*" + BADGE.pattern, setext)
    else:
        assert re.search(BADGE.pattern + r"\s*</article>", article)
        footnoted = after["blog/2026/01/11/no-separator-here/index.html"]
        assert re.search(BADGE.pattern + r'\s*<div class="footnote">', footnoted)


def _one_warning(stderr: str, folder: Path) -> None:
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, stderr
    assert f"influence: no data folder yet at {folder};" in warnings[0]
    assert "run `influence update` and commit the folder" in warnings[0]


def test_fresh_clone_without_data_folder_builds_with_one_warning(tmp_path: Path) -> None:
    config = _site(tmp_path, _influence(post_badge="top", as_of=AS_OF))
    folder = tmp_path / "influence-data"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        capture_output=True,
        text=True,
        env=mkdocs_env(),
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    _one_warning(proc.stderr, folder)
    assert not folder.exists()  # nothing written to the data folder
    site = tmp_path / "site"
    score = json.loads((site / "influence" / "score.json").read_text())
    assert score["posts"] == len(POSTS) and score["as_of"] == AS_OF
    assert f">{score['score']}</strong>" in (site / "influence" / "index.html").read_text()
    assert BADGE.search((site / "blog/2026/04/03/weaving-by-hand-a-year-in-12-rugs/index.html").read_text())
    # the same numbers `influence update --offline` and a build from the data folder give
    influence("update", "-f", str(config), "--offline", "--as-of", AS_OF)
    mkdocs_build(config)
    assert json.loads((site / "influence" / "score.json").read_text()) == score


def test_preview_resolves_the_sources_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a data folder the default sources (which look at the site's files) are worked out once,
    for the report's settings and the preview alike."""
    from mkdocs.config import load_config

    from mkdocs_influence import config as config_mod
    from mkdocs_influence.shells import plugin as plugin_mod

    cfg = load_config(str(_site(tmp_path, _influence(as_of=AS_OF))))
    calls: list[tuple] = []
    real = config_mod.source_specs
    for module in (config_mod, plugin_mod):
        monkeypatch.setattr(module, "source_specs", lambda *a: calls.append(a) or real(*a))
    cfg.plugins.on_config(cfg)
    assert len(calls) == 1
    assert cfg.plugins["influence"].report["posts"] == len(POSTS)


def test_strict_build_without_data_folder_fails_on_the_warning(tmp_path: Path) -> None:
    """MkDocs' own rule: under ``--strict`` a warning fails the build (docs/config.md says so)."""
    config = _site(tmp_path, _influence())
    proc = mkdocs_build(config, check=False)
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "influence: no data folder yet at" in output and "Aborted with 1 warnings in strict mode" in output
    assert not (tmp_path / "influence-data").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_without_data_folder(tmp_path: Path) -> None:
    config = _site(tmp_path, _influence(post_badge="bottom"))
    port = _free_port()
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}", "--no-livereload"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=mkdocs_env(), cwd=tmp_path)
    try:
        deadline, page = time.monotonic() + 90, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/influence/", timeout=5) as resp:
                    page = resp.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.3)
        assert proc.poll() is None, log.read_text()
        assert "Score over time" in page, log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/blog/2026/01/11/no-separator-here/", timeout=5) as resp:
            assert BADGE.search(resp.read().decode("utf-8"))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _one_warning(log.read_text(), tmp_path / "influence-data")
    assert not (tmp_path / "influence-data").exists()


def test_history_heading_shows_a_hostile_site_name_as_text(tmp_path: Path) -> None:
    name = "<script>alert(1)</script> & <b>x</b>"
    config = _site(tmp_path, _influence(), site_name=name)
    influence("update", "-f", str(config), "--offline", "--as-of", AS_OF)
    mkdocs_build(config)
    page = (tmp_path / "site" / "influence" / "index.html").read_text()
    article = page[page.index('<article class="md-content__inner md-typeset">') : page.index("</article>")]
    heading = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", article, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in heading and unescape(heading) == f"Influence of {name}"  # the text shows, no tag is live
    assert "<script>alert" not in article and "<b>x</b>" not in article


@pytest.fixture(scope="module")
def with_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose data folder is there (an update ran), without any cache."""
    root = tmp_path_factory.mktemp("data")
    config = _site(root, _influence(post_badge="top"))
    influence("update", "-f", str(config), "--offline", "--as-of", AS_OF)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return root


def _copy(site: Path, dest: Path) -> Path:
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns("site", ".cache"))
    return dest / "mkdocs.yml"


def _bundle(config: Path) -> dict[str, bytes]:
    folder = config.parent / "site" / "influence"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("blocker", [".cache/influence", ".cache"])
def test_cache_that_cannot_be_a_folder_never_breaks_the_build(with_data: Path, tmp_path: Path, blocker: str) -> None:
    """A file where the cache folder (or its parent) should be: every cache write fails, as on
    a read-only or full disk, and the build goes on without the cache (root ignores chmod)."""
    reference = _copy(with_data, tmp_path / "reference")
    mkdocs_build(reference)
    config = _copy(with_data, tmp_path / "blocked")
    (config.parent / blocker).parent.mkdir(parents=True, exist_ok=True)
    (config.parent / blocker).write_text("not a folder\n")
    mkdocs_build(config)
    assert _bundle(config) == _bundle(reference)
    assert (config.parent / blocker).read_text() == "not a folder\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the file-blocker test covers this as root")
def test_read_only_cache_never_breaks_the_build(with_data: Path, tmp_path: Path) -> None:
    config = _copy(with_data, tmp_path / "blog")
    cache = config.parent / ".cache" / "influence"
    cache.mkdir(parents=True)
    cache.chmod(0o555)
    try:
        mkdocs_build(config)
    finally:
        cache.chmod(0o755)
    assert not list(cache.iterdir()) and (config.parent / "site" / "influence" / "badge.png").is_file()


def test_corrupt_cache_entries_are_recomputed(with_data: Path, tmp_path: Path) -> None:
    config = _copy(with_data, tmp_path / "blog")
    mkdocs_build(config)
    first = _bundle(config)
    page = (config.parent / "site" / "influence" / "index.html").read_text()
    cache = config.parent / ".cache" / "influence"
    entries = sorted(p for p in cache.iterdir() if p.is_file())
    kinds = {p.name.split("-")[0] if p.suffix != ".png" else "png" for p in entries}
    assert {"png", "report", "page"} <= kinds, entries
    for path in entries:
        if path.suffix == ".png":
            path.write_bytes(path.read_bytes()[:40])  # a torn write
        elif path.name.startswith("report-"):
            path.write_text("[]")  # valid JSON, wrong shape
        else:
            path.write_text('{"html": "@@influence-link-7@@", "items": []}')
    mkdocs_build(config)
    assert _bundle(config) == first
    assert (config.parent / "site" / "influence" / "index.html").read_text() == page


def test_png_cache_write_failure_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk (ENOSPC) while caching a PNG: the PNG is still returned."""
    import errno
    import tempfile

    import badges
    from badges import _png

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    monkeypatch.setattr(_png, "_MEMORY", type(_png._MEMORY)())
    data = badges.to_png(badges.badge("disk", "full"), cache_dir=tmp_path / "cache")
    assert data.startswith(b"\x89PNG") and not list((tmp_path / "cache").iterdir())


MKDOCS_DEFAULTS = ["toc", "tables", "fenced_code"]
# Extensions that read more characters as syntax (emoji `:x:`, `~~`, `^^`, `==`, magic links, symbols)
MATERIAL_EXTRAS = [
    *MKDOCS_DEFAULTS,
    "attr_list",
    "md_in_html",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.emoji",
    "pymdownx.magiclink",
    "pymdownx.smartsymbols",
    "pymdownx.keys",
    "pymdownx.critic",
]


@given(st.text(st.characters(codec="utf-8"), max_size=60) | st.text("<>&*_~^=:+-#[]()!`\\|{}.@/ ab", max_size=30))
@settings(max_examples=300, deadline=None)
def test_history_heading_is_always_the_site_name_as_text(name: str) -> None:
    """Whatever the site name, the page's Markdown renders one ``<h1>`` holding it as plain text."""
    from html.parser import HTMLParser

    import markdown

    from badges import clean_text
    from mkdocs_influence.render.pages import history_markdown

    class Heading(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tags: list[str] = []
            self.text = ""
            self.depth = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.append(tag)
            self.depth += tag == "h1"

        def handle_endtag(self, tag: str) -> None:
            self.depth -= tag == "h1"

        def handle_data(self, data: str) -> None:
            self.text += data if self.depth else ""

    want = " ".join(f"Influence of {clean_text(name)}".split()) if name else "Influence"
    for extensions in (MKDOCS_DEFAULTS, MATERIAL_EXTRAS):
        parser = Heading()
        parser.feed(markdown.markdown(history_markdown(name, ""), extensions=extensions))
        assert parser.tags == ["h1"]  # no tag from the name, nothing split off the heading
        assert " ".join(parser.text.split()) == want  # as a browser shows it: whitespace collapsed
