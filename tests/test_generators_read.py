"""Reading posts per generator without building: detection, ``generator:`` in influence.yml,
front matter of every format, and bad input (skipped by name; more than half skipped fails)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, copy_fixture
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_influence import generators
from mkdocs_influence.config import load_standalone
from mkdocs_influence.errors import ActivityError, ConfigError
from mkdocs_influence.generators._common import fill, lower_keys, split
from mkdocs_influence.shells.cli import main
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import Context
from mkdocs_influence.sources.blog import BlogSource

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ssg-hugo-blog", "hugo"),
        ("ssg-hugo-basic", "hugo"),
        ("ssg-jekyll-blog", "jekyll"),
        ("ssg-jekyll-poole", "jekyll"),
        ("ssg-eleventy-blog", "eleventy"),
        ("ssg-eleventy-base", "eleventy"),
    ],
)
def test_the_generator_is_detected_from_the_site(name: str, expected: str) -> None:
    assert generators.detect(FIXTURES / name) == expected


def test_mkdocs_family_and_unknown_names(tmp_path: Path) -> None:
    assert generators.detect(tmp_path) == ""
    (tmp_path / "zensical.toml").write_text("[project]\n")
    assert generators.detect(tmp_path) == "zensical" and generators.get("zensical").name == "mkdocs"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert generators.detect(tmp_path) == "mkdocs"
    assert {"hugo", "jekyll", "eleventy", "mkdocs", "zensical", "properdocs"} <= set(generators.names())
    with pytest.raises(ConfigError, match=r"unknown 'gatsby' .*expected one of .*hugo"):
        generators.get("gatsby")


def _collect(site: SiteInfo) -> tuple[list, tuple[str, ...]]:
    result = BlogSource().collect(Context(site, NOW.date()))
    return list(result.activity.posts), result.warnings


def test_influence_yml_names_the_generator_and_site_url_wins(tmp_path: Path) -> None:
    site = copy_fixture("ssg-hugo-blog", tmp_path)
    (site / "influence.yml").write_text("generator: hugo\nsite_url: https://blog.example.net/\n")
    loaded = load_standalone(site / "influence.yml")
    assert loaded.site.generator == "hugo"
    posts, warnings = _collect(loaded.site)
    urls = sorted(p.url for p in posts)
    assert len(posts) == 9 and not warnings
    assert "https://blog.example.net/2024/01/capital-keys-in-toml/" in urls
    toml = next(p for p in posts if p.path.endswith("toml-capital.md"))
    assert toml.title == "Capital Keys In TOML" and toml.tags == ("toml", "keys", "Front matter")
    assert toml.published == dt.datetime(2024, 1, 6, 4, 30, tzinfo=dt.timezone.utc)  # 23:30-05:00; URL keeps 2024/01
    (site / "influence.yml").write_text("generator: gatsby\n")
    with pytest.raises(ConfigError, match=r"influence\.yml: generator: unknown 'gatsby'"):
        load_standalone(site / "influence.yml")


def test_without_generator_the_site_decides(tmp_path: Path) -> None:
    site = copy_fixture("ssg-jekyll-blog", tmp_path)
    (site / "influence.yml").write_text("site_name: J\n")
    posts, warnings = _collect(load_standalone(site / "influence.yml").site)
    assert len(posts) == 8 and {p.url for p in posts} >= {"https://example.org/notes/guides/in-a-folder/"}
    (only,) = warnings  # the file without a date in its name, by name and Jekyll's rule
    assert "_posts/notes.md" in only and "YYYY-MM-DD" in only and "jekyll:" in only


def _jekyll_site(tmp_path: Path, good: int, bad: int) -> Path:
    (tmp_path / "_posts").mkdir(parents=True)
    (tmp_path / "_config.yml").write_text("title: t\n")
    for i in range(good):
        (tmp_path / f"_posts/2024-01-{i + 1:02d}-good-{i}.md").write_text("---\ntitle: Good\n---\nText.\n")
    for i in range(bad):
        (tmp_path / f"_posts/2024-02-{i + 1:02d}-bad-{i}.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    return tmp_path


def test_a_few_bad_files_are_skipped_by_name(tmp_path: Path) -> None:
    site = _jekyll_site(tmp_path, good=6, bad=4)
    posts, warnings = _collect(SiteInfo(site, site))
    assert len(posts) == 6 and len(warnings) == 4
    assert all("_posts/2024-02-" in w and "invalid front matter" in w and "jekyll: posts are _posts/" in w for w in warnings)


def test_more_than_half_skipped_is_a_failure_saying_which_rule(tmp_path: Path) -> None:
    site = _jekyll_site(tmp_path, good=4, bad=6)
    with pytest.raises(ActivityError) as info:
        _collect(SiteInfo(site, site))
    message = info.value.message
    assert "skipped 6 of 10 posts" in message and "jekyll: posts are _posts/YYYY-MM-DD-title.md" not in message
    assert "broke the rule: posts are _posts/YYYY-MM-DD-title.md" in message and "_posts/2024-02-01-bad-0.md" in message


def test_a_jekyll_blog_read_as_mkdocs_fails_instead_of_ok_with_one_post(tmp_path: Path) -> None:
    """The issue's 1,005-post Jekyll blog: dates only in file names gave "ok, 1 posts (1004 warnings)"."""
    site = _jekyll_site(tmp_path, good=30, bad=0)
    (site / "_posts/2024-03-01-dated.md").write_text("---\ndate: 2024-03-01\n---\n# Dated\n")
    (site / "influence.yml").write_text("generator: mkdocs\nposts_dir: _posts\nsources: [blog]\n")
    result = CliRunner().invoke(main, ["update", "--offline", "-f", str(site / "influence.yml")])
    line = next(line for line in result.output.splitlines() if line.startswith("blog:"))
    assert line.startswith("blog: failed") and "skipped 30 of 31 posts" in line and "date" in line and "generator:" in line, line
    (site / "influence.yml").write_text("sources: [blog]\n")  # detected: Jekyll reads all 31
    result = CliRunner().invoke(main, ["update", "--offline", "-f", str(site / "influence.yml")])
    assert "blog: 31 posts" in result.output and result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('+++\ntitle = "x\ndate = 2024-01-01\n+++\n', "invalid front matter (TOML"),
        ('{\n  "title": "x",\n  "date": \n}\nBody\n', "invalid front matter (JSON"),
        ("---\na: &a [*a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\n", "invalid front matter (YAML"),
        ("---\ntitle: x\ndate: someday\n---\n", "is not a date"),
        ("---\ntitle: no date\n---\n", "has no date"),
    ],
)
def test_hugo_bad_front_matter_names_file_and_rule(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text('baseURL = "https://h.example/"\n')
    for i in range(3):
        (tmp_path / f"content/posts/ok{i}.md").write_text(f"---\ntitle: Ok {i}\ndate: 2024-01-0{i + 1}\n---\n")
    (tmp_path / "content/posts/bad.md").write_text(text)
    posts, warnings = _collect(SiteInfo(tmp_path, tmp_path))
    assert len(posts) == 3 and len(warnings) == 1
    assert "content/posts/bad.md" in warnings[0] and problem in warnings[0] and "hugo: posts need front matter" in warnings[0]


def test_a_yaml_bomb_in_front_matter_is_refused_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcde", "bcdef", strict=True)
    )
    with pytest.raises(ActivityError, match="invalid front matter"):
        split(f"---\n{bomb}---\n", "x.md", "rule")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text("abcdefXYZ_", min_size=1, max_size=8), st.text(max_size=20) | st.integers(), max_size=6))
