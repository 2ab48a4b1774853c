"""A re-run reads only the posts that changed (generators/_postcache.py): the cached readings are
exactly what reading the files gives, and anything that could change a reading reads it again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

from conftest import EXAMPLE, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_influence import generators
from mkdocs_influence.config import load
from mkdocs_influence.generators import _postcache

NOW = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
CACHE = Path(".cache") / "influence" / "posts-mkdocs.json"


def _read(config: Path) -> generators.Reading:
    return generators.read(generators.get("mkdocs"), load(config).site, NOW)


def _uncached(config: Path) -> generators.Reading:
    (config.parent / CACHE).unlink(missing_ok=True)
    reading = _read(config)
    (config.parent / CACHE).unlink(missing_ok=True)
    return reading


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache", ".lock", "influence-data"))
    return root / "mkdocs.yml"


def test_a_rerun_reuses_every_unchanged_reading_and_gets_the_same_posts(tmp_path: Path, monkeypatch) -> None:
    config = _site(tmp_path)
    first = _read(config)
    assert (config.parent / CACHE).is_file()
    calls: list[Path] = []
    real = generators.mkdocs.read_post
    monkeypatch.setattr(generators.mkdocs, "read_post", lambda path, *a, **k: calls.append(path) or real(path, *a, **k))
    again = _read(config)
    assert calls == []  # nothing parsed again
    monkeypatch.undo()
    assert again.posts == first.posts == _uncached(config).posts
    assert again.found == first.found and again.warnings == first.warnings


def test_a_changed_post_is_read_again_and_a_deleted_one_leaves_the_cache(tmp_path: Path) -> None:
    config = _site(tmp_path)
    _read(config)
    posts = sorted((config.parent / "docs" / "blog" / "posts").glob("*.md"))
    edited, gone = posts[0], posts[1]
    edited.write_text(edited.read_text("utf-8").replace("\n# ", "\n# Renamed: ", 1), "utf-8")
    gone.unlink()
    reading = _read(config)
    assert any(p.title.startswith("Renamed: ") for p in reading.posts)
    assert reading.posts == _uncached(config).posts
    _read(config)
    cached = json.loads((config.parent / CACHE).read_text("utf-8"))["posts"]
    assert not any(name.endswith(gone.name) for name in cached) and len(cached) == len(posts) - 1


def test_changed_settings_read_every_post_again(tmp_path: Path) -> None:
    config = _site(tmp_path)
    before = _read(config)
    url_format = "plugins:\n  - blog:\n      post_url_format: 'notes/{slug}'\n"
    text = config.read_text("utf-8").replace("plugins:\n  - blog\n", url_format)
    config.write_text(text, "utf-8")
    after = _read(config)
    assert all("/notes/" in p.url for p in after.posts) and not any("/notes/" in p.url for p in before.posts)
    assert after.posts == _uncached(config).posts


def test_a_damaged_or_foreign_cache_is_no_cache(tmp_path: Path) -> None:
    config = _site(tmp_path)
    expected = _uncached(config).posts
    cache = config.parent / CACHE
    cache.parent.mkdir(parents=True, exist_ok=True)
    for damage in ("{not json", "[]", json.dumps({"key": "other", "posts": {}})):
        cache.write_text(damage, "utf-8")
        assert _read(config).posts == expected
    _read(config)
    data = json.loads(cache.read_text("utf-8"))
    for entry in data["posts"].values():
        if entry[1]:
            entry[1]["published"] = "not a date"
            entry[1].pop("url")
    cache.write_text(json.dumps(data), "utf-8")
    assert _read(config).posts == expected  # damaged entries are read again


def test_date_dependent_generators_are_not_cached(tmp_path: Path) -> None:
    files = {"_config.yml": "title: J\n", "_posts/2026-01-02-a.md": "---\ntitle: A\n---\nText\n"}
    root = write_site(tmp_path / "j", files).parent
    site = dataclasses.replace(load(_site(tmp_path)).site, docs_dir=root, config_dir=root)
    assert len(generators.read(generators.get("jekyll"), site, NOW).posts) == 1
    assert not (root / ".cache").exists()


BODIES = st.text(alphabet="ab #*\r\n\t-:é☕`[]", max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(alphabet="ab #*é☕`", min_size=1, max_size=20), body=BODIES, draft=st.booleans(), crlf=st.booleans())
def test_cached_readings_equal_fresh_ones_whatever_the_file(
    tmp_path: Path, title: str, body: str, draft: bool, crlf: bool
) -> None:
    config = write_site(
        tmp_path / "p",
        {
            "mkdocs.yml": "site_name: P\nsite_url: https://p.example/\ntheme: {name: material}\n"
            "plugins:\n  - blog\n  - influence\n",
            "docs/index.md": "# P\n",
            "docs/blog/index.md": "# Blog\n",
        },
    )
    text = f"---\ndate: 2026-01-02\ndraft: {str(draft).lower()}\n---\n\n# {title}\n\n{body}\n"
    (config.parent / "docs" / "blog" / "posts").mkdir(parents=True, exist_ok=True)
    (config.parent / "docs" / "blog" / "posts" / "a.md").write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode())
    fresh = _uncached(config)
    _read(config)
    assert _read(config) == fresh
    assert _postcache.stable(load(config).site) == _postcache.stable(load(config).site)  # the same settings, the same key


def test_a_cache_folder_that_cannot_be_written_is_no_cache(tmp_path: Path) -> None:
    config = _site(tmp_path)
    (config.parent / ".cache").write_text("a file where the cache folder would go", "utf-8")
    assert _read(config).posts == _read(config).posts
    assert (config.parent / ".cache").is_file()


def test_a_cache_entry_replaces_the_earlier_ones_of_its_kind(tmp_path: Path) -> None:
    """A daily CI job restores and saves the whole cache: earlier reports, pages and bundles go."""
    from mkdocs_influence.store.fileio import write_cache_entry

    for key in ("a", "b", "c"):
        write_cache_entry(tmp_path / f"report-{key}.json", b"{}")
        write_cache_entry(tmp_path / f"bundle-{key}.json", b"{}")
    (tmp_path / "keep.png").write_bytes(b"png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle-c.json", "keep.png", "report-c.json"]


def test_an_upgrade_of_a_package_that_reads_posts_changes_the_fingerprint(tmp_path: Path, monkeypatch) -> None:
    """Versions come from the installed ``name-version.dist-info`` folders: a newer Material (or
    Markdown, MkDocs, …) first on the path reads every post again; the versions are what
    ``importlib.metadata`` says."""
    from importlib import metadata

    from mkdocs_influence.generators import _postcache

    assert _postcache._versions() == [
        f"{n}=={metadata.version(n)}" for n in ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "babel")
    ]
    before = _postcache.fingerprint("mkdocs", {"site": 1})
    (tmp_path / "mkdocs_material-99.0.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "mkdocs-material==99.0.0" in _postcache._versions()
    assert _postcache.fingerprint("mkdocs", {"site": 1}) != before
