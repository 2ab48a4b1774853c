"""The example site built for real by MkDocs' own CLI, after a real ``influence update``."""

from __future__ import annotations

import json
import posixpath
import re
import struct
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import influence, mkdocs_build, write_site

pytestmark = pytest.mark.slow


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _img_targets(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<img alt="([^"]*)" src="([^"]*)"', html)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import EXAMPLE

    root = tmp_path_factory.mktemp("example") / "site-example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    influence("update", "-f", str(root / "mkdocs.yml"), "--offline", "--as-of", "2026-11-20")
    mkdocs_build(root / "mkdocs.yml")
    return root / "site"


def test_badge_marker_resolves_on_nested_and_top_pages(built: Path) -> None:
    score = json.loads((built / "influence" / "score.json").read_text())["score"]
    pages = {
        "index.html": "",
        "about/index.html": "about/",
        "blog/2026/11/20/a-year-in-colour/index.html": "blog/2026/11/20/a-year-in-colour/",
    }
    for page, url in pages.items():
        html = (built / page).read_text()
        assert "influence:badge" not in html
        imgs = [(alt, src) for alt, src in _img_targets(html) if "badge" in src]
        assert imgs, f"no badge on {page}"
        for alt, src in imgs:
            assert alt == f"influence score: {score}"
            resolved = posixpath.normpath(urljoin("/" + url, src)).lstrip("/")
            assert resolved == "influence/badge.svg"
            assert (built / resolved).is_file()
        # the brag button leads to its evidence: each badge is a link to the history page
        links = re.findall(r'<a href="([^"]*)"><img alt="[^"]*" src="[^"]*badge\.svg"', html)
        assert links, f"badge on {page} is not a link"
        for href in links:
            assert posixpath.normpath(urljoin("/" + url, href)).lstrip("/") == "influence"


def test_history_page_and_files(built: Path) -> None:
    page = (built / "influence" / "index.html").read_text()
    report = json.loads((built / "influence" / "score.json").read_text())
    assert 20 <= report["score"] <= 80 and report["formula"] == "v2"
    assert "Score over time" in page and "<svg" in page and "influence-chart" in page
    for topic in report["topics"][:3]:
        assert topic["name"] in page
    # posts on the page link to their real Material URLs, relative to influence/
    assert 'href="../blog/2026/05/04/dyeing-with-onion-skins/"' in page
    history = json.loads((built / "influence" / "history.json").read_text())
    # the example adopted formula v2 on its last date: v2 covers the whole history, v1's line is kept up to then
    assert history[-1]["date"] == "2026-11-20" and history[-1]["formula"] == "v2"
    assert max(r["date"] for r in history if r["formula"] == "v1") < "2026-11-20"
    csv_lines = (built / "influence" / "history.csv").read_text().splitlines()
    assert csv_lines[0].startswith("date,formula,score,value") and len(csv_lines) == len(history) + 1


def test_badge_pngs_have_the_svg_size(built: Path) -> None:
    svg = (built / "influence" / "badge.svg").read_text()
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert _png_size((built / "influence" / "badge.png").read_bytes()) == (width, height)
    assert _png_size((built / "influence" / "badge@2x.png").read_bytes()) == (2 * width, 2 * height)


def test_drafts_are_not_counted(built: Path) -> None:
    report = json.loads((built / "influence" / "score.json").read_text())
    posts = list((built.parent / "docs" / "blog" / "posts").glob("*.md"))
    assert report["sources"]["blog"]["posts"] == len(posts) - 1  # one is a draft
    ledger = (built.parent / "influence-data" / "ledger.jsonl").read_text()
    assert "draft-spring-plans" not in ledger and "Spring plans" not in ledger


def test_missing_data_folder_is_one_clear_warning(tmp_path: Path) -> None:
    """No data folder (and here no posts either): a warning that says what to do, which
    ``--strict`` turns into a failure (MkDocs' rule); tests/test_plugin_build.py builds it."""
    config = write_site(
        tmp_path,
        {"mkdocs.yml": "site_name: Empty\nplugins:\n  - influence\n", "docs/index.md": "# Hi\n"},
    )
    proc = mkdocs_build(config, check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "no data folder yet at" in proc.stderr and "run `influence update` and commit the folder" in proc.stderr
    assert not (tmp_path / "influence-data").exists()


def test_bad_plugin_option_names_the_key(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": "site_name: X\nplugins:\n  - influence:\n      sources: [blog, {myspace: me}]\n",
            "docs/index.md": "# Hi\n",
        },
    )
    proc = mkdocs_build(config, check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "sources[1]: unknown source 'myspace'" in proc.stderr


def test_plain_mkdocs_site_without_material(tmp_path: Path) -> None:
    """Blog posts in a plain MkDocs site keep their file URLs; the plugin still works."""
    post = "---\ndate: 2026-0{m}-0{d}\ntags: [python]\n---\n# Post {m}{d}\n\nSome words about python packaging.\n"
    files = {
        "mkdocs.yml": "site_name: Plain\nplugins:\n  - influence\n",
        "docs/index.md": "# Home\n\n<!-- influence:badge -->\n",
    }
    for m, d in [(1, 1), (2, 2), (3, 3)]:
        files[f"docs/blog/posts/p{m}{d}.md"] = post.format(m=m, d=d)
    config = write_site(tmp_path, files)
    influence("update", "-f", str(config), "--as-of", "2026-03-10")
    mkdocs_build(config)
    site = tmp_path / "site"
    assert '<img alt="influence score: ' in (site / "index.html").read_text()
    page = (site / "influence" / "index.html").read_text()
    assert 'href="../blog/posts/p11/"' in page


def test_cached_history_page_equals_a_fresh_render(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    from mkdocs_influence.model.report import Settings
    from mkdocs_influence.render.pages import history_body, history_body_cached
    from mkdocs_influence.shells.pipeline import report

    data = report(EXAMPLE / "influence-data", Settings(site_name="Madder & Weld"))

    def link(item: dict) -> str:
        return "../" + item["path"] if item.get("path") else item.get("url", "")

    fresh = history_body(data, link, "influence score: 44")
    miss = history_body_cached(data, link, "influence score: 44", tmp_path)
    hit = history_body_cached(data, link, "influence score: 44", tmp_path)
    assert fresh == miss == hit and len(list(tmp_path.glob("page-*.json"))) == 1
