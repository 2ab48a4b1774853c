"""Eleventy sites whose posts' ``permalink`` is a JavaScript function in a directory data file (the shape of
zachleat.com's ``_posts/_posts.11tydata.js``; this fixture is written for these tests). A function that only returns
a template literal of ``page.fileSlug``/``page.filePathStem`` is read from its text (never run), its URLs equal to a
real Eleventy build's; any other function is said without ``-v``, and ``post_url`` in ``influence.yml`` fixes it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from conftest import influence, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_generators_build import ELEVENTY, _listed, _ours, needs_eleventy

from mkdocs_influence import generators
from mkdocs_influence.errors import ConfigError
from mkdocs_influence.generators.eleventy import function_permalink
from mkdocs_influence.site import SiteInfo

READ = "function({page}) {\n\t\treturn `/notes/${ page.fileSlug }/`\n\t}"
NOT_READ = '(data) => "/notes/" + data.page.fileSlug + "/"'  # the same URLs, built by concatenation: not read
DATA = """import { readFileSync } from "node:fs";

export default {
\tauthor: "A. Writer",
\tpermalink: PERMALINK,
\ttags: ["note"],
\televentyComputed: {
\t\tsummary: function(data) { return data.title ? `About ${data.title}` : ""; }
\t}
}
"""
POST = "---\ntitle: {title}\n{extra}---\n\nA note on {title} and hand-bound books.\n"
LIST = (
    "---\npermalink: /urls.txt\neleventyExcludeFromCollections: true\n---\n"
    "{% for p in collections.note %}{{ p.url }} {{ p.inputPath }}\n{% endfor %}"
)


def _site(root: Path, permalink: str) -> Path:
    files = {
        "package.json": '{"type": "module"}\n',
        "eleventy.config.js": "export default function (eleventyConfig) {}\n",
        "_posts/_posts.11tydata.js": DATA.replace("PERMALINK", permalink),
        "_posts/2024-03-01-first-light.md": POST.format(title="First light", extra=""),
        "_posts/2024-04-02-paper-grain.md": POST.format(title="Paper grain", extra="permalink: /notes/grain/2024/\n"),
        "_posts/2024-05-03-sewn-boards/index.md": POST.format(title="Sewn boards", extra=""),
        "urls.njk": LIST,
    }
    return write_site(root, files).parent


def _built(site: Path) -> dict[str, str]:
    env = {**os.environ, "ELEVENTY_RUN_MODE": "build"}
    subprocess.run([str(ELEVENTY), "--quiet"], cwd=site, check=True, capture_output=True, env=env, timeout=300)
    return _listed((site / "_site" / "urls.txt").read_text(), "./")


def _reading(site: Path, **kw: str) -> generators.Reading:
    now = dt.datetime.now(dt.timezone.utc)
    return generators.read(generators.get("eleventy"), SiteInfo(site, site, generator="eleventy", **kw), now)


@needs_eleventy
def test_a_template_literal_permalink_function_gives_eleventys_own_urls(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", READ)
    built = _built(site)
    assert built == {
        "_posts/2024-03-01-first-light.md": "/notes/first-light/",
        "_posts/2024-04-02-paper-grain.md": "/notes/grain/2024/",  # front matter wins over directory data
        "_posts/2024-05-03-sewn-boards/index.md": "/notes/sewn-boards/",
    }
    assert _ours(site, "eleventy") == built
    assert _reading(site).alerts == ()


@needs_eleventy
def test_a_function_not_read_is_said_without_verbose_and_post_url_fixes_it(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", NOT_READ)
    built = _built(site)
    assert built["_posts/2024-03-01-first-light.md"] == "/notes/first-light/"
    (site / "influence.yml").write_text("generator: eleventy\nsources:\n  - blog\n", "utf-8")
    run = influence("update", "--offline", "--as-of", "2026-11-20", cwd=site)
    said = [line for line in run.stderr.splitlines() if "permalink" in line]
    assert said == [
        "  warning: blog: _posts/_posts.11tydata.js: its permalink is JavaScript that influence does not run, so 2 posts "
        "got the file's own path as URL (/_posts/2024-03-01-first-light/), not the one Eleventy builds: set post_url in "
        'influence.yml, e.g. post_url: "/blog/{{ page.fileSlug }}/" (docs/generators/eleventy.md)'
    ]
    assert run.stdout.startswith("blog: 3 posts\n")
    config = 'generator: eleventy\npost_url: "/notes/{{ page.fileSlug }}/"\nsources: [blog]\n'
    (site / "influence.yml").write_text(config, "utf-8")
    run = influence("update", "--offline", "--as-of", "2026-11-20", cwd=site)
    assert "permalink" not in run.stderr
    assert _ours(site, "eleventy", post_url="/notes/{{ page.fileSlug }}/") == built
    assert _reading(site, post_url="/notes/{{ page.fileSlug }}/").alerts == ()


def test_post_url_is_refused_for_another_generator(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('title = "x"\n', "utf-8")
    (tmp_path / "influence.yml").write_text('generator: hugo\npost_url: "/x/"\n', "utf-8")
    run = influence("update", "--offline", cwd=tmp_path, check=False)
    assert run.returncode != 0 and "post_url is read for Eleventy sites only" in run.stderr
    from mkdocs_influence.config import load_standalone

    with pytest.raises(ConfigError, match="Eleventy sites only"):
        load_standalone(tmp_path / "influence.yml")


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("export default { permalink: function({page}) { return `/web/${ page.fileSlug }/` } }", "/web/{{ page.fileSlug }}/"),
        ("module.exports = { permalink: ({ page }) => `/b/${page.fileSlug}/index.html` };", "/b/{{ page.fileSlug }}/index.html"),
        ("module.exports = { permalink: data => `/b/${ data.page.fileSlug }/` }", "/b/{{ page.fileSlug }}/"),
        ("module.exports = { permalink(data) { return `/b${data.page.filePathStem}/`; } }", "/b{{ page.filePathStem }}/"),
        ("exports.a = { permalink: async function p({page, title}) { return `/${page.fileSlug}/`; } }", "/{{ page.fileSlug }}/"),
        ("module.exports = { permalink: () => '/fixed/' }", "/fixed/"),
        # anything else is not read: other variables, calls, concatenation, template code, escapes, more statements
        ("module.exports = { permalink: function(data) { return `/b/${page.fileSlug}/`; } }", None),
        ("module.exports = { permalink: function({title}) { return `/b/${page.fileSlug}/`; } }", None),
        ("module.exports = { permalink: ({page}) => `/b/${page.fileSlug.toLowerCase()}/` }", None),
        ("module.exports = { permalink: ({page}) => `/b/${process.exit(1)}/` }", None),
        ("module.exports = { permalink: ({page}) => page.fileSlug }", None),
        ('module.exports = { permalink: (data) => "/notes/" + data.page.fileSlug + "/" }', None),
        ("module.exports = { permalink: ({page}) => `/a/${page.fileSlug}/` + page.date }", None),
        ("module.exports = { permalink: () => '/{{ title }}/' }", None),
        ("module.exports = { permalink: ({page}) => `/a\\u0041/${page.fileSlug}/` }", None),
        ("module.exports = { permalink: ({page}) => { if (x) return 1; return `/a/${page.fileSlug}/` } }", None),
    ],
)
def test_function_permalink_reads_only_template_literals_of_the_pages_own_names(text: str, template: str | None) -> None:
    assert function_permalink(text) == template


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="permalink:function({page})=>`${.fileSlug}/ \"'\\data;return", max_size=80))
def test_function_permalink_never_fails_and_gives_only_known_expressions(text: str) -> None:
    found = function_permalink(text)
    if found is not None:
        assert "${" not in found and "`" not in found
        assert found.replace("{{ page.fileSlug }}", "").replace("{{ page.filePathStem }}", "").count("{") == 0


@pytest.mark.parametrize(
    "text",
    [
        "permalink: function({page}) { return `/x/${page.fileSlug}`" + " " * 500_000,  # no closing brace after spaces
        "permalink: function" + " " * 500_000,
        "permalink: (" * 100_000,
        "permalink: ({page}) => `" + "a" * 500_000,
    ],
)
def test_function_permalink_stays_linear_on_hostile_data_files(text: str) -> None:
    import time

    start = time.process_time()
    assert function_permalink(text) is None
    assert time.process_time() - start < 1.0  # ~0.1 s here; a quadratic pattern takes minutes
