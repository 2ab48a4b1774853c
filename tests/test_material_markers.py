"""Markers only where the author meant them, in real Material builds, with neighbours left alone."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import influence, mkdocs_build, write_site

from mkdocs_influence.render.markers import line_of, parse, replace_markers

MARKER = "<!-- influence:badge -->"
EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - footnotes
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""

# Real markers: top level, inline in a paragraph, in an admonition, a list item and a content tab.
MEANT = f"""\
{MARKER}

The score inline: {MARKER} in a sentence.

!!! note "Brag"
    {MARKER}

- item with a badge

    {MARKER}

=== "Tab one"

    {MARKER}
"""

# Shown as examples: a code span, fences at several nestings, an indented code block.
SHOWN = f"""\
Add `{MARKER}` where the badge goes.

```markdown
{MARKER}
```

~~~
{MARKER}
~~~

!!! example

    ```html
    {MARKER}
    ```

??? tip "Folded"
    Inline `{MARKER}` too.

- a list

    ```
    {MARKER}
    ```

    1. nested deeper

        ````markdown
        ```
        {MARKER}
        ```
        ````

=== "Markdown"

    ```
    {MARKER}
    ```

Indented code:

    {MARKER}
"""


def _site(root: Path, page: str, extra_config: str = "", plugins: str = "") -> Path:
    config = (
        "site_name: Markers\ntheme:\n  name: material\n"
        f"{EXTENSIONS}{extra_config}plugins:\n  - search\n{plugins}  - influence:\n      sources: [blog]\n"
    )
    post = "---\ndate: 2024-01-01\n---\n# A post\n\nText about python packaging.\n"
    files = {"mkdocs.yml": config, "docs/index.md": page, "docs/blog/index.md": "# Blog\n"}
    files["docs/blog/posts/post.md"] = post
    return write_site(root, files)


def _badges(html: str) -> int:
    return len(re.findall(r'<img alt="influence score: \d+[^"]*" src="influence/badge\.svg">', html))


def test_markers_meant_render_and_markers_in_code_stay_text(tmp_path: Path) -> None:
    config = _site(tmp_path, f"# Home\n\n{MEANT}\n{SHOWN}", plugins="  - material/blog\n")
    influence("update", "-f", str(config), "--offline", "--as-of", "2024-02-01")
    mkdocs_build(config)
    html = (tmp_path / "site" / "index.html").read_text()
    assert _badges(html) == MEANT.count(MARKER) == 5
    # every example is still shown, escaped, as the author wrote it (highlighters split the text into spans)
    text = re.sub(r"<[^>]+>", "", html)
    assert text.count("&lt;!-- influence:badge --&gt;") == SHOWN.count(MARKER) == 9
    assert "![" not in html  # HTML, never a Markdown image left unrendered


def test_wrong_markers_are_warnings_naming_file_and_line_and_errors_under_strict(tmp_path: Path) -> None:
    page = "# Home\n\n<!-- influence:bagde -->\n\ntext\n\n<!-- influence:badge style=neon -->\n\n"
    page += "<!-- influence:card colour=red -->\n"
    config = _site(tmp_path, "---\ntitle: Home\n---\n" + page)
    influence("update", "-f", str(config), "--offline", "--as-of", "2024-02-01")
    strict = mkdocs_build(config, check=False)
    assert strict.returncode != 0 and "Aborted with 3 warnings in strict mode" in strict.stderr + strict.stdout
    lax = mkdocs_build(config, "--no-strict", check=False)
    assert lax.returncode == 0
    log = lax.stderr + lax.stdout
    assert "influence: index.md:6: unknown marker 'influence:bagde' — did you mean 'influence:badge'?" in log
    assert "influence: index.md:10: unknown badge style 'style=neon'" in log
    assert "influence: index.md:12: unknown marker option 'influence:card colour'" in log
    html = (tmp_path / "site" / "index.html").read_text()
    assert "<img" not in html.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]


def test_caption_plugin_numbers_only_the_pages_own_figures(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs_caption")
    page = f"# Home\n\n![Own diagram](own.svg)\n\n{MARKER}\n\n![Second own](own.svg)\n"
    config = _site(tmp_path, page, plugins="  - caption\n")
    (tmp_path / "docs" / "own.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    influence("update", "-f", str(config), "--offline", "--as-of", "2024-02-01")
    mkdocs_build(config)
    html = (tmp_path / "site" / "index.html").read_text()
    assert "Figure 1:" in html and "Figure 2:" in html and "Figure 3" not in html
    assert _badges(html) == 1
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert len(figures) == 2 and not any("influence" in f for f in figures)


def test_rss_and_redirects_output_unchanged(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs_rss_plugin")
    pytest.importorskip("mkdocs_redirects")
    page = f"# Home\n\n{MARKER}\n"
    neighbours = (
        "  - material/blog\n  - rss:\n      match_path: blog/posts/.*\n      date_from_meta:\n        as_creation: date\n"
        "      use_git: false\n  - redirects:\n      redirect_maps:\n        old.md: index.md\n"
    )
    extra = "site_url: https://rss.example/\n"
    ours = _site(tmp_path / "with", page, extra, neighbours)
    influence("update", "-f", str(ours), "--offline", "--as-of", "2024-02-01")
    mkdocs_build(ours)
    bare = tmp_path / "without" / "mkdocs.yml"
    write_site(tmp_path / "without", {})
    shutil.copytree(tmp_path / "with" / "docs", tmp_path / "without" / "docs")
    bare.write_text(ours.read_text().replace("  - influence:\n      sources: [blog]\n", ""))
    mkdocs_build(bare)
    built, plain = tmp_path / "with" / "site", tmp_path / "without" / "site"
    assert (built / "old" / "index.html").read_bytes() == (plain / "old" / "index.html").read_bytes()
    for feed in ("feed_rss_created.xml", "feed_json_created.json"):
        ours_feed = json.dumps(_feed_items(built / feed))
        assert ours_feed == json.dumps(_feed_items(plain / feed)) and "influence" not in ours_feed


def _feed_items(path: Path) -> object:
    text = path.read_text()
    if path.suffix == ".json":
        return [{k: v for k, v in item.items() if k != "date_modified"} for item in json.loads(text)["items"]]  # build time
    return re.findall(r"<item>.*?</item>", re.sub(r"<(lastBuildDate|pubDate)>.*?</\1>", "", text), re.S)


def test_parse_and_replace_rules() -> None:
    assert parse("badge") == ("badge", {})
    assert parse("badge style=flat-square") == ("badge", {"style": "flat-square"})
    assert "did you mean 'influence:badge'" in str(parse("bagde"))
    assert "unknown marker option" in str(parse("topics style=flat"))
    report = {"topics": [{"name": "python"}]}
    html, problems = replace_markers(
        "<p>a <!--influence:topics--> b</p><!-- influence:nope -->", lambda n: f"../influence/{n}", "../influence/", "s", report
    )
    assert '<a href="../influence/"><img alt="topics: python" src="../influence/topics.svg"></a>' in html
    assert [p.message for p in problems] == ["unknown marker 'influence:nope' (expected one of badge, card, topics)"]
    assert line_of("x\n`<!-- influence:nope -->`\n<!-- influence:nope -->\n", "<!-- influence:nope -->", 0)[0] == 2


@pytest.mark.parametrize("directory_urls", ["true", "false"])
def test_standalone_blog_post_badge_and_markers_resolve(tmp_path: Path, directory_urls: str) -> None:
    """``blog_dir: .``: posts live under ``posts/`` and publish at the root; ``post_badge`` finds them."""
    from urllib.parse import urljoin

    config = (
        f"site_name: Standalone\nuse_directory_urls: {directory_urls}\ntheme:\n  name: material\n"
        "plugins:\n  - blog:\n      blog_dir: .\n  - influence:\n      post_badge: top\n"
    )
    files = {"mkdocs.yml": config, "docs/index.md": "# Blog\n"}
    for i in (1, 2):
        files[f"docs/posts/p{i}.md"] = f"---\ndate: 2024-0{i}-01\n---\n\n# Post {i}\n\n{MARKER}\n\nText about python.\n"
    write_site(tmp_path, files)
    influence("update", "-f", str(tmp_path / "mkdocs.yml"), "--offline", "--as-of", "2024-03-01")
    mkdocs_build(tmp_path / "mkdocs.yml")
    site = tmp_path / "site"
    for i in (1, 2):
        name = f"2024/0{i}/01/post-{i}/index.html" if directory_urls == "true" else f"2024/0{i}/01/post-{i}.html"
        html = (site / name).read_text()
        srcs = re.findall(r'<img alt="influence score: \d+[^"]*" src="([^"]+)"', html)
        assert len(srcs) == 2, name  # post_badge at the top, the marker in the text
        assert 'class="influence-post-badge"' in html
        for src in srcs:
            assert urljoin(f"https://x.example/{name}", src) == "https://x.example/influence/badge.svg"
    # the blog index shows each post's excerpt, marker included, with URLs relative to the index
    index = (site / "index.html").read_text()
    srcs = re.findall(r'<img alt="influence score: \d+[^"]*" src="([^"]+)"', index)
    assert srcs == ["influence/badge.svg"] * 2
