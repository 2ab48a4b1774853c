"""A site set up by ``influence init`` publishes nothing of influence's own: real ``jekyll build``, ``hugo`` and
Eleventy builds after ``init`` + ``update`` hold no ``influence-data/`` (the ledger), ``influence.yml`` or ``.cache/``.
Jekyll copies every file of its source, so init adds ours to ``exclude`` in ``_config.yml`` (a round-trip edit:
comments and order kept, idempotent); ``.cache/`` goes into ``.gitignore``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import influence, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_generator_sites import ELEVENTY, HUGO_LAYOUTS

from mkdocs_influence.errors import ConfigError
from mkdocs_influence.shells.siteinit import JEKYLL_EXCLUDED, UNPUBLISHED, add_to_list, init_site

POST = "---\ntitle: Post {i}\ndate: 2026-0{i}-10\ntags: [posts]\n---\n\nPost {i} on natural dyes.\n"
OURS = {"influence-data", "influence.yml", ".cache"}
CONFIG = "# My blog\ntitle: Tiny Jekyll   # shown in the header\nexclude:\n  - README.md  # not a page\n\nmarkdown: kramdown\n"


def _published(out: Path) -> list[str]:
    """Files of the built site that are influence's own data, settings or caches."""
    assert out.is_dir()
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] in OURS)


def _set_up(root: Path) -> str:
    out = influence("init", cwd=root).stdout
    influence("update", "--offline", "--as-of", "2026-11-20", cwd=root)
    assert (root / "influence-data" / "ledger.jsonl").is_file() and (root / ".cache" / "influence").is_dir()
    return out


def _build(cmd: list[str], root: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (.ci/run installs it)")
@pytest.mark.parametrize("config", [CONFIG, "title: Tiny Jekyll\n# no exclude here\n"])
def test_jekyll_build_after_init_publishes_no_ledger_settings_or_cache(tmp_path: Path, config: str) -> None:
    posts = {f"_posts/2026-0{i}-10-post-{i}.md": POST.format(i=i) for i in (1, 2)}
    root = write_site(tmp_path / "jekyll", {"_config.yml": config, "README.md": "# readme\n", **posts}).parent
    out = _set_up(root)
    assert "added influence-data, influence.yml to exclude in _config.yml" in out
    text = (root / "_config.yml").read_text("utf-8")
    if config == CONFIG:  # the user's list, comments and order kept; only our two entries added
        assert text == CONFIG.replace("# not a page\n", "# not a page\n  - influence-data\n  - influence.yml\n")
    else:  # a new list names Jekyll's defaults too (Jekyll 3 replaces them with it)
        assert text.startswith(config) and yaml.safe_load(text)["exclude"] == [*JEKYLL_EXCLUDED, *UNPUBLISHED]
    _build(["jekyll", "build", "--quiet"], root)
    site = root / "_site"
    assert _published(site) == []
    assert (site / "influence" / "badge.svg").is_file() and (site / "2026" / "01" / "10" / "post-1.html").is_file()
    assert (site / "README.md").exists() != (config == CONFIG)  # the user's own exclusion holds
    before = {p: p.read_bytes() for p in (root / "_config.yml", root / ".gitignore", root / "influence.yml")}
    assert influence("init", cwd=root).stdout.strip().endswith("nothing to do: already set up")
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (.ci/run installs it)")
def test_hugo_build_after_init_publishes_nothing_of_influences(tmp_path: Path) -> None:
    """Hugo publishes its content and static folders only: nothing to exclude (checked, not assumed)."""
    posts = {f"content/posts/post-{i}.md": POST.format(i=i) for i in (1, 2)}
    files = {"hugo.toml": 'baseURL = "https://hugo.example/"\ntitle = "Tiny Hugo"\n', **HUGO_LAYOUTS, **posts}
    root = write_site(tmp_path / "hugo", files).parent
    _set_up(root)
    _build(["hugo", "--quiet"], root)
    assert _published(root / "public") == [] and (root / "public" / "influence" / "badge.svg").is_file()
    assert (root / ".gitignore").read_text("utf-8").splitlines()[-1] == ".cache/"


@pytest.mark.slow
@pytest.mark.skipif(not ELEVENTY.exists(), reason="Eleventy is not installed (.ci/run installs it under ELEVENTY_HOME)")
def test_eleventy_build_after_init_publishes_nothing_of_influences(tmp_path: Path) -> None:
    """Eleventy renders template files of its input folder (here the root) and named passthrough copies only:
    ledger, settings and caches are none of these (checked with the passthrough init prints)."""
    config = 'module.exports = function (c) {\n  c.addPassthroughCopy("influence/{*.svg,*.png,*.csv,score.json}");\n};\n'
    posts = {f"posts/post-{i}.md": POST.format(i=i) for i in (1, 2)}
    root = write_site(tmp_path / "eleventy", {".eleventy.js": config, **posts}).parent
    _set_up(root)
    _build([str(ELEVENTY), "--quiet"], root)
    assert _published(root / "_site") == [] and (root / "_site" / "influence" / "badge.svg").is_file()
    assert (root / "_site" / "posts" / "post-1" / "index.html").is_file()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # block list with comments; a later key and comment stay where they were
            "title: x\nexclude:\n  - Gemfile  # mine\n  - README.md\n# tail comment\nurl: y\n",
            "title: x\nexclude:\n  - Gemfile  # mine\n  - README.md\n"
            "  - influence-data\n  - influence.yml\n# tail comment\nurl: y\n",
        ),
        (
            "exclude: [Gemfile, README.md]  # flow\nurl: y\n",
            "exclude: [Gemfile, README.md, influence-data, influence.yml]  # flow\nurl: y\n",
        ),
        ("exclude: []\n", "exclude: [influence-data, influence.yml]\n"),
        ("exclude:\n- ./influence-data/\n- 'influence.*'\n", "exclude:\n- ./influence-data/\n- 'influence.*'\n"),  # already there
        ("a: 1\r\nexclude:\r\n  - x\r\n", "a: 1\r\nexclude:\r\n  - x\r\n  - influence-data\r\n  - influence.yml\r\n"),
    ],
)
def test_exclude_is_added_in_place_keeping_every_other_byte(before: str, after: str) -> None:
    assert add_to_list(before, "exclude", UNPUBLISHED, "_config.yml", JEKYLL_EXCLUDED) == after
    assert add_to_list(after, "exclude", UNPUBLISHED, "_config.yml", JEKYLL_EXCLUDED) == after