def test_json_and_yaml_front_matter_read_back(meta: dict) -> None:
    as_json = split(json.dumps(meta) + "\nBody", "x.md", "rule", json_object=True)
    as_yaml = split("---json\n" + json.dumps(meta) + "\n---\nBody", "x.md", "rule")
    assert as_json[0] == meta == as_yaml[0] and as_yaml[1] == "Body"
    folded = lower_keys(meta)
    assert set(folded) == {k.lower() for k in meta}


def test_permalink_tokens_longest_first() -> None:
    values = {"slug": "s", "slugorfilename": "f", "title": "t", "output_ext": ".html"}
    assert fill("/:slugorfilename/:slug/:title:output_ext", values) == "/f/s/t.html"
    assert fill("/:unknown/:slugx/", values) == "/:unknown/:slugx/"


def test_a_jekyll_config_with_a_byte_order_mark_is_ignored_as_jekyll_does(tmp_path: Path) -> None:
    site = _jekyll_site(tmp_path, good=2, bad=0)
    (site / "_config.yml").write_bytes(b"\xef\xbb\xbfpermalink: pretty\nurl: https://x.example\n")
    posts, warnings = _collect(SiteInfo(site, site))
    assert sorted(p.url for p in posts) == ["2024/01/01/good-0.html", "2024/01/02/good-1.html"]
    assert any("byte-order mark" in w for w in warnings)


def test_docs_dir_content_beside_hugo_toml_still_reads_hugo(tmp_path: Path) -> None:
    """The standalone example of docs/config.md before generators: docs_dir: content, posts_dir: posts."""
    site = copy_fixture("ssg-hugo-blog", tmp_path)
    (site / "influence.yml").write_text("docs_dir: content\nposts_dir: posts\n")
    posts, _ = _collect(load_standalone(site / "influence.yml").site)
    assert "https://example.org/blog/2024/02/my-own-slug/" in {p.url for p in posts} and len(posts) == 9