@pytest.mark.parametrize(
    ("config", "why"),
    [
        ("exclude: README.md\n", "exclude in _config.yml is not a plain list (line 1)"),
        ("exclude: [a]\nexclude: [b]\n", "has 2 'exclude:' keys"),
        ("title: [unclosed\n", "not valid YAML"),
        ("- a list\n", "not a YAML mapping"),
    ],
)
def test_a_config_init_cannot_edit_is_left_alone_and_the_fix_is_said(tmp_path: Path, config: str, why: str) -> None:
    (tmp_path / "_config.yml").write_text(config, "utf-8")
    done = init_site("jekyll", tmp_path)
    hint = next(line for line in done if line.startswith("next: add influence-data, influence.yml to exclude in _config.yml"))
    assert why in hint
    assert (tmp_path / "_config.yml").read_text("utf-8") == config


def test_a_config_with_a_byte_order_mark_gets_the_entries_and_the_advice_to_remove_the_mark(tmp_path: Path) -> None:
    """hh54188/jekyll-blog's ``_config.yml`` starts with a mark, so Jekyll 4.3 ignores its settings, its own
    ``exclude`` too: the entries are added (the mark kept) and init says to remove the mark."""
    config = "\ufefftitle: x\nexclude: [Gruntfile.js]\n"
    (tmp_path / "_config.yml").write_text(config, "utf-8")
    done = init_site("jekyll", tmp_path)
    assert "added influence-data, influence.yml to exclude in _config.yml (Jekyll would publish them)" in done
    assert "next: remove the byte-order mark at the start of _config.yml: Jekyll then ignores its settings, exclude too" in done
    expected = "\ufefftitle: x\nexclude: [Gruntfile.js, influence-data, influence.yml]\n"
    assert (tmp_path / "_config.yml").read_text("utf-8") == expected
    assert init_site("jekyll", tmp_path) == []


def test_gitignore_gets_cache_once_and_keeps_its_lines(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('title = "x"\n', "utf-8")
    (tmp_path / ".gitignore").write_text("public/\r\nnode_modules", "utf-8")  # no final newline, CRLF
    assert "added .cache/ to .gitignore (influence's caches, not for git)" in init_site("hugo", tmp_path)
    expected = "public/\r\nnode_modules\r\n# influence's caches, rebuilt by influence update\r\n.cache/\r\n"
    assert (tmp_path / ".gitignore").read_bytes().decode() == expected
    assert init_site("hugo", tmp_path) == []
    other = tmp_path / "other"
    other.mkdir()
    (other / "hugo.toml").write_text('title = "x"\n', "utf-8")
    (other / ".gitignore").write_text("/.cache\n", "utf-8")  # already ignored its own way
    assert not any(".gitignore" in line for line in init_site("hugo", other))


def test_jekyll_source_in_a_subfolder_needs_no_exclude(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("source: site\n", "utf-8")
    done = init_site("jekyll", tmp_path)
    assert not any("exclude" in line for line in done) and (tmp_path / "_config.yml").read_text("utf-8") == "source: site\n"


_NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_./-]{0,12}", fullmatch=True).filter(lambda s: not s.endswith(":"))


@settings(max_examples=60, deadline=None)
@given(
    entries=st.lists(_NAME, max_size=4),
    flow=st.booleans(),
    comment=st.booleans(),
    tail=st.sampled_from(["", "url: https://x.example\n", "# end\n"]),
)
def test_any_exclude_list_gets_exactly_the_missing_entries(entries: list[str], flow: bool, comment: bool, tail: str) -> None:
    note = "  # theirs" if comment else ""
    if flow or not entries:
        listed = f"exclude: [{', '.join(entries)}]{note}\n"
    else:
        listed = "exclude:\n" + "".join(f"  - {e}{note}\n" for e in entries)
    before = f"title: t\n{listed}{tail}"
    try:
        old = yaml.safe_load(before)
    except yaml.YAMLError:
        return
    if old.get("exclude") != entries:  # a name YAML reads as something else (a number, a bool)
        return
    after = add_to_list(before, "exclude", UNPUBLISHED, "_config.yml")
    from fnmatch import fnmatch

    missing = [v for v in UNPUBLISHED if not any(fnmatch(v, e.removeprefix("./").rstrip("/")) for e in entries)]
    assert yaml.safe_load(after) == {**old, "exclude": [*entries, *missing]}
    assert add_to_list(after, "exclude", UNPUBLISHED, "_config.yml") == after
    if not missing:
        assert after == before
    with pytest.raises(ConfigError):
        add_to_list("exclude: [a]\nexclude: [b]\n", "exclude", UNPUBLISHED, "_config.yml")
